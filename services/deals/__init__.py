"""Deals: deal lifecycle, technology-contract registration, flow statistics."""
