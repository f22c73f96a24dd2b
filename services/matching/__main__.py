from shared.serve import serve

serve("matching", "services.matching.main:app")
