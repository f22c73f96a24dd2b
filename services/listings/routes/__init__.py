"""HTTP routes of the listings service, one module per resource; `api.router` joins them."""
