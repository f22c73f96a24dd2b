"""The market's four services. They never import each other (tests/test_boundaries.py)."""
