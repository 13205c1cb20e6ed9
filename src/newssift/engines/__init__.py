"""Adapters to engines users bring for work beyond one machine (Ray Data)."""
