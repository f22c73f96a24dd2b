from services.matching.settings import get_matching_settings
from shared.serve import serve

serve("matching", "services.matching.main:app", get_matching_settings().workers)
