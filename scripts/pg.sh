#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on 127.0.0.1 for the test suite.
#   eval "$(bash scripts/pg.sh start)"   # prints the export lines (PONTIS_TEST_PG_URL, PONTIS_PG_DIR)
#   bash scripts/pg.sh stop              # stops it and removes its directory
# Uses Debian's postgresql package (scripts/setup.sh installs it when missing). As root, the server
# runs as the `postgres` system user (PostgreSQL refuses to run as root).
set -euo pipefail
cmd="${1:-}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$PGBIN" ]; then echo "pg.sh: no PostgreSQL server found under /usr/lib/postgresql" >&2; exit 1; fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    dir="$(mktemp -d /tmp/pontis-pg.XXXXXX)"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
    as_owner "$PGBIN/initdb" -D "$dir/data" -U pontis -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    # Durability is not needed for tests: fsync and synchronous commit off make them faster.
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >&2 || { cat "$dir/server.log" >&2; exit 1; }
    echo "export PONTIS_TEST_PG_URL=postgres://pontis@127.0.0.1:$port/postgres"
    echo "export PONTIS_PG_DIR=$dir"
    echo "export PONTIS_REQUIRE_PG=1"
    ;;
  stop)
    dir="${PONTIS_PG_DIR:-}"
    if [ -n "$dir" ] && [ -d "$dir/data" ]; then
      as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
      rm -rf "$dir"
    fi
    ;;
  *)
    echo "usage: pg.sh start|stop" >&2
    exit 2
    ;;
esac
