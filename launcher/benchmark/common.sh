# Sourced by run.sh and profile.sh: the example log's key, the Go programs the benchmark runs, and
# the loopback servers of a log. Expects $repo (the repository) and $work (the work directory).

# The key of the test signer that `tlog-migrate generate` signs with.
vkey="example.com/tlog-migrate/example+1b6554d9+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
tlog="$repo/launcher/tlog-migrate"
bin="$repo/launcher/target/benchmark-bin"

# need_jar: builds the shaded jar where it is missing.
need_jar() {
  [ -f "$repo/launcher/target/tlog-migrate.jar" ] && return
  echo "building launcher/target/tlog-migrate.jar (mvn -B -q package -DskipTests)" >&2
  (cd "$repo" && mvn -B -q package -DskipTests)
}

# go_build MODULE PACKAGE NAME: builds PACKAGE of our Go module launcher/src/test/go/MODULE into
# $bin/NAME, the versions pinned by its go.mod and go.sum (never a toolchain download).
go_build() {
  local gobin
  gobin=$(command -v go || echo /usr/local/go/bin/go)
  [ -x "$gobin" ] || { echo "benchmark: needs go (the server and Tessera's tools are built from launcher/src/test/go)" >&2; exit 1; }
  mkdir -p "$bin"
  (cd "$repo/launcher/src/test/go/$1" && GOTOOLCHAIN=local GOFLAGS="-mod=readonly -buildvcs=false" \
    "$gobin" build -trimpath -o "$bin/$3" "$2") || { echo "benchmark: go build of $2 in launcher/src/test/go/$1 failed" >&2; exit 1; }
}

# generate NAME SIZE MIN MAX: a log of SIZE entries of MIN..MAX bytes in $work/NAME, reused when a
# previous run left one of that size.
generate() {
  local dir="$work/$1"
  if ! head -2 "$dir/checkpoint" 2>/dev/null | tail -1 | grep -qx "$2"; then
    rm -rf "$dir"
    echo "generating $1: $2 entries of $3..$4 bytes" >&2
    "$tlog" generate --output="$dir" --size="$2" --minEntrySize="$3" --maxEntrySize="$4" > /dev/null
  fi
}

# warm DIR: reads every file below DIR, so that a timed run finds it in the page cache (pages idle
# for a minute are evicted on these machines).
warm() {
  find "$1" -type f -print0 | xargs -0 cat > /dev/null
}

# start_server DIR LATENCY_MS [CA_FILE]: serves DIR from the Go static server on loopback until
# stop_servers, every response waiting LATENCY_MS first; over HTTPS with a throwaway CA whose
# certificate goes to CA_FILE when given. Sets $url (ending in /), $server (its pid) and $served
# (its output: the URL, then a line of counters per SIGUSR1).
servers=() served_files=()
start_server() {
  local dir=$1 latency=$2 tls=()
  [ -z "${3:-}" ] || tls=(--https_ca_certificate="$3")
  served=$(mktemp "$work/served.XXXXXX")
  served_files+=("$served")
  "$bin/staticserver" --dir="$dir" --latency="${latency}ms" "${tls[@]}" > "$served" 2>> "$work/servers.log" &
  server=$!
  servers+=("$server")
  for _ in $(seq 100); do [ -s "$served" ] && break; sleep 0.05; done
  url=$(head -1 "$served")
  [ -n "$url" ] || { echo "benchmark: the static server did not start (see $work/servers.log)" >&2; exit 1; }
}

stop_servers() {
  local pid
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -f "${served_files[@]}"
  servers=() served_files=()
}

# server_cpu PID: the CPU ticks (user + system) a process has used so far.
server_cpu() {
  sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# server_counters PID FILE: the server's counters line ("requests=N connections=N bytes=N") now.
server_counters() {
  local n
  n=$(wc -l < "$2")
  kill -USR1 "$1"
  for _ in $(seq 200); do [ "$(wc -l < "$2")" -gt "$n" ] && break; sleep 0.01; done
  tail -1 "$2"
}
