#!/bin/bash
# Runs socio-bench-peer against a PostgreSQL 15 of its own: initdb in a
# scratch directory, the server listening only on a Unix socket there, the
# benchmark, then the server stopped and the directory removed, whatever
# happened.
#
#   bench/peer/run_pg_peer.sh BUILD/bench/peer/socio-bench-peer [socio-bench-peer options]
#   e.g. ... --profiles 1000000 --samples 20
#
# The server is set up for a 2-core, 24 GiB machine, for one search at a
# time over data that fits in memory (see the settings below). Durability is
# off (fsync, full-page writes): it only makes the load faster, and the
# database is thrown away afterwards. Run as root, the server runs as the
# user `postgres`.
#
# Exit status: the benchmark's (1 if the two sides disagree); 77 (ctest:
# skipped) when PostgreSQL 15 is not installed (Debian: postgresql-15).
set -euo pipefail

bench=${1:?usage: run_pg_peer.sh SOCIO_BENCH_PEER [options]}
shift
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}

if [ ! -x "$pg_bin/postgres" ] || [ ! -x "$pg_bin/initdb" ] || [ ! -x "$pg_bin/pg_ctl" ]; then
  echo "SKIP: PostgreSQL 15 not found in $pg_bin (Debian: apt-get install postgresql-15)"
  exit 77
fi
case "$("$pg_bin/postgres" --version)" in
  *" 15."*) ;;
  *)
    echo "SKIP: $pg_bin/postgres is not PostgreSQL 15: $("$pg_bin/postgres" --version)"
    exit 77
    ;;
esac
[ -x "$bench" ] || { echo "run_pg_peer.sh: $bench is not an executable" >&2; exit 2; }
bench=$(cd "$(dirname "$bench")" && pwd)/$(basename "$bench")

work=$(mktemp -d "${TMPDIR:-/tmp}/socio-pg-peer.XXXXXX")
as_server=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || { echo "run_pg_peer.sh: no user 'postgres' to run the server" >&2; exit 2; }
  chown postgres: "$work"
  as_server=(runuser -u postgres --)
fi

started=""
cleanup() {
  if [ -n "$started" ]; then
    (cd "$work" && "${as_server[@]}" "$pg_bin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null) ||
      echo "run_pg_peer.sh: could not stop the server; see $work/postgres.log" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$work"
"${as_server[@]}" "$pg_bin/initdb" -D "$work/data" -U socio --auth=trust -E UTF8 --locale=C \
  --no-sync >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 1; }

# Memory: the 1,000,000 profiles take about 1.2 GB with their index, so
# shared_buffers holds them all; the search sorts only its top k.
settings=(
  -c listen_addresses= -c "unix_socket_directories=$work" -c port=5432
  -c shared_buffers=4GB -c effective_cache_size=16GB -c work_mem=64MB
  -c maintenance_work_mem=1GB -c random_page_cost=1.1
  -c max_worker_processes=4 -c max_parallel_workers=2 -c max_parallel_workers_per_gather=2
  -c max_parallel_maintenance_workers=2
  # The search is one long statement: compiling it costs more than it saves
  # (about 1.5 s more per search at 100,000 profiles).
  -c jit=off
  # The benchmark runs VACUUM ANALYZE itself once the rows are in.
  -c autovacuum=off
  -c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=8GB -c checkpoint_timeout=30min
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off
)
"${as_server[@]}" "$pg_bin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w -t 60 \
  -o "${settings[*]}" start >/dev/null || { cat "$work/postgres.log" >&2; exit 1; }
started=1
"$pg_bin/psql" -X -q -h "$work" -p 5432 -U socio -d postgres -c "CREATE DATABASE socio" ||
  exit 1

status=0
"$bench" --pg "host=$work port=5432 dbname=socio user=socio" "$@" || status=$?
exit "$status"
