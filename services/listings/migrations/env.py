from services.listings.models import Base
from shared.migrations import run_env
from shared.tables import infra_metadata

run_env([Base.metadata, infra_metadata])
