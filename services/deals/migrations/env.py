from services.deals.models import metadata
from shared.migrations import run_env
from shared.tables import infra_metadata

run_env([metadata, infra_metadata])
