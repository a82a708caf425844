"""Coordination: the Django side of the analysis and planning engines."""
