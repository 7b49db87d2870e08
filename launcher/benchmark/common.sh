# Sourced by run.sh and profile.sh: the example key and the loopback server of a log.

# The key of the test signer that `tlog-migrate generate` signs with.
vkey="example.com/tlog-migrate/example+1b6554d9+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"

# serve_log TLOG LOG WORK [LATENCY_MS]: serves LOG over HTTP on loopback until the script exits,
# every response waiting LATENCY_MS (default 0) first; sets $url and $server.
servers=()
serve_log() {
  rm -f "$3/serve.url"
  "$1" serve --dir="$2" --latencyMillis="${4:-0}" > "$3/serve.url" 2>/dev/null &
  server=$!
  servers+=("$server")
  trap 'kill "${servers[@]}" 2>/dev/null || true' EXIT
  for _ in $(seq 100); do [ -s "$3/serve.url" ] && break; sleep 0.1; done
  url=$(head -1 "$3/serve.url")
}
