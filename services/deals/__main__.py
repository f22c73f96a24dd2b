from shared.serve import serve

serve("deals", "services.deals.main:app")
