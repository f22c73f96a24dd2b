#!/bin/sh
# Creates each service's database if missing and runs its migrations (run once per release):
# the same `techmarket migrate` that `techmarket up` runs, on the URLs the services will use
# (DATABASE_URL, or <SERVICE>_DATABASE_URL for a service whose database is elsewhere).
# Arguments pass through: `deploy/migrate.sh deals` migrates the deals database only.
set -e
exec techmarket migrate "$@"
