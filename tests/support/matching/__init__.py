"""Test helpers of the matching service: feed.py drives it through `listings.events` and
its API; documents.py builds engine documents for the unit tests."""
