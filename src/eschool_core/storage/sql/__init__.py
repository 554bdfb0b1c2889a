"""The SQL store (SQLAlchemy Core): SQLite as the embedded default, PostgreSQL for deployments.

Needs the ``sql`` extra (``pip install 'eschool-core[sql]'``). See ``docs/storage.md``.
"""

from eschool_core.storage.sql._connection import (
    SCHEMA_NAME,
    database_error,
    is_postgres_url,
    schema_version_error,
)
from eschool_core.storage.sql._schema import METADATA, SCHEMA_VERSION
from eschool_core.storage.sql._store import SqlStore, SqlUnitOfWork, open_store

__all__ = [
    "METADATA",
    "SCHEMA_NAME",
    "SCHEMA_VERSION",
    "SqlStore",
    "SqlUnitOfWork",
    "database_error",
    "is_postgres_url",
    "open_store",
    "schema_version_error",
]
