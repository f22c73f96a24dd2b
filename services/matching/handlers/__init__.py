"""Event consumers of the matching service: the feed of `listings.events` (feed.py)."""
