from services.vouchers.settings import get_vouchers_settings
from shared.serve import serve

serve("vouchers", "services.vouchers.main:app", get_vouchers_settings().vouchers_workers)
