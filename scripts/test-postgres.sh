#!/usr/bin/env bash
# A throwaway Postgres for the store tests: a fresh cluster in a temp directory, on 127.0.0.1 and a
# free port, stopped and removed on exit (also on failure). CRISP_GUARD_TEST_DATABASE_URL points
# the tests at it.
#
#   scripts/test-postgres.sh                                  # npx vitest run (every test)
#   scripts/test-postgres.sh npx vitest run test/store        # any command
#
# Sourced (as .ci/run does), it defines pg_test_start / pg_test_stop instead of running anything.
# Needs initdb and pg_ctl (Debian: /usr/lib/postgresql/<version>/bin); PG_TEST_INSTALL=1 installs
# the postgresql package with apt-get when they are missing. As root, the cluster belongs to a
# dedicated user (initdb refuses to run as root): crispguard-pg, created when missing.

PG_TEST_USER="${PG_TEST_USER:-crispguard-pg}"

# Prints the directory holding initdb and pg_ctl, or nothing.
pg_test_bindir() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return
  fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
      echo "$d"
      return
    fi
  done
}

pg_test_install() {
  echo "postgres: initdb/pg_ctl not found, installing the postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Debian's package would also create and start a system cluster on 5432: not wanted here.
  apt-get install -y -qq postgresql-common >/dev/null
  sed -i 's/^#\?\s*create_main_cluster.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
  apt-get install -y -qq postgresql >/dev/null
}

# Runs a command as the cluster's owner.
pg_test_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$PG_TEST_USER" -- "$@"
  else
    "$@"
  fi
}

pg_test_start() {
  local started=$SECONDS bindir
  bindir="$(pg_test_bindir)"
  if [ -z "$bindir" ]; then
    if [ "${PG_TEST_INSTALL:-0}" = 1 ]; then pg_test_install; bindir="$(pg_test_bindir)"; fi
    if [ -z "$bindir" ]; then
      echo "postgres: initdb/pg_ctl not found (install postgresql, or set PG_TEST_INSTALL=1)" >&2
      return 1
    fi
  fi
  if [ "$(id -u)" = 0 ] && ! id "$PG_TEST_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_TEST_USER"
  fi
  PG_TEST_ROOT="$(mktemp -d "${TMPDIR:-/tmp}/crisp-guard-pg.XXXXXX")"
  export PG_TEST_ROOT PG_TEST_BINDIR="$bindir"
  mkdir "$PG_TEST_ROOT/data" "$PG_TEST_ROOT/socket"
  if [ "$(id -u)" = 0 ]; then chown -R "$PG_TEST_USER" "$PG_TEST_ROOT"; fi
  # A free port, as the kernel hands one out (a fixed one could clash with a running server).
  local port
  port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  pg_test_as_owner "$bindir/initdb" -D "$PG_TEST_ROOT/data" -U postgres -A trust --no-sync -E UTF8 >"$PG_TEST_ROOT/initdb.log" 2>&1 \
    || { cat "$PG_TEST_ROOT/initdb.log" >&2; return 1; }
  # fsync off: a test cluster is thrown away, durability buys nothing here.
  pg_test_as_owner "$bindir/pg_ctl" -D "$PG_TEST_ROOT/data" -l "$PG_TEST_ROOT/server.log" \
    -o "-h 127.0.0.1 -p $port -k $PG_TEST_ROOT/socket -c fsync=off -c max_connections=200" -w start >/dev/null \
    || { cat "$PG_TEST_ROOT/server.log" >&2; return 1; }
  export CRISP_GUARD_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "postgres: $("$bindir/pg_ctl" --version | sed 's/^pg_ctl //') on 127.0.0.1:$port, ready in $((SECONDS - started)) s"
}

pg_test_stop() {
  if [ -n "${PG_TEST_ROOT:-}" ] && [ -d "$PG_TEST_ROOT" ]; then
    pg_test_as_owner "$PG_TEST_BINDIR/pg_ctl" -D "$PG_TEST_ROOT/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_TEST_ROOT"
  fi
  PG_TEST_ROOT=""
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  cd "$(dirname "$0")/.."
  trap pg_test_stop EXIT
  pg_test_start
  if [ $# -eq 0 ]; then set -- npx vitest run; fi
  "$@"
fi
