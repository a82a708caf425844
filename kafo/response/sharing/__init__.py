"""Pooled resources and loans."""
