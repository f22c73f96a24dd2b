"""Use cases of the deals service.

Each takes `(session, principal, ...)`, runs inside the caller's transaction, flushes and
never commits (the HTTP boundary commits), and writes its events with `shared.outbox`.
"""
