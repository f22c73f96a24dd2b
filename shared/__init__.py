"""The market's common library: settings, database, events, outbox/inbox, auth, errors, health.

It holds no business rule of any single service.
"""
