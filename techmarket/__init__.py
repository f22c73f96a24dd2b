"""The `techmarket` command: run the market, mint development tokens, replay, seed."""
