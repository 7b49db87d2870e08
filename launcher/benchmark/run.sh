#!/usr/bin/env bash
# The benchmark: tlog-migrate beside its peers, on the same machine, in the same rounds.
#
#   launcher/benchmark/run.sh [work dir, default /tmp/tlog-migrate-bench]
#
# Row groups (ROWS, default all of "http https dir verify fixed"):
#   http    HTTP -> directory from a standard-library Go static server
#           (launcher/src/test/go/staticserver) that waits LATENCIES ms (default "0 50") before
#           every response: tlog-migrate beside Tessera's cmd/experimental/migrate/posix v1.0.4
#           (its defaults: 30 workers, no signature check);
#   https   the same over HTTPS at 50 ms, both tools, beside their HTTP runs at 50 ms;
#   dir     directory -> directory beside `cp -r` and `cp -r` + `sync`;
#   verify  `tlog-migrate verify` of a directory beside Tessera's cmd/fsck v1.0.4 (--N=64
#           --ui=false) and our harness around its fsck package (64 workers), at each of
#           VERIFY_SIZES entries (default "1000000 4000000");
#   fixed   a one-bundle (256-entry) directory -> directory run: the fixed cost of a run.
# The logs hold SIZE entries (default 1,000,000; VERIFY_SIZES for the audits) of 200-1,800 bytes,
# made by `tlog-migrate generate` and kept in the work dir for the next run.
#
# How it measures (the team's rules for these 2-core machines): the source server is cheap and its
# CPU seconds (from /proc/PID/stat) are reported beside the client's; every run writes into a
# fresh directory, and all of them are deleted only at the end (this ext4 creates files slowly
# right after a mass deletion); before every timed command, untimed, its source is read (idle
# pages are evicted here) and dirty pages are synced; the commands of a group run interleaved,
# each round starting one command further on; medians of RUNS rounds (default 3). Time, client CPU
# (user + system) and peak RSS come from /usr/bin/time. tlog-migrate runs through
# launcher/tlog-migrate (JAVA_HOME, JAVA and JAVA_OPTS as it reads them), its class-data archive
# (AOT cache on JDK 25) made by an untimed warm-up run.
#
# A smoke run of every row (a few minutes):
#   RUNS=1 SIZE=50000 VERIFY_SIZES=50000 launcher/benchmark/run.sh /tmp/tlog-migrate-smoke
# Only a run with every default rewrites launcher/benchmark/BENCHMARKS.md; any other writes its
# tables to the work dir (OUT names another file).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
mkdir -p "${1:-/tmp/tlog-migrate-bench}"
work=$(cd "${1:-/tmp/tlog-migrate-bench}" && pwd)
runs=${RUNS:-3}
rows=${ROWS:-http https dir verify fixed}
size=${SIZE:-1000000}
verify_sizes=${VERIFY_SIZES:-1000000 4000000}
read -r -a latencies <<< "${LATENCIES:-0 50}"
tls_ms=50
if [ -z "${RUNS:-}${ROWS:-}${SIZE:-}${VERIFY_SIZES:-}${LATENCIES:-}" ]; then
  out=${OUT:-$here/BENCHMARKS.md}
else
  out=${OUT:-$work/BENCHMARKS.md}
fi
# antispam.sh's section of BENCHMARKS.md, which this script does not measure, is kept at the end.
antispam_section=$( [ -f "$here/BENCHMARKS.md" ] && sed -n '/^## Antispam index rows/,$p' "$here/BENCHMARKS.md" || true)
# shellcheck source=common.sh
. "$here/common.sh"

fail() { echo "benchmark: $*" >&2; exit 1; }
for r in $rows; do
  case $r in http | https | dir | verify | fixed) ;; *) fail "unknown row group '$r' in ROWS (want http https dir verify fixed)" ;; esac
done
want() { [[ " $rows " == *" $1 "* ]]; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || fail "RUNS must be a positive number, not '$runs'"
for n in $size $verify_sizes; do [[ $n =~ ^[1-9][0-9]*$ ]] || fail "log sizes must be positive numbers, not '$n'"; done
for ms in "${latencies[@]}"; do [[ $ms =~ ^[0-9]+$ ]] || fail "LATENCIES must be milliseconds, not '$ms'"; done
[ -x /usr/bin/time ] || fail "needs /usr/bin/time (apt-get install time)"

runs_dir="$work/runs.$$"
cleanup() {
  stop_servers
  if [ -d "$runs_dir" ]; then
    echo "deleting the runs' destinations ($runs_dir)" >&2
    rm -rf "$runs_dir"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

need_jar
go_build staticserver . staticserver
if want http || want https; then
  go_build tessera github.com/transparency-dev/tessera/cmd/experimental/migrate/posix tessera-migrate
fi
if want verify; then
  go_build tessera github.com/transparency-dev/tessera/cmd/fsck tessera-fsck
  go_build tessera ./harness tessera-harness
  echo "$vkey" > "$work/vkey.txt" # cmd/fsck reads the key from a file
fi

# The logs.
log="$work/log-$size"
if want http || want https || want dir; then generate "log-$size" "$size" 200 1800; fi
if want verify; then for n in $verify_sizes; do generate "log-$n" "$n" 200 1800; done; fi
if want fixed; then generate log-256 256 200 1800; fi
generate log-warm 66000 16 64 # levels 0, 1 and 2: every stage of the pipeline

# The HTTPS rows compare with HTTP at the same latency: that runs even when http is not selected.
http_ms=()
if want http; then http_ms=("${latencies[@]}"); fi
if want https && [[ " ${http_ms[*]} " != *" $tls_ms "* ]]; then http_ms+=("$tls_ms"); fi

# The destinations of every run stay until the end: enough room for them first.
writers=$((2 * ${#http_ms[@]}))
if want https; then writers=$((writers + 2)); fi
if want dir; then writers=$((writers + 3)); fi
if [ "$writers" -gt 0 ]; then
  need=$(($(du -sb "$log" | cut -f1) * writers * runs * 11 / 10))
  avail=$(df --output=avail -B1 "$work" | tail -1)
  [ "$avail" -gt "$need" ] || fail "needs $((need >> 30)) GiB free in $work for the runs' destinations, has $((avail >> 30)) GiB"
fi
mkdir -p "$runs_dir"

# The servers: one per latency, plus HTTPS at 50 ms; each serves the whole work dir, a log under
# its name.
declare -A urls pids outs
if want http || want https; then
  for ms in "${http_ms[@]}"; do
    start_server "$work" "$ms"
    urls[$ms]=$url pids[$ms]=$server outs[$ms]=$served
  done
  if want https; then
    ca="$work/ca.pem"
    start_server "$work" $tls_ms "$ca"
    urls[tls]=$url pids[tls]=$server outs[tls]=$served
  fi
fi

migrate=(--sourceVerifierKey="$vkey" --progressIntervalSeconds=0)
echo "warm-up run, untimed (it writes launcher/target's class-data archive, or AOT cache on JDK 25)" >&2
if [ -n "${urls[tls]:-}" ]; then
  warm_src=(--source="${urls[tls]}log-warm/" --sourceTrustedCertificates="$ca")
else
  warm_src=(--source="$work/log-warm")
fi
"$tlog" "${migrate[@]}" "${warm_src[@]}" --destination="$runs_dir/warm-up" > "$work/last.log" 2>&1 \
  || { cat "$work/last.log" >&2; fail "the warm-up run failed"; }

tck=$(getconf CLK_TCK)
declare -A secs cpus rsss scpus sconns
# timed LABEL ROUND: one timed run of a command (see the case below) into a fresh destination.
timed() {
  local label=$1 round=$2 src srv="" served="" n
  local dest="$runs_dir/$label.$round"
  local cmd=()
  case $label in
    tm-http-* | tt-http-* | tm-https | tt-https)
      src=$log
      local ms=${label##*-} base
      [[ $label != *https ]] || ms=tls
      base=${urls[$ms]} srv=${pids[$ms]} served=${outs[$ms]}
      case $label in
        tm-http-*) cmd=("$tlog" "${migrate[@]}" --source="${base}log-$size/" --destination="$dest") ;;
        tm-https) cmd=("$tlog" "${migrate[@]}" --source="${base}log-$size/" --destination="$dest" --sourceTrustedCertificates="$ca") ;;
        tt-http-*) cmd=("$bin/tessera-migrate" --storage_dir="$dest" --source_url="${base}log-$size/") ;;
        tt-https) cmd=(env SSL_CERT_FILE="$ca" "$bin/tessera-migrate" --storage_dir="$dest" --source_url="${base}log-$size/") ;;
      esac ;;
    cp) src=$log cmd=(cp -r "$log" "$dest") ;;
    cps) src=$log cmd=(sh -c 'cp -r "$1" "$2" && sync' sh "$log" "$dest") ;;
    tm-dir) src=$log cmd=("$tlog" "${migrate[@]}" --source="$log" --destination="$dest") ;;
    tm-fixed) src=$work/log-256 cmd=("$tlog" "${migrate[@]}" --source="$src" --destination="$dest") ;;
    tm-verify-*) n=${label##*-} src=$work/log-$n
      cmd=("$tlog" verify "${migrate[@]}" --source="$src") ;;
    tf-verify-*) n=${label##*-} src=$work/log-$n
      cmd=("$bin/tessera-fsck" --storage_url="file://$src/" --public_key="$work/vkey.txt" --N=64 --ui=false) ;;
    th-verify-*) n=${label##*-} src=$work/log-$n
      cmd=("$bin/tessera-harness" fsck --storage_dir="$src" --public_key="$vkey" --n=64) ;;
    *) fail "no command for $label" ;;
  esac
  warm "$src"
  sync
  local c0=0 k0="" k1
  if [ -n "$srv" ]; then c0=$(server_cpu "$srv"); k0=$(server_counters "$srv" "$served"); fi
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "${cmd[@]}" > "$work/last.log" 2>&1 \
    || { tail -20 "$work/last.log" >&2; fail "$label (round $round) failed: ${cmd[*]}"; }
  local s kib u sy
  read -r s kib u sy < "$work/time.txt"
  # Each run must have done its whole job.
  local size_line root_line
  size_line=$(sed -n 2p "$src/checkpoint") root_line=$(sed -n 3p "$src/checkpoint")
  case $label in
    tm-http-* | tm-https | tm-dir | tm-fixed | cp | cps) cmp -s "$src/checkpoint" "$dest/checkpoint" ;;
    tt-*) grep -qF "{\"size\":$size_line,\"root\":\"$root_line\"}" "$dest/.state/treeState" ;;
    tm-verify-*) grep -q "^verified tree size $size_line, root $root_line" "$work/last.log" ;;
    tf-verify-*) grep -q "Successfully fsck'd log with size $size_line and root $root_line" "$work/last.log" ;;
    th-verify-*) grep -qx "fsck ok" "$work/last.log" ;;
  esac || { tail -20 "$work/last.log" >&2; fail "$label (round $round) did not finish its job: ${cmd[*]}"; }
  secs[$label]+="$s " rsss[$label]+="$kib " cpus[$label]+="$(awk -v u="$u" -v s="$sy" 'BEGIN { print u + s }') "
  local note=""
  if [ -n "$srv" ]; then
    k1=$(server_counters "$srv" "$served")
    local sc conns
    sc=$(awk -v a="$c0" -v b="$(server_cpu "$srv")" -v t="$tck" 'BEGIN { printf "%.2f", (b - a) / t }')
    conns=$(($(sed 's/.*connections=\([0-9]*\).*/\1/' <<< "$k1") - $(sed 's/.*connections=\([0-9]*\).*/\1/' <<< "$k0")))
    scpus[$label]+="$sc " sconns[$label]+="$conns "
    note=", server CPU $sc s, $conns connections"
  fi
  echo "  round $round $label: $s s, CPU $(awk -v u="$u" -v s="$sy" 'BEGIN { print u + s }') s, peak $((kib / 1024)) MiB$note" >&2
}

# interleaved LABEL...: RUNS rounds of the commands, each round starting one command further on.
interleaved() {
  local labels=("$@") k=$# r i
  for r in $(seq "$runs"); do
    for i in $(seq 0 $((k - 1))); do
      timed "${labels[$(((i + r - 1) % k))]}" "$r"
    done
  done
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u +%Y-%m-%dT%H:%MZ)
if want http || want https; then
  labels=()
  for ms in "${http_ms[@]}"; do labels+=("tm-http-$ms" "tt-http-$ms"); done
  if want https; then labels+=(tm-https tt-https); fi
  echo "HTTP -> directory, $size entries: ${labels[*]}" >&2
  interleaved "${labels[@]}"
fi
if want dir; then
  echo "directory -> directory, $size entries" >&2
  interleaved cp cps tm-dir
fi
if want verify; then
  for n in $verify_sizes; do
    echo "audits of $n entries from a directory" >&2
    interleaved "tm-verify-$n" "tf-verify-$n" "th-verify-$n"
  done
fi
if want fixed; then
  echo "one bundle, directory -> directory" >&2
  interleaved tm-fixed
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
stop_servers

# The tables.
med() { printf '%s\n' $1 | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
spread() { printf '%s\n' $1 | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f-%.2f", lo, hi }'; }
peak() { printf '%s\n' $1 | sort -n | tail -1 | awk '{ printf "%d", $1 / 1024 }'; }
s_() { med "${secs[$1]}"; }
bytes=$(du -sb "$log" 2>/dev/null | cut -f1 || echo 0)
java_cmd=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
# ratio A B: A / B to two places.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

http_row() { # LABEL WHAT ENTRIES PEER_LABEL
  local l=$1 s
  s=$(s_ "$l")
  awk -v what="$2" -v s="$s" -v r="$(spread "${secs[$l]}")" -v e="$3" -v c="$(med "${cpus[$l]}")" \
    -v sc="$(med "${scpus[$l]}")" -v cn="$(med "${sconns[$l]}")" -v k="$(peak "${rsss[$l]}")" \
    -v p="${4:+$(s_ "$4")}" \
    'BEGIN { printf "| %s | %.2f | %s | %.0f | %.1f | %.2f | %d | %s | %s |\n", what, s, r, e / s, c, sc, cn, k,
      (p == "" ? "" : sprintf("%.2f×", p / s)) }'
}
plain_row() { # LABEL WHAT ENTRIES [MORE COLUMNS...]
  local l=$1 s extra="" x
  s=$(s_ "$l")
  for x in "${@:4}"; do extra+=" $x |"; done
  awk -v what="$2" -v s="$s" -v r="$(spread "${secs[$l]}")" -v e="$3" -v c="$(med "${cpus[$l]}")" \
    -v k="$(peak "${rsss[$l]}")" -v x="$extra" \
    'BEGIN { printf "| %s | %.2f | %s | %.0f | %.1f | %d |%s\n", what, s, r, e / s, c, k, x }'
}

{
  echo "# Benchmarks"
  echo
  echo "Written by \`launcher/benchmark/run.sh\` ($started); medians of $runs rounds, the commands of each"
  echo "table interleaved round by round, each into a fresh destination directory, the source read"
  echo "and dirty pages synced before each (untimed). Times are end to end, JVM start included; CPU is"
  echo "the client's user + system time; memory its peak resident set. The HTTP source is"
  echo "launcher/src/test/go/staticserver (Go standard library, files as they are on disk, keep-alive),"
  echo "one process per latency, its CPU measured apart from the client's."
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB;"
  echo "load average $load_before before, $load_after after. $("$java_cmd" -version 2>&1 | head -1), DirectRunner,"
  echo "tlog-migrate through \`launcher/tlog-migrate\` with its defaults${JAVA_OPTS:+ and JAVA_OPTS=\`$JAVA_OPTS\`}. Peers: Tessera v1.0.4, $(go version | cut -d' ' -f3)."
  if want http || want https; then
    echo
    echo "## HTTP → directory, $size entries of 200-1,800 bytes ($((bytes / 1000000)) MB)"
    echo
    echo "tlog-migrate verifies the checkpoint's signature, hashes every entry, rebuilds every tile and"
    echo "compares the root before it commits (64 fetches in flight). Tessera's"
    echo "\`cmd/experimental/migrate/posix\` (30 workers, Go's default HTTP client: HTTP/2 over TLS)"
    echo "reads the checkpoint without verifying it, then integrates the entries. Server CPU and"
    echo "connections are those the server saw during the run."
    echo
    echo "| source, tool | seconds | fastest-slowest | entries/s | client CPU s | server CPU s | connections | peak MiB | tlog-migrate speed-up |"
    echo "|---|---|---|---|---|---|---|---|---|"
    for ms in "${http_ms[@]}"; do
      http_row "tm-http-$ms" "HTTP, $ms ms: tlog-migrate" "$size" "tt-http-$ms"
      http_row "tt-http-$ms" "HTTP, $ms ms: Tessera migrate" "$size"
    done
    if want https; then
      http_row tm-https "HTTPS, $tls_ms ms: tlog-migrate" "$size" tt-https
      http_row tt-https "HTTPS, $tls_ms ms: Tessera migrate" "$size"
      echo
      echo "HTTPS / HTTP at $tls_ms ms: tlog-migrate $(ratio "$(s_ tm-https)" "$(s_ "tm-http-$tls_ms")")×,"
      echo "Tessera migrate $(ratio "$(s_ tt-https)" "$(s_ "tt-http-$tls_ms")")× (a connection is a TLS handshake)."
    fi
  fi
  if want dir; then
    echo
    echo "## Directory → directory, $size entries ($((bytes / 1000000)) MB)"
    echo
    echo "| what | seconds | fastest-slowest | entries/s | CPU s | peak MiB | × cp -r | × cp -r + sync |"
    echo "|---|---|---|---|---|---|---|---|"
    for l in cp cps tm-dir; do
      case $l in
        cp) what="cp -r (unverified, left in the page cache)" ;;
        cps) what="cp -r, then sync (unverified, durable)" ;;
        tm-dir) what="tlog-migrate (verified, durable)" ;;
      esac
      plain_row "$l" "$what" "$size" "$(ratio "$(s_ "$l")" "$(s_ cp)")" "$(ratio "$(s_ "$l")" "$(s_ cps)")"
    done
  fi
  if want verify; then
    echo
    echo "## Audits of a directory: \`tlog-migrate verify\` beside Tessera's fsck"
    echo
    echo "All three check the checkpoint's signature, hash every entry and check every hash tile and the"
    echo "root. Tessera's \`cmd/fsck\` v1.0.4 runs with \`--N=64 --ui=false\`; our harness"
    echo "(launcher/src/test/go/tessera) runs the same fsck package with 64 workers and exits non-zero on"
    echo "a failed check. Entries of 200-1,800 bytes."
    echo
    echo "| entries, tool | seconds | fastest-slowest | entries/s | CPU s | peak MiB | speed-up over cmd/fsck |"
    echo "|---|---|---|---|---|---|---|"
    for n in $verify_sizes; do
      plain_row "tm-verify-$n" "$n: tlog-migrate verify" "$n" "$(ratio "$(s_ "tf-verify-$n")" "$(s_ "tm-verify-$n")")×"
      plain_row "tf-verify-$n" "$n: Tessera cmd/fsck" "$n" "1.00×"
      plain_row "th-verify-$n" "$n: Tessera fsck, our harness" "$n" "$(ratio "$(s_ "tf-verify-$n")" "$(s_ "th-verify-$n")")×"
    done
  fi
  if want fixed; then
    echo
    echo "## Fixed cost: one bundle (256 entries), directory → directory"
    echo
    echo "| what | seconds | fastest-slowest | entries/s | CPU s | peak MiB |"
    echo "|---|---|---|---|---|---|"
    plain_row tm-fixed "tlog-migrate" 256
  fi
  echo
  echo "## Targets of issue #22"
  echo
  echo "| row | measured | target |"
  echo "|---|---|---|"
  if want http; then
    for ms in "${latencies[@]}"; do
      echo "| HTTP, $size entries, $ms ms | $(ratio "$(s_ "tt-http-$ms")" "$(s_ "tm-http-$ms")")× Tessera migrate, $(awk -v e="$size" -v s="$(s_ "tm-http-$ms")" 'BEGIN { printf "%.0f", e / s }') entries/s | ≥ 1.5×, ≥ 150,000 entries/s |"
    done
  fi
  if want verify; then
    for n in $verify_sizes; do
      echo "| verify, $n entries from a directory | $(ratio "$(s_ "tf-verify-$n")" "$(s_ "tm-verify-$n")")× fsck | ≥ $([ "$n" -ge 4000000 ] && echo 1.5 || echo 1.0)× fsck |"
    done
  fi
  if want dir; then echo "| directory → directory, $size entries | $(ratio "$(s_ tm-dir)" "$(s_ cps)")× cp -r + sync | ≤ 1.3× |"; fi
  if want fixed; then echo "| one-bundle run | $(s_ tm-fixed) s | ≤ 1.0 s |"; fi
  if want https; then echo "| HTTPS / HTTP at $tls_ms ms | $(ratio "$(s_ tm-https)" "$(s_ "tm-http-$tls_ms")")× | ≤ 1.15× |"; fi
  if [ "$out" = "$here/BENCHMARKS.md" ] && [ -n "$antispam_section" ]; then
    echo
    echo "$antispam_section"
  fi
} > "$out"
cat "$out"
echo "written to $out" >&2
