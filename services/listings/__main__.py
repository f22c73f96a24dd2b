import uvicorn

from services.listings.settings import get_listings_settings
from shared.serve import serve
from shared.settings import get_settings

APP = "services.listings.main:app"
workers = get_listings_settings().workers
if workers > 1:
    # Several processes share the port; each runs its own relay, consumer and jobs, which
    # the shared library keeps safe (advisory lock, consumer group, SKIP LOCKED).
    settings = get_settings()
    uvicorn.run(APP, host=settings.host, port=settings.service_port("listings"),
                workers=workers, log_config=None, access_log=False, lifespan="on",
                timeout_graceful_shutdown=5)
else:
    serve("listings", APP)
