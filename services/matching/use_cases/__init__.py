"""Use cases of the matching service, each on a unit of work (`shared.db.Db`).

matches.py: the API's rankings; read_model.py: listing events into the read model, with
suggestions.py for match.suggested; market_index.py: the index's start-up rebuild;
replicas.py: which replica this process is; listing_events.py: what each event carries.
"""
