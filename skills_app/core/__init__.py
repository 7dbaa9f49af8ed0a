"""Plain-Python rules and data access. Nothing in this package imports Reflex."""
