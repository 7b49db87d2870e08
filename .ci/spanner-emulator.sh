#!/usr/bin/env bash
# A Cloud Spanner emulator on a free loopback port, for the tests that reach Spanner
# (TesseraSpanner*Test). With SPANNER_EMULATOR_HOST set, the Java client and the tests' SpannerEmulator
# extension use this one; without it, each test class starts and stops its own.
#
#   eval "$(bash .ci/spanner-emulator.sh start)"  # starts it; prints export SPANNER_EMULATOR_HOST=127.0.0.1:PORT
#   bash .ci/spanner-emulator.sh host             # prints 127.0.0.1:PORT of the running one
#   bash .ci/spanner-emulator.sh stop             # stops the one start started (by its recorded pid)
#
# The emulator binds port 0, so the kernel picks a free port, and the script reads the address the
# emulator prints. Its pid, address and log are kept in $SPANNER_EMULATOR_STATE (default: a directory
# under $TMPDIR or /tmp). Fails, saying so, when the emulator is not installed: it ships with the
# Debian package google-cloud-cli-spanner-emulator at the path below ($SPANNER_EMULATOR_BIN overrides).
set -euo pipefail

BIN=${SPANNER_EMULATOR_BIN:-/usr/lib/google-cloud-sdk/bin/cloud_spanner_emulator/emulator_main}
STATE=${SPANNER_EMULATOR_STATE:-${TMPDIR:-/tmp}/tlog-migrate-spanner-emulator-$(id -u)}

running() {
  [ -f "$STATE/pid" ] && kill -0 "$(cat "$STATE/pid")" 2>/dev/null
}

case "${1:-}" in
  start)
    if [ ! -x "$BIN" ]; then
      echo "spanner-emulator.sh: no Cloud Spanner emulator at $BIN (package google-cloud-cli-spanner-emulator)" >&2
      exit 1
    fi
    mkdir -p "$STATE"
    if running && [ -s "$STATE/host" ]; then
      echo "export SPANNER_EMULATOR_HOST=$(cat "$STATE/host")"
      exit 0
    fi
    rm -f "$STATE/host"
    "$BIN" --host_port 127.0.0.1:0 </dev/null >"$STATE/log" 2>&1 &
    echo $! >"$STATE/pid"
    for _ in $(seq 1 300); do
      addr=$(sed -n 's/.*Server address: \([0-9.]*:[0-9]*\).*/\1/p' "$STATE/log" | head -n 1)
      if [ -n "$addr" ]; then
        echo "$addr" >"$STATE/host"
        echo "export SPANNER_EMULATOR_HOST=$addr"
        exit 0
      fi
      if ! running; then
        echo "spanner-emulator.sh: the emulator exited:" >&2
        cat "$STATE/log" >&2
        exit 1
      fi
      sleep 0.1
    done
    echo "spanner-emulator.sh: the emulator printed no address in 30 s; stopping it" >&2
    kill "$(cat "$STATE/pid")" 2>/dev/null || true
    exit 1
    ;;
  host)
    running && cat "$STATE/host"
    ;;
  stop)
    if running; then
      pid=$(cat "$STATE/pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$STATE/pid" "$STATE/host"
    ;;
  *)
    echo "usage: $0 start|host|stop" >&2
    exit 2
    ;;
esac
