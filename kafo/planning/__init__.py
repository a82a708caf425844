"""Joint planning engine: who goes where, when, across organisations (no Django)."""
