from services.listings.settings import get_listings_settings
from shared.serve import serve

serve("listings", "services.listings.main:app", get_listings_settings().workers)
