#!/usr/bin/env bash
# Lint, type-check, migration check, then the whole suite on SQLite and on PostgreSQL.
# The two databases run side by side (two cores; each run mostly waits on one of them), and
# each run's output is shown whole once it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
export LUOSHI_VAR_DIR="${LUOSHI_VAR_DIR:-$PWD/var}"
bin=.venv/bin
step() { printf '\n== %s ==\n' "$1"; }

step "ruff"
$bin/ruff check .
$bin/ruff format --check .
step "mypy"
$bin/mypy luoshi conftest.py
step "makemigrations --check"
$bin/python manage.py makemigrations --check --dry-run

logs=$(mktemp -d /tmp/luoshi-test-logs.XXXXXX)
pgdir=$(mktemp -d /tmp/luoshi-pg.XXXXXX)
trap 'scripts/pg_cluster.sh stop "$pgdir"; rm -rf "$logs"' EXIT
url=$(scripts/pg_cluster.sh start "$pgdir")

step "pytest on SQLite and on PostgreSQL (side by side)"
start=$SECONDS
env -u DATABASE_URL $bin/pytest -q >"$logs/sqlite.log" 2>&1 &
sqlite_pid=$!
DATABASE_URL="$url" $bin/pytest -q >"$logs/postgres.log" 2>&1 &
postgres_pid=$!
sqlite_rc=0
postgres_rc=0
wait $sqlite_pid || sqlite_rc=$?
wait $postgres_pid || postgres_rc=$?

step "pytest on SQLite (exit $sqlite_rc)"
cat "$logs/sqlite.log"
step "pytest on PostgreSQL (exit $postgres_rc)"
cat "$logs/postgres.log"
printf '\nBoth runs took %d s.\n' $((SECONDS - start))
[ $sqlite_rc -eq 0 ] && [ $postgres_rc -eq 0 ]
