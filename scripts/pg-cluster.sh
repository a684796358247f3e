# Sourced: pg_cluster_start / pg_cluster_stop for a throw-away PostgreSQL cluster on 127.0.0.1.
# Sets PG_DIR, PG_PORT and PG_URL. PostgreSQL refuses to run as root, so as root the cluster runs
# as the postgres system user (created by the Debian package).

pg_bin() {
  local v
  for v in 17 16 15; do
    [ -x "/usr/lib/postgresql/$v/bin/initdb" ] && { echo "/usr/lib/postgresql/$v/bin"; return; }
  done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return; }
  echo "pg-cluster: PostgreSQL server binaries not found (run scripts/install-deps)" >&2
  return 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pg_cluster_start() {
  local bin run_as=()
  bin=$(pg_bin)
  PG_DIR=$(mktemp -d /tmp/anjian-pg.XXXXXX)
  PG_PORT=$(free_port)
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$PG_DIR"
    run_as=(runuser -u postgres --)
  fi
  "${run_as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  # fsync stays on: the tests check what a commit means. Sockets only on loopback and in PG_DIR.
  "${run_as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=300 -c shared_buffers=128MB" start >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; return 1; }
  PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  export PG_DIR PG_PORT PG_URL
  echo "pg-cluster: PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DIR)"
}

pg_cluster_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  local bin run_as=()
  bin=$(pg_bin) || true
  [ "$(id -u)" -eq 0 ] && run_as=(runuser -u postgres --)
  "${run_as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}
