#!/usr/bin/env bash
# One database per service (and one for the portal's key ring), each owned by its own login role that only it may use.
#
# Run by the postgres image's entrypoint (docker-entrypoint-initdb.d) once, when it initialises an
# empty data directory: docker-compose.yml mounts this folder, and k8s/overlays/dev carries a copy
# (scripts/static-checks.sh checks that the two are identical).
#
#   PERF_DATABASES="objectives scoring reporting portal"   databases (= role names) to create
#   OBJECTIVES_DB_PASSWORD, SCORING_DB_PASSWORD, ...   password of each role: <NAME>_DB_PASSWORD
#
# On an existing volume the script does not run again: a database added later (reporting) is
# created by hand or by recreating the volume (docs/operations.md).
set -euo pipefail

for db in ${PERF_DATABASES:-objectives scoring reporting portal}; do
    var="$(printf '%s' "$db" | tr '[:lower:]-' '[:upper:]_')_DB_PASSWORD"
    password="${!var:-}"
    if [ -z "$password" ]; then
        echo "10-create-databases.sh: $var is not set (password of the '$db' role)" >&2
        exit 1
    fi
    echo "10-create-databases.sh: creating role and database '$db'"
    # psql variables (:"db" identifier, :'password' literal) keep the values out of the SQL text.
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
        -v db="$db" -v password="$password" <<'SQL'
CREATE ROLE :"db" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"db" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"db";
SQL
done
