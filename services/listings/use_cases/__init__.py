"""Use cases of the listings service, one module per aggregate: organisations, brokers,
listings (offers and needs share one lifecycle), deal outcomes and expiry."""
