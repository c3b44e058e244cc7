# Sourced by scripts/test.sh: a throwaway PostgreSQL cluster on loopback for the
# tests. `start_postgres` exports SAMLKIT_TEST_POSTGRES_URL; the cluster is stopped
# and removed when the calling shell exits.

source scripts/lib/server.sh

ensure_postgres_installed() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "[setup] installing PostgreSQL from Debian" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
}

start_postgres() {
  ensure_postgres_installed
  local bin dir port
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  dir=$(mktemp -d /tmp/samlkit-pg.XXXXXX)
  chown postgres "$dir"
  port=$(free_port)
  # initdb refuses to run as root: the cluster belongs to the postgres user.
  runuser -u postgres -- "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  export SAMLKIT_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  SAMLKIT_PG_DIR="$dir"
  SAMLKIT_PG_BIN="$bin"

}

stop_postgres() {
  if [ -n "${SAMLKIT_PG_DIR:-}" ]; then
    runuser -u postgres -- "$SAMLKIT_PG_BIN/pg_ctl" -D "$SAMLKIT_PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$SAMLKIT_PG_DIR"
    SAMLKIT_PG_DIR=
  fi
}
