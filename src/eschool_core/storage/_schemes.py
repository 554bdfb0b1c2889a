"""The URL schemes that name a PostgreSQL store, shared by the opener and the SQL adapter."""

from __future__ import annotations

__all__ = ["POSTGRES_SCHEMES"]

POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
"""The URL schemes of a PostgreSQL store (the SQL store's own list, which needs the extra)."""
