#!/usr/bin/env bash
# strace for LoopbackOnlyTest, which traces a migration's connections and DNS queries: installs
# Debian's strace where it is missing.
set -euo pipefail

if command -v strace >/dev/null 2>&1 || [ -x /usr/bin/strace ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "strace.sh: strace is missing and only root can install it" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends strace >/dev/null
command -v strace >/dev/null 2>&1 || [ -x /usr/bin/strace ]
