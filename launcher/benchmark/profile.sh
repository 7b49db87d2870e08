#!/usr/bin/env bash
# Where a run's CPU goes: profiles tlog-migrate runs with async-profiler (fetched from Maven Central
# into the work dir) and prints, as markdown, CPU seconds by thread group, by kind of work (kernel
# time by system call where the kernel's stacks can be sampled), SHA-256 by the state of its code
# (interpreted, C1, C2, the intrinsic stub), and the hottest frames; for the one-bundle run also a
# timeline of its phases, from the JVM's uptime when each phase's first class was loaded.
# CPU samples stay meaningful on a busy machine; the wall times beside them do not.
#
#   launcher/benchmark/profile.sh [work dir, default /tmp/tlog-migrate-bench]
#
# Environment: PROFILES, any of "dir http https verify fixed" (default all): directory -> directory,
# HTTP -> directory and HTTPS -> directory (the benchmark's Go static server, no latency), verify
# of a directory, and one bundle directory -> directory; SIZE (default 1000000) entries of 200-1,800 bytes, generated like
# run.sh's logs; EVENT (default cpu, perf_events' CPU clock with kernel stacks; itimer where perf
# events are not allowed); JAVA_OPTS (added to the profiler's). The collapsed stacks stay in
# the work dir's profiles/ for a closer look.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
mkdir -p "${1:-/tmp/tlog-migrate-bench}"
work=$(cd "${1:-/tmp/tlog-migrate-bench}" && pwd)
profiles=${PROFILES:-dir http https verify fixed}
size=${SIZE:-1000000}
event=${EVENT:-cpu}
interval_ms=5
wall_ms=2
# shellcheck source=common.sh
. "$here/common.sh"
for p in $profiles; do
  case $p in dir | http | https | verify | fixed) ;; *) echo "profile: unknown profile '$p' (want dir http https verify fixed)" >&2; exit 1 ;; esac
done
[ -x /usr/bin/time ] || { echo "profile: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

dests="$work/profile-runs.$$"
trap 'stop_servers; rm -rf "$dests"' EXIT
trap 'exit 130' INT TERM

# 4.x: 3.0 crashes JDK 25's JVM.
ap_version=4.2
agent="$work/async-profiler-$ap_version/linux-x64/libasyncProfiler.so"
if [ ! -f "$agent" ]; then
  mvn -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:$ap_version -DoutputDirectory="$work/async-profiler-$ap_version"
  (cd "$work/async-profiler-$ap_version" && unzip -q -o "async-profiler-$ap_version.jar" 'linux-x64/*')
fi
need_jar
go_build staticserver . staticserver
log="$work/log-$size"
generate "log-$size" "$size" 200 1800
generate log-256 256 200 1800
mkdir -p "$dests" "$work/profiles"
# Untimed: the launcher's class-data archive (AOT cache on JDK 25), which a run with the profiler
# loaded cannot write but uses.
"$tlog" --source="$work/log-256" --destination="$dests/warm-up" --sourceVerifierKey="$vkey" \
  --progressIntervalSeconds=0 > "$work/last.log" 2>&1 \
  || { cat "$work/last.log" >&2; echo "profile: the warm-up run failed" >&2; exit 1; }

# summarize FILE: the tables of one collapsed profile (frames annotated: _[0] interpreted, _[1] C1,
# _[j] C2, _[i] inlined, _[k] kernel).
summarize() {
  awk -v ms="$interval_ms" '
    function group(t) {
      if (t ~ /^\[C2 Compiler/) return "JIT compiler threads (C2)"
      if (t ~ /^\[C1 Compiler/) return "JIT compiler threads (C1)"
      if (t ~ /^\[tlog-migrate-fetch/) return "fetch pool: fetch, parse, hash, write"
      if (t ~ /^\[direct-runner-worker/) return "DirectRunner workers"
      if (t ~ /^\[main/) return "main: options, plan, construction, waiting"
      if (t ~ /^\[(VM Thread|GC Thread|VM Periodic)/) return "GC and VM operations"
      return "other threads"
    }
    function kernel(s) {
      if (s !~ /_\[k\]/) return ""
      if (s ~ /tcp_|sock_|inet_|unix_stream/) return "kernel: socket send and receive"
      if (s ~ /(ksys|sys)_p?write/) return "kernel: write(2)"
      if (s ~ /(ksys|sys)_p?read/) return "kernel: read(2)"
      if (s ~ /sys_openat|do_filp_open/) return "kernel: open(2), creating files"
      if (s ~ /renameat/) return "kernel: rename(2)"
      if (s ~ /fsync|fdatasync/) return "kernel: fsync(2)"
      if (s ~ /mkdir/) return "kernel: mkdir(2)"
      if (s ~ /futex/) return "kernel: futex (threads waking each other)"
      if (s ~ /sys_close|__fput/) return "kernel: close(2)"
      if (s ~ /page_fault|exc_page/) return "kernel: page faults"
      return "kernel: other"
    }
    function work(t, s,   k) {
      if (t ~ /^\[C[12] Compiler/) return "JIT compilation"
      if (t ~ /^\[(VM Thread|GC Thread)/) return "GC and VM operations"
      if ((k = kernel(s)) != "") return k
      # itimer: the system call wrapper is the leaf, without kernel frames
      if (s ~ /;(__GI_)?(__libc_)?write[^;]*$/) return "system call: write"
      if (s ~ /;(__GI_)?(__libc_)?(open|open64)[^;]*$/) return "system call: open"
      if (s ~ /;(__GI_)?fsync[^;]*$/) return "system call: fsync"
      if (s ~ /;rename[^;]*$/) return "system call: rename"
      if (s ~ /sun\/security\/ssl\/|com\/sun\/crypto\/provider\/|javax\/crypto\//) return "TLS: handshakes, record encryption"
      if (s ~ /MessageDigest|sun\/security\/provider\/(SHA2|DigestBase)|sha256_implCompress/) return "SHA-256"
      if (s ~ /org\/apache\/hc\//) return "HTTP client (Apache HttpClient)"
      if (s ~ /dev\/tlogmigrate\/transforms\/format\//) return "log formats: parse bundles, tiles, notes"
      if (s ~ /PipelineOptionsFactory|ProxyInvocationHandler|PipelineOptionsValidator/) return "Beam options: registration, parsing, validation"
      if (s ~ /ClassLoader|SystemDictionary|ClassFileParser|Verifier::|LinkResolver|InstanceKlass::link/) return "class loading and linking"
      if (s ~ /org\/apache\/beam\//) return "Beam SDK and DirectRunner"
      if (s ~ /dev\/tlogmigrate\//) return "other tlog-migrate code"
      if (s ~ /_\[0\]|Interpreter/) return "other interpreted Java"
      return "other JVM and JDK"
    }
    function sha(s,   n, f, i) {
      n = split(s, f, ";")
      for (i = n; i >= 1; i--) {
        if (f[i] ~ /^sha256_implCompress/) return "the intrinsic stub (C2-compiled callers)"
        if (f[i] ~ /^sun\/security\/provider\/(SHA2|DigestBase)/) {
          if (f[i] ~ /_\[0\]$/) return "interpreted"
          if (f[i] ~ /_\[1\]$/) return "C1-compiled Java"
          return "C2-compiled Java body (its callers not yet C2: no intrinsic)"
        }
      }
      return "other (MessageDigest plumbing)"
    }
    {
      n = $NF; sub(/ [0-9]+$/, ""); split($0, f, ";"); total += n
      g = group(f[1]); by[g] += n
      w = work(f[1], $0); kind[w] += n
      if (w == "SHA-256") { state[sha($0)] += n }
      leaf = f[length(f)]; self[leaf] += n
    }
    function table(title, a,   k, cmd) {
      print "| " title " | CPU s | share |"
      print "|---|---|---|"
      cmd = "sort -t\"|\" -k3 -rn"
      for (k in a) printf "| %s | %.2f | %.0f%% |\n", k, a[k] * ms / 1000, 100 * a[k] / total | cmd
      close(cmd)
      print ""
    }
    END {
      printf "%.1f CPU s sampled.\n\n", total * ms / 1000
      table("thread group", by)
      table("kind of work", kind)
      table("SHA-256, by the state of its code", state)
      print "| hottest frames (self) | CPU s |"
      print "|---|---|"
      cmd = "sort -t\"|\" -k3 -rn | head -15"
      for (k in self) { name = k; gsub(/\|/, "/", name); printf "| `%s` | %.2f |\n", name, self[k] * ms / 1000 | cmd }
      close(cmd)
      print ""
    }' "$1"
}

# main_phases COLLAPSED SPAN: the main thread's wall time by phase until the pipeline runs, from a
# wall-clock profile: each phase's share of the main thread's samples times SPAN, the seconds from
# the launcher's main class to the pipeline running (with many threads the profiler samples only
# some of them at each tick, so counts alone come out short).
main_phases() {
  echo "| main thread until the pipeline runs (wall, shares of $2 s) | s |"
  echo "|---|---|"
  awk -v span="$2" '
    function phase(s) {
      if (s ~ /ProgressReporter|waitUntilFinish|Summary/) return "" # after the span
      if (s ~ /LauncherHelper/) return "" # before the span: the timeline counts it
      if (s ~ /Main\.<clinit>/) return "2 launcher: JDK logging set up"
      if (s ~ /BeamOptionsRegistry|OptionsParser\.parse|tuneDirectRunner/) return "3 Beam options: registrars, validation, parsing"
      if (s ~ /Pipeline\.run/) return "6 DirectRunner start: graph rewrites, translation, executors"
      if (s ~ /Pipeline\.create|Pipeline\.apply|MigrateLog|runPipeline/) return "5 pipeline construction"
      if (s ~ /MigrateCommand\.(run|migrate)/) return "4 plan: keys, locations, checkpoint read and verified"
      return "7 other: GC pauses, stacks the profiler could not walk"
    }
    $1 ~ /^\[main/ { n = $NF; sub(/ [0-9]+$/, ""); p = phase($0); if (p != "") { t[p] += n; total += n } }
    END { for (k in t) printf "%s|%.3f\n", k, span * t[k] / total }' "$1" | sort | sed -E 's/^[0-9] (.*)\|(.*)$/| \1 | \2 |/'
  echo
}

# uptime_of CLASS_LOG CLASS: the JVM uptime at which CLASS was first loaded.
uptime_of() {
  awk -v c="$2" '$2 == c { t = $1; gsub(/[][s]/, "", t); print t; exit }' "$1"
}

# run_timeline CLASS_LOG ELAPSED: when the stages of the running pipeline began, by the JVM uptime
# at which each one's first class was loaded.
run_timeline() {
  awk -v elapsed="$2" '
    BEGIN {
      n = split("dev.tlogmigrate.launcher.Main|JVM start, to the launcher main class;" \
        "dev.tlogmigrate.launcher.ProgressReporter|options, plan, construction, DirectRunner start;" \
        "dev.tlogmigrate.transforms.fetch.OrderedTasks|first range reaches MigrateBundleFn (ranges, reshuffle, DoFn set-up, hash warm-up);" \
        "dev.tlogmigrate.transforms.fetch.LargeReads$Scope|first fetch task starts;" \
        "dev.tlogmigrate.transforms.DestinationCommit|bundles migrated, tile stages, root compared;" \
        "dev.tlogmigrate.launcher.Summary|commit: tree state and checkpoint, durable;", spec, ";")
      for (i = 1; i < n; i++) { split(spec[i], p, "|"); marker[i] = p[1]; label[i] = p[2] }
      m = n - 1
    }
    {
      t = $1; gsub(/[][s]/, "", t)
      for (i = 1; i <= m; i++) if ($2 == marker[i] && !(i in at)) at[i] = t
    }
    END {
      print "| until | JVM uptime s | s |"
      print "|---|---|---|"
      prev = 0
      for (i = 1; i <= m; i++) {
        if (!(i in at)) continue
        printf "| %s | %.3f | %.3f |\n", label[i], at[i], at[i] - prev
        prev = at[i]
      }
      printf "| summary, exit (process elapsed; the JVM starts a little after the process) | %.3f | %.3f |\n", elapsed, elapsed - prev
      print ""
    }' "$1"
}

profiler() { echo "-agentpath:$agent=start,event=$event,interval=${interval_ms}ms,threads,ann,collapsed,file=$1"; }

echo "# Where the CPU goes"
echo
echo "Written by \`launcher/benchmark/profile.sh\` ($(date -u +%Y-%m-%dT%H:%MZ)): async-profiler $ap_version, event \`$event\`"
echo "every $interval_ms ms of CPU, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start;"
echo "$("${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}" -version 2>&1 | head -1), \`launcher/tlog-migrate\` with its defaults${JAVA_OPTS:+ and JAVA_OPTS=\`$JAVA_OPTS\`}."
echo "$size entries of 200-1,800 bytes. The HTTP(S) source is the benchmark's Go static server, another process."
echo

for p in $profiles; do
  dest="$dests/$p"
  args=(--sourceVerifierKey="$vkey" --progressIntervalSeconds=0)
  extra=""
  case $p in
    dir) src=$log; args+=(--source="$log" --destination="$dest") ;;
    http) src=$log
      start_server "$work" 0
      args+=(--source="${url}log-$size/" --destination="$dest") ;;
    https) src=$log
      start_server "$work" 0 "$work/ca.pem"
      args+=(--source="${url}log-$size/" --destination="$dest" --sourceTrustedCertificates="$work/ca.pem") ;;
    verify) src=$log; args=(verify "${args[@]}" --source="$log") ;;
    fixed) src=$work/log-256; args+=(--source="$src" --destination="$dest") ;;
  esac
  warm "$src"
  sync
  collapsed="$work/profiles/$p.collapsed"
  JAVA_OPTS="$(profiler "$collapsed") -XX:+UnlockDiagnosticVMOptions -XX:+CITime ${JAVA_OPTS:-}" \
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$tlog" "${args[@]}" > "$work/last.log" 2>&1 \
    || { tail -20 "$work/last.log" >&2; echo "profile: the $p run failed" >&2; exit 1; }
  read -r s u sy kib < "$work/time.txt"
  echo "## $p: $s s, $u s user, $sy s system, peak $((kib / 1024)) MiB"
  echo
  echo "$(grep -E '^  C[12] \{' "$work/last.log" | sed -E 's/^  (C[12]) \{.*standard: +([0-9.]+) s, [0-9]+ bytes, ([0-9]+) methods.*/\1: \3 methods compiled in \2 s/' | paste -sd';' | sed 's/;/; /')"
  echo "(compile times are the compiler threads' wall time)."
  echo
  summarize "$collapsed"
  if [ "$p" = fixed ]; then
    # Once more for the phases: the main thread's wall clock and the classes' first loads.
    wall="$work/profiles/fixed-wall.collapsed" classes="$work/profiles/fixed.classes"
    JAVA_OPTS="-agentpath:$agent=start,event=wall,interval=${wall_ms}ms,threads,collapsed,file=$wall -Xlog:class+load:file=$classes:uptime ${JAVA_OPTS:-}" \
      /usr/bin/time -f "%e" -o "$work/time.txt" "$tlog" "${args[0]}" "${args[1]}" --source="$src" --destination="$dest-phases" > "$work/last.log" 2>&1 \
      || { tail -20 "$work/last.log" >&2; echo "profile: the $p phases run failed" >&2; exit 1; }
    echo "### Its phases (a second run, $(cat "$work/time.txt") s)"
    echo
    main_phases "$wall" "$(awk -v a="$(uptime_of "$classes" dev.tlogmigrate.launcher.Main)" \
      -v b="$(uptime_of "$classes" dev.tlogmigrate.launcher.ProgressReporter)" 'BEGIN { printf "%.3f", b - a }')"
    run_timeline "$classes" "$(cat "$work/time.txt")"
  fi
done
