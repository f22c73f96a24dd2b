from shared.serve import serve

serve("listings", "services.listings.main:app")
