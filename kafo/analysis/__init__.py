"""Coordination analysis: a pure engine over tables (DuckDB), no Django.

The platform's data reach it either by attaching its database (SQLite file or
PostgreSQL, `attach_database`) or as Arrow tables (`register_tables`), in the normalised
shapes of `engine.TABLES`. The web, the command line and the API call the same functions.
"""
