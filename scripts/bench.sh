#!/usr/bin/env bash
# `make bench`: a 100,000-task data set on SQLite and on PostgreSQL, and the benchmark table
# for each (bench/generate.py, bench/run.py). Full-size figures: bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export LUOSHI_VAR_DIR="${LUOSHI_VAR_DIR:-$PWD/var}"
py=.venv/bin/python
size=${BENCH_ASSIGNMENTS:-100000}
runs=${BENCH_REPEAT:-10}
heavy=${BENCH_HEAVY_REPEAT:-1}  # export, import, circular, sweep: one timed run each
out=var/bench
mkdir -p "$out"
start=$SECONDS

printf '\n== SQLite: %s tasks ==\n' "$size"
rm -f "$out"/make-bench.sqlite3*
$py bench/generate.py --assignments "$size" --db "$out/make-bench.sqlite3" \
  --manifest "$out/make-bench-sqlite.json"
env -u DATABASE_URL $py bench/run.py --manifest "$out/make-bench-sqlite.json" \
  --repeat "$runs" --heavy-repeat "$heavy" --out "$out/results-sqlite.json"

printf '\n== PostgreSQL: %s tasks ==\n' "$size"
pgdir=$(mktemp -d /tmp/luoshi-bench-pg.XXXXXX)
trap 'scripts/pg_cluster.sh stop "$pgdir"' EXIT
url=$(PG_OPTS="-c shared_buffers=1GB -c work_mem=32MB -c maintenance_work_mem=512MB" \
  scripts/pg_cluster.sh start "$pgdir")
DATABASE_URL="$url" $py bench/generate.py --assignments "$size" \
  --manifest "$out/make-bench-postgresql.json"
DATABASE_URL="$url" $py bench/run.py --manifest "$out/make-bench-postgresql.json" \
  --repeat "$runs" --heavy-repeat "$heavy" --out "$out/results-postgresql.json"

printf '\nmake bench took %d s.\n' $((SECONDS - start))
