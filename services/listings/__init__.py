"""Listings: participants (organisations, brokers), technology offers and needs."""
