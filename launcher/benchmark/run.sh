#!/usr/bin/env bash
# The speed-and-scale benchmark: tlog-migrate against a raw copy of the same bytes.
#
#   launcher/benchmark/run.sh [work dir, default /tmp/tlog-migrate-bench]
#
# Generates (or reuses) the logs; times `cp -r`, directory -> directory and HTTP -> directory
# migrations, interleaved round by round so that all of them see the same state of the machine
# (this VM's file creation cost drifts by 2x within minutes), and takes the median of RUNS rounds;
# measures peak resident memory with /usr/bin/time; repeats the directory run at three sizes of
# small entries, next to a one-bundle run that gives the fixed start-up cost, to show how cost grows
# with the log; then HTTP -> directory from servers that wait 0, 50 and 200 ms before every
# response, beside Tessera's own migration tool (cmd/experimental/migrate/posix at the version
# launcher/src/test/go/tessera pins, 30 workers, its default) where go is installed; writes
# launcher/benchmark/BENCHMARKS.md. Runs tlog-migrate through launcher/tlog-migrate, as the README
# does. Environment: RUNS (default 5), LATENCY_RUNS (default 3), JAVA_OPTS.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${1:-/tmp/tlog-migrate-bench}
runs=${RUNS:-5}
latency_runs=${LATENCY_RUNS:-3}
tlog="$repo/launcher/tlog-migrate"
out="$here/BENCHMARKS.md"
# antispam.sh's section, which this script does not measure, is kept at the end.
antispam_section=$( [ -f "$out" ] && sed -n '/^## Antispam index rows/,$p' "$out" || true)
# shellcheck source=common.sh
. "$here/common.sh"

[ -x /usr/bin/time ] || { echo "benchmark: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
[ -f "$repo/launcher/target/tlog-migrate.jar" ] || (cd "$repo" && mvn -B -q package -DskipTests)
mkdir -p "$work"

# generate NAME SIZE MIN MAX: a log, reused when a previous run left one of that size.
generate() {
  local dir="$work/$1"
  if ! head -2 "$dir/checkpoint" 2>/dev/null | tail -1 | grep -qx "$2"; then
    rm -rf "$dir"
    echo "generating $1: $2 entries of $3..$4 bytes" >&2
    "$tlog" generate --output="$dir" --size="$2" --minEntrySize="$3" --maxEntrySize="$4" >&2
  fi
}

# measure CMD...: into an empty destination, under /usr/bin/time; prints "seconds peak_kib cpu_seconds".
measure() {
  local t="$work/time.txt"
  rm -rf "$work/dest"
  sync
  /usr/bin/time -f "%e %M %U %S" -o "$t" "$@" > "$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }
  awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$t"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# A migration into $work/dest, the source given last.
migrate=("$tlog" --destination="$work/dest" --sourceVerifierKey="$vkey" --progressIntervalSeconds=0)

generate log-1m 1000000 200 1800
log="$work/log-1m"
bytes=$(du -sb "$log" | cut -f1)
entries=1000000

serve_log "$tlog" "$log" "$work"

# Not timed: the first migration writes the class-data sharing archive that later runs map.
echo "warm-up run (writes launcher/target's class-data archive)" >&2
measure "${migrate[@]}" --source="$log" > /dev/null

declare -A times peaks
labels=(cp cps dir http)
for i in $(seq "$runs"); do
  for label in "${labels[@]}"; do
    case $label in
      cp) read -r s kib _ < <(measure cp -r "$log" "$work/dest") ;;
      cps) read -r s kib _ < <(measure sh -c 'cp -r "$1" "$2" && sync' sh "$log" "$work/dest") ;;
      dir) read -r s kib _ < <(measure "${migrate[@]}" --source="$log")
        cmp -s "$log/checkpoint" "$work/dest/checkpoint" || { echo "benchmark: migration did not finish" >&2; exit 1; } ;;
      http) read -r s kib _ < <(measure "${migrate[@]}" --source="$url")
        cmp -s "$log/checkpoint" "$work/dest/checkpoint" || { echo "benchmark: migration did not finish" >&2; exit 1; } ;;
    esac
    echo "  round $i $label: $s s, peak $((kib / 1024)) MiB" >&2
    times[$label]+="$s "
    peaks[$label]+="$kib "
  done
done
kill "${servers[@]}"; servers=(); trap - EXIT

# Distant sources: the same log from servers that wait before every response, tlog-migrate beside
# Tessera's migration tool (which reads the checkpoint without verifying its signature).
gobin=$(command -v go || echo /usr/local/go/bin/go)
tessera_migrate="" tessera_fsck=""
if [ -x "$gobin" ]; then
  (cd "$repo/launcher/src/test/go/tessera" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly \
    "$gobin" build -o "$work/tessera-migrate" github.com/transparency-dev/tessera/cmd/experimental/migrate/posix \
    && GOTOOLCHAIN=local GOFLAGS=-mod=readonly "$gobin" build -o "$work/tessera-harness" ./harness) \
    && tessera_migrate="$work/tessera-migrate" && tessera_fsck="$work/tessera-harness"
fi
latencies=(0 50 200)
declare -A urls cpus
for ms in "${latencies[@]}"; do
  serve_log "$tlog" "$log" "$work" "$ms"
  urls[$ms]=$url
done
# The same at 50 ms over HTTPS, with a throwaway CA that serve makes.
serve_log "$tlog" "$log" "$work" 50 --httpsCaCertificate="$work/ca.pem"
https_url=$url https_server=$server https_served=$served
for i in $(seq "$latency_runs"); do
  read -r s kib cpu < <(measure "${migrate[@]}" --source="$https_url" --sourceTrustedCertificates="$work/ca.pem")
  cmp -s "$log/checkpoint" "$work/dest/checkpoint" || { echo "benchmark: HTTPS migration did not finish" >&2; exit 1; }
  echo "  round $i tlog-migrate over HTTPS at 50 ms: $s s, cpu $cpu s" >&2
  times[tls50]+="$s "; peaks[tls50]+="$kib "; cpus[tls50]+="$cpu "
  read -r s kib cpu < <(measure "${migrate[@]}" --source="${urls[50]}")
  echo "  round $i tlog-migrate over HTTP at 50 ms: $s s, cpu $cpu s" >&2
  times[http50]+="$s "; cpus[http50]+="$cpu "
done
kill -TERM "$https_server"; wait "$https_server" 2>/dev/null || true
handshakes=$(sed -n 's/^TLS handshakes: //p' "$https_served")
for i in $(seq "$latency_runs"); do
  for ms in "${latencies[@]}"; do
    read -r s kib _ < <(measure "${migrate[@]}" --source="${urls[$ms]}")
    cmp -s "$log/checkpoint" "$work/dest/checkpoint" || { echo "benchmark: migration did not finish" >&2; exit 1; }
    echo "  round $i tlog-migrate at $ms ms: $s s, peak $((kib / 1024)) MiB" >&2
    times[tm$ms]+="$s "; peaks[tm$ms]+="$kib "
    if [ -n "$tessera_migrate" ]; then
      read -r s kib _ < <(measure "$tessera_migrate" --storage_dir="$work/dest" --source_url="${urls[$ms]}")
      cmp -s "$log/tile/entries/000" "$work/dest/tile/entries/000" || { echo "benchmark: Tessera's migration did not finish" >&2; exit 1; }
      echo "  round $i Tessera migrate at $ms ms: $s s, peak $((kib / 1024)) MiB" >&2
      times[tt$ms]+="$s "; peaks[tt$ms]+="$kib "
    fi
  done
done

# Audits: tlog-migrate verify against Tessera's fsck package (through our harness, with as many
# workers as tlog-migrate has fetches in flight; its cmd/fsck defaults to 1), from the directory
# and from the 50 ms server.
for i in $(seq "$latency_runs"); do
  for where in dir 50; do
    src=$log; [ "$where" = dir ] || src=${urls[50]}
    read -r s kib _ < <(measure "$tlog" verify --source="$src" --sourceVerifierKey="$vkey" --progressIntervalSeconds=0)
    echo "  round $i verify from $where: $s s" >&2
    times[v$where]+="$s "; peaks[v$where]+="$kib "
    if [ -n "$tessera_fsck" ]; then
      if [ "$where" = dir ]; then at=(--storage_dir="$log"); else at=(--storage_url="${urls[50]}"); fi
      read -r s kib _ < <(measure "$tessera_fsck" fsck "${at[@]}" --public_key="$vkey" --n=64)
      echo "  round $i Tessera fsck from $where: $s s" >&2
      times[f$where]+="$s "; peaks[f$where]+="$kib "
    fi
  done
done
kill "${servers[@]}"; servers=(); trap - EXIT

med() { printf '%s\n' ${times[$1]} | median; }
spread() { printf '%s\n' ${times[$1]} | sort -n | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.2f-%.2f", lo, hi}'; }
peak() { printf '%s\n' ${peaks[$1]} | sort -n | tail -1; }
cp_s=$(med cp); cps_s=$(med cps)

# The fixed cost of a run: one bundle, start-up and commit around it.
generate small-256 256 16 64
fixed=()
for i in $(seq "$runs"); do
  read -r s _ _ < <(measure "${migrate[@]}" --source="$work/small-256")
  fixed+=("$s")
done
fixed_s=$(printf '%s\n' "${fixed[@]}" | median)
scale_rows=""
for n in 250000 1000000 4000000; do
  generate "small-$n" "$n" 16 64
  echo "scale: $n small entries, directory -> directory" >&2
  ss=() ks=()
  for i in $(seq "$runs"); do
    read -r s kib _ < <(measure "${migrate[@]}" --source="$work/small-$n")
    echo "  $n run $i: $s s, peak $((kib / 1024)) MiB" >&2
    ss+=("$s"); ks+=("$kib")
  done
  s=$(printf '%s\n' "${ss[@]}" | median)
  kib=$(printf '%s\n' "${ks[@]}" | sort -n | tail -1)
  scale_rows+=$(awk -v n="$n" -v s="$s" -v k="$kib" -v f="$fixed_s" \
    'BEGIN { printf "| %d | %.1f | %.2f | %.2f | %.0f | %d |\n", n, s, s * 1e6 / n, (s - f) * 1e6 / n, n / s, k / 1024 }')$'\n'
done
rm -rf "$work/dest"

row() { awk -v l="$1" -v s="$(med "$2")" -v r="$(spread "$2")" -v k="$3" -v cp="$cp_s" -v cps="$cps_s" -v e="$entries" -v b="$bytes" \
  'BEGIN { printf "| %s | %.2f | %s | %.0f | %.0f | %.2f | %.2f | %s |\n", l, s, r, e / s, b / s / 1e6, s / cp, s / cps, (k == "" ? "-" : int(k / 1024)) }'; }

{
  echo "# Benchmarks"
  echo
  echo "Written by \`launcher/benchmark/run.sh\` on $(date -u +%Y-%m-%d). Median of $runs runs each, the"
  echo "four commands of the first table interleaved round by round; times are end to end, JVM start"
  echo "included; memory is the peak resident set of the process. tlog-migrate runs through"
  echo "\`launcher/tlog-migrate\` (its class-data archive made by an untimed warm-up run)."
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB,"
  echo "$(java -version 2>&1 | head -1), DirectRunner with the launcher's defaults."
  echo
  echo "## 1,000,000 entries of 200-1800 bytes ($((bytes / 1000000)) MB on disk)"
  echo
  echo "| what | seconds | fastest-slowest round | entries/s | MB/s | × cp -r | × cp -r + sync | peak MiB |"
  echo "|---|---|---|---|---|---|---|---|"
  row "cp -r (unverified copy, left in the page cache)" cp ""
  row "cp -r, then sync (unverified, durable)" cps ""
  row "tlog-migrate directory → directory" dir "$(peak dir)"
  row "tlog-migrate HTTP (loopback) → directory" http "$(peak http)"
  echo
  echo "## Distant sources: HTTP → directory, 1,000,000 entries, a wait before every response"
  echo
  echo "The launcher's \`serve --latencyMillis\` on loopback, one server per latency; median of $latency_runs rounds,"
  echo "interleaved. tlog-migrate with its defaults (64 fetches in flight), verifying the checkpoint's"
  echo "signature; Tessera's \`cmd/experimental/migrate/posix\` v1.0.4 with its defaults (30 workers),"
  echo "which does not."
  echo
  echo "| latency | tlog-migrate s | entries/s | × its 0 ms run | peak MiB | Tessera migrate s | entries/s | peak MiB | tlog-migrate speed-up |"
  echo "|---|---|---|---|---|---|---|---|---|"
  base=$(med tm0)
  for ms in "${latencies[@]}"; do
    tm=$(med "tm$ms")
    if [ -n "$tessera_migrate" ]; then tt=$(med "tt$ms"); tk=$(peak "tt$ms"); else tt=""; tk=""; fi
    awk -v ms="$ms" -v s="$tm" -v b="$base" -v k="$(peak "tm$ms")" -v t="$tt" -v tk="$tk" -v e="$entries" \
      'BEGIN { printf "| %d ms | %.2f | %.0f | %.2f | %d | %s | %s | %s | %s |\n", ms, s, e / s, s / b, k / 1024,
        (t == "" ? "-" : sprintf("%.2f", t)), (t == "" ? "-" : sprintf("%.0f", e / t)),
        (tk == "" ? "-" : sprintf("%d", tk / 1024)), (t == "" ? "-" : sprintf("%.2f×", t / s)) }'
  done
  [ -n "$tessera_migrate" ] || echo "(no go here: Tessera's tool was not run)"
  echo
  echo "### HTTP against HTTPS at 50 ms"
  echo
  echo "The same server over TLS (\`serve --httpsCaCertificate\`, a CA made for the run; the client trusts it"
  echo "with \`--sourceTrustedCertificates\`), interleaved with plain HTTP, median of $latency_runs rounds;"
  echo "CPU is the client's user + system time (the server shares the two cores)."
  echo
  echo "| protocol | seconds | entries/s | client CPU s | × HTTP | TLS handshakes per run |"
  echo "|---|---|---|---|---|---|"
  h=$(med http50); t=$(med tls50)
  hc=$(printf '%s\n' ${cpus[http50]} | median); tc=$(printf '%s\n' ${cpus[tls50]} | median)
  awk -v s="$h" -v c="$hc" -v e="$entries" 'BEGIN { printf "| HTTP | %.2f | %.0f | %.1f | 1.00 | - |\n", s, e / s, c }'
  awk -v s="$t" -v c="$tc" -v h="$h" -v e="$entries" -v n="$handshakes" -v r="$latency_runs" \
    'BEGIN { printf "| HTTPS | %.2f | %.0f | %.1f | %.2f | %s |\n", s, e / s, c, s / h, (n == "" ? "?" : n / r) }'
  echo
  echo "## Audits: \`tlog-migrate verify\` beside Tessera's fsck, 1,000,000 entries"
  echo
  echo "Both check the checkpoint's signature, hash every entry and check every hash tile. verify rebuilds"
  echo "every tile and compares it with the source's, byte for byte; Tessera's fsck (the v1.0.4 package,"
  echo "through our harness in launcher/src/test/go/tessera, with 64 workers: its cmd/fsck defaults to 1)"
  echo "does the same per tile. Median of $latency_runs rounds."
  echo
  echo "| source | verify s | entries/s | peak MiB | Tessera fsck s | entries/s | peak MiB | verify speed-up |"
  echo "|---|---|---|---|---|---|---|---|"
  for where in dir 50; do
    v=$(med "v$where")
    if [ -n "$tessera_fsck" ]; then f=$(med "f$where"); fk=$(peak "f$where"); else f=""; fk=""; fi
    awk -v w="$where" -v s="$v" -v k="$(peak "v$where")" -v f="$f" -v fk="$fk" -v e="$entries" \
      'BEGIN { printf "| %s | %.2f | %.0f | %d | %s | %s | %s | %s |\n", (w == "dir" ? "directory" : "HTTP, 50 ms"), s, e / s, k / 1024,
        (f == "" ? "-" : sprintf("%.2f", f)), (f == "" ? "-" : sprintf("%.0f", e / f)),
        (fk == "" ? "-" : sprintf("%d", fk / 1024)), (f == "" ? "-" : sprintf("%.2f×", f / s)) }'
  done
  echo
  echo "## Growth with log size: entries of 16-64 bytes, directory → directory"
  echo
  echo "A one-bundle (256-entry) run takes $fixed_s s: the fixed cost of a run (JVM and Beam start,"
  echo "checkpoint, commit). The last µs column is the cost per entry beyond it."
  echo
  echo "| entries | seconds | µs per entry | µs per entry beyond the fixed cost | entries/s | peak MiB |"
  echo "|---|---|---|---|---|---|"
  printf '%s' "$scale_rows"
  if [ -n "$antispam_section" ]; then
    echo
    echo "$antispam_section"
  fi
} > "$out"
cat "$out"
