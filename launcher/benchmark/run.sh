#!/usr/bin/env bash
# The speed-and-scale benchmark: tlog-migrate against a raw copy of the same bytes.
#
#   launcher/benchmark/run.sh [work dir, default /tmp/tlog-migrate-bench]
#
# Generates (or reuses) the logs, times `cp -r`, directory -> directory and HTTP -> directory
# migrations (median of RUNS runs each), measures peak resident memory with /usr/bin/time, repeats
# the directory run at three sizes of small entries to show how cost grows with the log, and
# writes launcher/benchmark/BENCHMARKS.md. Environment: RUNS (default 3), JAVA_OPTS.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${1:-/tmp/tlog-migrate-bench}
runs=${RUNS:-3}
jar="$repo/launcher/target/tlog-migrate.jar"
vkey="example.com/tlog-migrate/example+1b6554d9+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
out="$here/BENCHMARKS.md"

[ -x /usr/bin/time ] || { echo "benchmark: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
[ -f "$jar" ] || (cd "$repo" && mvn -B -q package -DskipTests)
mkdir -p "$work"

tlog() { java ${JAVA_OPTS:-} -jar "$jar" "$@"; }

# generate NAME SIZE MIN MAX: a log, reused when a previous run left one of that size.
generate() {
  local dir="$work/$1"
  if ! head -2 "$dir/checkpoint" 2>/dev/null | tail -1 | grep -qx "$2"; then
    rm -rf "$dir"
    echo "generating $1: $2 entries of $3..$4 bytes" >&2
    tlog generate --output="$dir" --size="$2" --minEntrySize="$3" --maxEntrySize="$4" >&2
  fi
}

# measure CMD...: runs it under /usr/bin/time, prints "seconds peak_kib".
measure() {
  local t="$work/time.txt"
  sync
  /usr/bin/time -f "%e %M" -o "$t" "$@" > "$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }
  cat "$t"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# series LABEL CMD...: RUNS runs, fresh destination each; prints "median_s max_peak_kib".
series() {
  local label=$1; shift
  local times=() peaks=()
  for i in $(seq "$runs"); do
    rm -rf "$work/dest"
    read -r s kib < <(measure "$@")
    echo "  $label run $i: $s s, peak $((kib / 1024)) MiB" >&2
    times+=("$s"); peaks+=("$kib")
  done
  echo "$(printf '%s\n' "${times[@]}" | median) $(printf '%s\n' "${peaks[@]}" | sort -n | tail -1)"
}

generate log-1m 1000000 200 1800
log="$work/log-1m"
bytes=$(du -sb "$log" | cut -f1)
entries=1000000

echo "cp -r ($runs runs)" >&2
read -r cp_s _ < <(series "cp -r" cp -r "$log" "$work/dest")
# cp -r leaves the bytes in the page cache; tlog-migrate makes them durable before it commits.
echo "cp -r, then sync ($runs runs)" >&2
read -r cps_s _ < <(series "cp -r + sync" sh -c 'cp -r "$1" "$2" && sync' sh "$log" "$work/dest")
echo "tlog-migrate directory -> directory" >&2
read -r dir_s dir_kib < <(series "dir->dir" java ${JAVA_OPTS:-} -jar "$jar" --source="$log" --destination="$work/dest" --sourceVerifierKey="$vkey" --progressIntervalSeconds=0)
cmp -s "$log/checkpoint" "$work/dest/checkpoint" || { echo "benchmark: migration did not finish" >&2; exit 1; }

echo "tlog-migrate HTTP -> directory" >&2
tlog serve --dir="$log" > "$work/serve.url" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$work/serve.url" ] && break; sleep 0.1; done
url=$(head -1 "$work/serve.url")
read -r http_s http_kib < <(series "http->dir" java ${JAVA_OPTS:-} -jar "$jar" --source="$url" --destination="$work/dest" --sourceVerifierKey="$vkey" --progressIntervalSeconds=0)
kill $server; trap - EXIT

scale_rows=""
for n in 250000 1000000 4000000; do
  generate "small-$n" "$n" 16 64
  echo "scale: $n small entries, directory -> directory" >&2
  read -r s kib < <(series "small $n" java ${JAVA_OPTS:-} -jar "$jar" --source="$work/small-$n" --destination="$work/dest" --sourceVerifierKey="$vkey" --progressIntervalSeconds=0)
  scale_rows+=$(awk -v n="$n" -v s="$s" -v k="$kib" 'BEGIN { printf "| %d | %.1f | %.2f | %.0f | %d |\n", n, s, s * 1e6 / n, n / s, k / 1024 }')$'\n'
done
rm -rf "$work/dest"

row() { awk -v l="$1" -v s="$2" -v k="$3" -v cp="$cp_s" -v cps="$cps_s" -v e="$entries" -v b="$bytes" \
  'BEGIN { printf "| %s | %.1f | %.0f | %.0f | %.2f | %.2f | %s |\n", l, s, e / s, b / s / 1e6, s / cp, s / cps, (k == "" ? "-" : int(k / 1024)) }'; }

{
  echo "# Benchmarks"
  echo
  echo "Written by \`launcher/benchmark/run.sh\` on $(date -u +%Y-%m-%d). Median of $runs runs each;"
  echo "times are end to end, JVM start included; memory is the peak resident set of the process."
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB,"
  echo "$(java -version 2>&1 | head -1), DirectRunner with the launcher's defaults."
  echo
  echo "## 1,000,000 entries of 200-1800 bytes ($((bytes / 1000000)) MB on disk)"
  echo
  echo "| what | seconds | entries/s | MB/s | × cp -r | × cp -r + sync | peak MiB |"
  echo "|---|---|---|---|---|---|---|"
  row "cp -r (unverified copy, left in the page cache)" "$cp_s" ""
  row "cp -r, then sync (unverified, durable)" "$cps_s" ""
  row "tlog-migrate directory → directory" "$dir_s" "$dir_kib"
  row "tlog-migrate HTTP (loopback) → directory" "$http_s" "$http_kib"
  echo
  echo "## Growth with log size: entries of 16-64 bytes, directory → directory"
  echo
  echo "| entries | seconds | µs per entry | entries/s | peak MiB |"
  echo "|---|---|---|---|---|"
  printf '%s' "$scale_rows"
} > "$out"
cat "$out"
