#!/usr/bin/env bash
# A PostgreSQL server for the tests that run the registry and a search study on one (Debian's package):
# installed if missing, its cluster started, a role that may create the tests' databases. Prints the URL the
# tests read (AFINA_TEST_POSTGRES); prints nothing and exits 1 when it cannot be had.
set -uo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! command -v pg_lsclusters >/dev/null; then
    apt-get install -y -qq postgresql >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq postgresql >/dev/null 2>&1; } \
        || exit 1
fi
read -r version cluster _ < <(pg_lsclusters --no-header | head -1)
[ -n "${version:-}" ] || exit 1
pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 || pg_lsclusters --no-header | grep -q online || exit 1
if ! runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'afina_test'" | grep -q 1; then
    runuser -u postgres -- psql -q -c "CREATE ROLE afina_test LOGIN CREATEDB PASSWORD 'afina_test'" >/dev/null || exit 1
fi
port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
echo "postgresql+psycopg://afina_test:afina_test@127.0.0.1:${port}/postgres"
