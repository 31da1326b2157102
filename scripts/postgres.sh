# A throw-away PostgreSQL server from Debian's packages, on a local port, for the tests.
# Usage: source scripts/postgres.sh; pg_start; ...; pg_stop
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
# A free port unless one is given: two test runs on one machine must not meet.
PG_PORT=${PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
PG_DIR=$(mktemp -d /tmp/deepdive-pg.XXXXXX)
PG_URL="postgres://deepdive@127.0.0.1:${PG_PORT}/deepdive"

pg_run() {
  # PostgreSQL refuses to run as root; use its own system user then.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
  pg_run "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
  pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  pg_run "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -q \
    -c "CREATE ROLE deepdive LOGIN CREATEDB" -c "CREATE DATABASE deepdive OWNER deepdive"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

pg_stop() {
  pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
