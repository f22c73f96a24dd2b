"""Every query of the listings service, one module per aggregate."""
