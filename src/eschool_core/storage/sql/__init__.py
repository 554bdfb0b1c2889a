# ruff: noqa: E402 - the optional modules are checked before the submodules import them
"""The SQL store (SQLAlchemy Core): SQLite as the embedded default, PostgreSQL for deployments.

Needs the ``sql`` extra (``pip install 'eschool-core[sql]'``). See ``docs/storage.md``.
"""

from eschool_core._extras import require

require("sqlalchemy", "sql")  # a MissingExtraError naming the extra, before any submodule

from eschool_core.storage import open_store
from eschool_core.storage.sql._connection import is_postgres_url
from eschool_core.storage.sql._schema import METADATA, SCHEMA_VERSION
from eschool_core.storage.sql._store import SqlStore, SqlUnitOfWork

__all__ = [
    "METADATA",
    "SCHEMA_VERSION",
    "SqlStore",
    "SqlUnitOfWork",
    "is_postgres_url",
    "open_store",
]
