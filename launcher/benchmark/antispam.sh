#!/usr/bin/env bash
# Rows per second into Tessera's antispam index: tlog-migrate's writers (AntispamRows.java) against
# the Cloud Spanner emulator and a MariaDB server, both started here on loopback and stopped at the
# end, beside Beam's SpannerIO.write on the DirectRunner. Replaces the "Antispam index rows" section
# of BENCHMARKS.md (run.sh keeps it when it rewrites the rest).
#
#   launcher/benchmark/antispam.sh [work dir]     ROWS (default 200000), SPANNERIO_ROWS (5000)
#
# Needs the emulator (.ci/spanner-emulator.sh), mariadbd and mariadb-install-db (Debian's
# mariadb-server), and the jar (built if missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rows=${ROWS:-200000}
spannerio_rows=${SPANNERIO_ROWS:-5000}
work=${1:-$(mktemp -d)}
mkdir -p "$work"
jar="$root/launcher/target/tlog-migrate.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q package -DskipTests)

mariadb_pid=""
cleanup() {
  [ -n "$mariadb_pid" ] && kill "$mariadb_pid" 2>/dev/null && wait "$mariadb_pid" 2>/dev/null
  SPANNER_EMULATOR_STATE="$work/emulator" bash "$root/.ci/spanner-emulator.sh" stop
  rm -rf "$work/mariadb"
}
trap cleanup EXIT

export SPANNER_EMULATOR_STATE="$work/emulator"
emulator=$(bash "$root/.ci/spanner-emulator.sh" start | sed 's/.*=//')

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_root=(); [ "$(id -u)" = 0 ] && as_root=(--user=root)
mkdir -p "$work/mariadb"
mariadb-install-db --no-defaults "${as_root[@]}" --datadir="$work/mariadb/data" \
  --auth-root-authentication-method=normal --skip-test-db > "$work/mariadb/install.log" 2>&1
cat > "$work/mariadb/init.sql" <<'SQL'
CREATE USER 'bench'@'127.0.0.1' IDENTIFIED BY 'bench-password';
GRANT ALL PRIVILEGES ON *.* TO 'bench'@'127.0.0.1';
SQL
mariadbd --no-defaults "${as_root[@]}" --datadir="$work/mariadb/data" --socket="$work/mariadb/socket" \
  --pid-file="$work/mariadb/pid" --bind-address=127.0.0.1 --port="$port" --skip-name-resolve \
  --init-file="$work/mariadb/init.sql" --log-error="$work/mariadb/server.log" &
mariadb_pid=$!
for _ in $(seq 600); do
  mariadb-admin --no-defaults -h 127.0.0.1 -P "$port" -u bench -pbench-password ping >/dev/null 2>&1 && break
  sleep 0.1
done

# Compiled, not run from source: the DirectRunner deserializes its DoFns with the classpath's loader.
javac -nowarn -cp "$jar" -d "$work/classes" "$here/AntispamRows.java"
load=$(cut -d' ' -f1-3 /proc/loadavg)
table=$(SPANNER_DISABLE_BUILTIN_METRICS=true SPANNER_DISABLE_DIRECT_ACCESS_GRPC_BUILTIN_METRICS=true \
  java -cp "$jar:$work/classes" AntispamRows "$rows" "$emulator" "jdbc:mariadb://127.0.0.1:$port" \
  bench bench-password "$spannerio_rows" 2>"$work/antispam-rows.log")

out="$here/BENCHMARKS.md"
section=$(mktemp)
{
  echo "## Antispam index rows"
  echo
  echo "Written by \`launcher/benchmark/antispam.sh\` on $(date -u +%Y-%m-%d) (load average before it: $load)."
  echo "Rows of random 32-byte identities written into Tessera's antispam index (\`IDSeq\` on the Cloud"
  echo "Spanner emulator, \`AntispamIDSeq\` on MariaDB $(mariadbd --version | sed 's/.*Ver \([^ ]*\).*/\1/'), both on this machine) by tlog-migrate's"
  echo "writers as the pipeline's workers use them: sorted batches of 1,000 rows, each written blind when"
  echo "its rows are absent, read back and checked when some are present (a re-run). One run each: the"
  echo "emulator is not Spanner, and its figures say little about a real instance (README, \"Speed and scale\")."
  echo
  echo "| database | run | writers | rows | seconds | rows/s |"
  echo "|---|---|---|---|---|---|"
  echo "$table"
} > "$section"
if [ -f "$out" ]; then
  # The file up to this section, without its trailing blank lines, then one blank line.
  sed '/^## Antispam index rows/,$d' "$out" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' > "$out.new"
  { echo; cat "$section"; } >> "$out.new"
  mv "$out.new" "$out"
else
  cp "$section" "$out"
fi
rm -f "$section"
cat "$out" | sed -n '/^## Antispam index rows/,$p'
