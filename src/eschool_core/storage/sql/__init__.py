# ruff: noqa: E402 - the optional modules are checked before the submodules import them
"""The SQL store (SQLAlchemy Core): SQLite as the embedded default, PostgreSQL for deployments.

Needs the ``sql`` extra (``pip install 'eschool-core[sql]'``). See ``docs/storage.md``.
"""

from eschool_core._extras import require

require("sqlalchemy", "sql")  # a MissingExtraError naming the extra, before any submodule

from eschool_core.storage.sql._audit import read_audit_log
from eschool_core.storage.sql._connection import (
    SCHEMA_NAME,
    database_error,
    is_postgres_url,
    schema_version_error,
    split_schema,
)
from eschool_core.storage.sql._schema import METADATA, SCHEMA_VERSION
from eschool_core.storage.sql._store import SqlStore, SqlUnitOfWork
from eschool_core.storage.sql._verify import verify_rows

__all__ = [
    "METADATA",
    "SCHEMA_NAME",
    "SCHEMA_VERSION",
    "SqlStore",
    "SqlUnitOfWork",
    "database_error",
    "is_postgres_url",
    "read_audit_log",
    "schema_version_error",
    "split_schema",
    "verify_rows",
]
