#!/bin/sh
# Creates each service's database if missing and runs its migrations (run once per release).
set -e
python - <<'PY'
import asyncio, asyncpg, os
from shared.settings import SERVICES, get_settings, plain_url
from shared import migrations

async def create():
    conn = await asyncpg.connect(plain_url(os.environ["DATABASE_URL"]))
    for s in SERVICES:
        name = f"techmarket_{s}"
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname=$1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()

asyncio.run(create())
for s in SERVICES:
    migrations.upgrade(s, get_settings().service_database_url(s))
PY
