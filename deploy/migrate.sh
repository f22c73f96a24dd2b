#!/bin/sh
# Creates each service's roles and database if missing, runs its migrations as the owner
# role and grants the service's login role its privileges (run once per release): the same
# `techmarket migrate` that `techmarket up` runs. Needs the administrator's DATABASE_URL and
# each <SERVICE>_DATABASE_PASSWORD (or <SERVICE>_DATABASE_URL for a service whose database
# and role the deployment manages itself).
# Arguments pass through: `deploy/migrate.sh deals` migrates the deals database only.
set -e
exec techmarket migrate "$@"
