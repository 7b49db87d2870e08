# Sourced by run.sh and profile.sh: the example key and the loopback server of a log.

# The key of the test signer that `tlog-migrate generate` signs with.
vkey="example.com/tlog-migrate/example+1b6554d9+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"

# serve_log TLOG LOG WORK: serves LOG over HTTP on loopback until the script exits; sets $url
# and $server.
serve_log() {
  "$1" serve --dir="$2" > "$3/serve.url" 2>/dev/null &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 100); do [ -s "$3/serve.url" ] && break; sleep 0.1; done
  url=$(head -1 "$3/serve.url")
}
