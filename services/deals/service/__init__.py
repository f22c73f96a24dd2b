"""Use cases of the deals service.

Each takes `(db, principal, ...)`, runs inside the caller's transaction, writes through
the repository's statements and never commits (the HTTP boundary commits), and writes its
events with `shared.outbox`. `db` is a `shared.db.Db`: the deal path's routes run on
`Tx.run_sql` and pass a plain asyncpg connection; list and statistics reads pass a session.
"""
