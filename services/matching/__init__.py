"""Matching: ranks offers for needs and needs for offers across the regions."""
