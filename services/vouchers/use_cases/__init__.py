"""Use cases of the vouchers service, one module per group. Each runs inside the caller's
transaction (the HTTP boundary, the consumer loop or a job commits) and flushes only; its
events go to the outbox in the same transaction."""
