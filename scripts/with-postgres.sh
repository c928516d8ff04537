#!/usr/bin/env bash
# Runs COMMAND with a throwaway PostgreSQL cluster: Debian's postgresql (installed by
# `scripts/install-tools.sh postgres`), initdb and pg_ctl in a temporary directory, as the
# postgres user when run as root, listening on 127.0.0.1 only. COMMAND finds the cluster's URL
# in PETITIE_TEST_POSTGRES (and its tools in PG_BIN); the cluster and its files are removed
# when COMMAND ends.
#   scripts/with-postgres.sh cargo test -p petitie-server --test api
set -euo pipefail
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -n "$bin" ] && [ -x "$bin/initdb" ] \
  || { echo "error: PostgreSQL is missing; run scripts/install-tools.sh postgres" >&2; exit 1; }
dir="$(mktemp -d)"
as=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  as=(runuser -u postgres --)
fi
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
stop() {
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
"${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
# Durable as deployed (fsync and synchronous_commit stay on); enough connections for the tests'
# servers, each with a pool of its own.
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o \
  "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=400 -c shared_buffers=256MB" \
  start >/dev/null || { cat "$dir/log" >&2; exit 1; }
export PETITIE_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
export PG_BIN="$bin"
"$@"
