"""Use cases of the deals service.

Each takes `(session, principal, ...)`, runs inside the caller's transaction, writes through
the repository's statements and never commits (the HTTP boundary commits), and writes its
events with `shared.outbox`.
"""
