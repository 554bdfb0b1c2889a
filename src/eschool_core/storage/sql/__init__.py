"""The SQL store (SQLAlchemy Core): SQLite as the embedded default, PostgreSQL for deployments.

Needs the ``sql`` extra (``pip install 'eschool-core[sql]'``). See ``docs/storage.md``.
"""

from eschool_core.storage.sql._audit import read_audit_log
from eschool_core.storage.sql._connection import is_postgres_url
from eschool_core.storage.sql._schema import METADATA, SCHEMA_VERSION
from eschool_core.storage.sql._store import SqlStore, SqlUnitOfWork, open_store

__all__ = [
    "METADATA",
    "SCHEMA_VERSION",
    "SqlStore",
    "SqlUnitOfWork",
    "is_postgres_url",
    "open_store",
    "read_audit_log",
]
