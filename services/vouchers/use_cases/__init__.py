"""Use cases of the vouchers service, one module per group. Each takes the unit of work's
`Db` (shared.db) from whoever runs it (the HTTP boundary, the consumer loop or a job),
which commits; its events go to the outbox in the same unit."""
