from services.deals.settings import get_deals_settings
from shared.serve import serve

serve("deals", "services.deals.main:app", get_deals_settings().workers)
