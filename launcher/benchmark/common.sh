# Sourced by run.sh and profile.sh: the example key and the loopback server of a log.

# The key of the test signer that `tlog-migrate generate` signs with.
vkey="example.com/tlog-migrate/example+1b6554d9+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"

# serve_log TLOG LOG WORK [LATENCY_MS [SERVE FLAGS...]]: serves LOG on loopback until the script
# exits, every response waiting LATENCY_MS (default 0) first; sets $url, $server and $served (the
# file with the server's output: its URL first, and after it ends, an HTTPS server's handshakes).
servers=()
serve_log() {
  local tlog=$1 dir=$2 work=$3 latency=${4:-0}
  shift $(($# < 4 ? $# : 4))
  served=$(mktemp "$work/serve.XXXXXX")
  "$tlog" serve --dir="$dir" --latencyMillis="$latency" "$@" > "$served" 2>/dev/null &
  server=$!
  servers+=("$server")
  trap 'kill "${servers[@]}" 2>/dev/null || true' EXIT
  # An HTTPS server first makes its CA with keytool: seconds on a busy machine.
  for _ in $(seq 600); do [ -s "$served" ] && break; sleep 0.1; done
  url=$(head -1 "$served")
}
