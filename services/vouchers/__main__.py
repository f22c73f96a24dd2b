import uvicorn

from services.vouchers.settings import get_vouchers_settings
from shared.serve import serve
from shared.settings import get_settings

workers = get_vouchers_settings().vouchers_workers
if workers > 1:
    settings = get_settings()
    uvicorn.run("services.vouchers.main:app", host=settings.host,
                port=settings.service_port("vouchers"), workers=workers, log_config=None,
                access_log=False, lifespan="on", timeout_graceful_shutdown=5)
else:
    serve("vouchers", "services.vouchers.main:app")
