#!/bin/bash
# Runs once, when the PostgreSQL container initialises an empty data directory
# (/docker-entrypoint-initdb.d). One server, one database and one login role per service:
# each service owns its event store and nothing else (docs/architecture.md §7), and a backup or
# restore is per service (pg_dump -d dvc_<service>; docs/operations.md).
# Passwords come from PG_PASSWORD_<SERVICE> in the container's environment, never from here.
set -euo pipefail
for service in identity catalog intake processing payment delivery notify; do
  var="PG_PASSWORD_${service^^}"
  password="${!var:?${var} must be set}"
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER}" --dbname postgres \
       -v role="dvc_${service}" -v password="${password}" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done
