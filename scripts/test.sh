#!/usr/bin/env bash
# Lint, type-check, migration check, then the whole suite on SQLite and on PostgreSQL.
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

step "pytest on SQLite"
env -u DATABASE_URL $bin/pytest -q

step "pytest on PostgreSQL"
pgdir=$(mktemp -d /tmp/luoshi-pg.XXXXXX)
trap 'scripts/pg_cluster.sh stop "$pgdir"' EXIT
url=$(scripts/pg_cluster.sh start "$pgdir")
DATABASE_URL="$url" $bin/pytest -q
