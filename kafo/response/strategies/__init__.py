"""Strategies, their objectives, and the shares activities and flows have in them."""
