"""Test support of the vouchers service: the world around the running service, the
reference models production is checked against (the in-memory ledger and its invariants,
the market model of the property test), and the helpers of the unit tests."""
