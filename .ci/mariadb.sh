#!/usr/bin/env bash
# MariaDB's server programs for the tests of Tessera on AWS's database (TesseraMySql*Test,
# TesseraAwsTakeoverTest): installs Debian's mariadb-server where mariadbd is missing. The tests
# start their own throwaway server from it (MariaDbServer: a datadir under a temporary directory, a
# free loopback port, stopped and deleted after each test class), so nothing is left running here.
set -euo pipefail

if command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "mariadb.sh: mariadbd is missing and only root can install mariadb-server" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mariadb-server >/dev/null
# The package may start the machine's own server; the tests do not use it.
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]
