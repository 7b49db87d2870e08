#!/usr/bin/env bash
# Where a migration's CPU goes: profiles one directory -> directory and one HTTP -> directory run of
# the benchmark's 1M-entry log with async-profiler (fetched from Maven Central into the work dir;
# CPU time by interval timer, since this VM offers no perf events) and prints CPU seconds per
# thread group and, for the pipeline's worker threads, per kind of work, as markdown
# (launcher/benchmark/PROFILE.md holds a run's output).
#
#   launcher/benchmark/profile.sh [work dir, default /tmp/tlog-migrate-bench]
#
# Run launcher/benchmark/run.sh first: it generates the log and the class-data archive.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${1:-/tmp/tlog-migrate-bench}
# shellcheck source=common.sh
. "$here/common.sh"
log="$work/log-1m"
[ -f "$log/checkpoint" ] || { echo "profile: no $log: run launcher/benchmark/run.sh first" >&2; exit 1; }

agent="$work/async-profiler/linux-x64/libasyncProfiler.so"
if [ ! -f "$agent" ]; then
  mvn -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:3.0 -DoutputDirectory="$work/async-profiler"
  (cd "$work/async-profiler" && unzip -q -o async-profiler-3.0.jar 'linux-x64/*')
fi

# summarize FILE: CPU seconds by thread group, then by kind of work on the pipeline's workers.
summarize() {
  awk -v ms=5 '
    function group(t) {
      if (t ~ /^\[C2 Compiler/) return "JIT compiler (C2)"
      if (t ~ /^\[C1 Compiler/) return "JIT compiler (C1)"
      if (t ~ /^\[direct-runner-worker/) return "pipeline workers"
      if (t ~ /^\[tlog-migrate-fetch/) return "fetch pool: fetch, hash, write"
      if (t ~ /^\[main/) return "main: options, plan, pipeline construction"
      return "other JVM threads (GC, ...)"
    }
    function work(s) {
      if (s ~ /DirectoryStorage.write/) {
        if (s ~ /FileChannel.open/) return "create the temporary file"
        if (s ~ /Files.move/) return "rename it into place"
        return "write the bytes"
      }
      if (s ~ /DirectoryStorage.(fsync|flush)/) return "fsync"
      if (s ~ /MessageDigest|Rfc6962/) return "SHA-256"
      if (s ~ /HttpStorage.execute/) return "HTTP: send the request, read the response head"
      if (s ~ /HttpStorage/) return "HTTP: read the body"
      if (s ~ /DirectoryStorage.read/) return "read the source file"
      if (s ~ /dev\/tlogmigrate/) return "other tlog-migrate code"
      return "Beam DirectRunner machinery"
    }
    { n = $NF; sub(/ [0-9]+$/, ""); split($0, f, ";"); g = group(f[1]); by[g] += n; total += n
      if (g == "pipeline workers" || g ~ /^fetch pool/) w[work($0)] += n }
    END {
      print "| thread group | CPU s |"
      print "|---|---|"
      printf "| %s | %.1f |\n", "all threads", total * ms / 1000
      for (g in by) printf "| %s | %.1f |\n", g, by[g] * ms / 1000 | "sort -t\"|\" -k3 -rn"
      close("sort -t\"|\" -k3 -rn")
      print "\n| pipeline workers and fetch pool, by kind of work | CPU s |"
      print "|---|---|"
      for (k in w) printf "| %s | %.1f |\n", k, w[k] * ms / 1000 | "sort -t\"|\" -k3 -rn"
    }' "$1"
}

profile() { echo "-agentpath:$agent=start,event=itimer,interval=5ms,threads,collapsed,file=$1"; }

serve_log "$repo/launcher/tlog-migrate" "$log" "$work"

for source in "$log" "$url"; do
  rm -rf "$work/dest"
  sync
  JAVA_OPTS="$(profile "$work/profile.collapsed")" /usr/bin/time -f "%e s, %U s user, %S s system" \
    "$repo/launcher/tlog-migrate" --source="$source" --destination="$work/dest" --sourceVerifierKey="$vkey" \
    --progressIntervalSeconds=0 > "$work/last.log" 2> "$work/time.txt" || { cat "$work/last.log" "$work/time.txt" >&2; exit 1; }
  echo "## $source -> directory: $(tail -1 "$work/time.txt")"
  echo
  summarize "$work/profile.collapsed"
  echo
done
rm -rf "$work/dest"
