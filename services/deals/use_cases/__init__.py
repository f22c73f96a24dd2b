"""Use cases of the deals service.

Each takes `(db, principal, ...)`: `db` is the `shared.db.Db` of the one unit of work the
route runs it in (`Tx.run` for a change, `Tx.read` for a read). A use case reads and
writes through the repository, writes its events with `shared.outbox` and never commits:
the HTTP boundary does, before it answers.
"""
