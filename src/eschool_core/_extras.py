"""The one way the library and the command line import an optional dependency.

Each optional module belongs to an extra of ``eschool-core`` (``pip install
'eschool-core[sql]'``). :func:`require` imports it or raises
:class:`~eschool_core.errors.MissingExtraError` naming the extra, so that a missing
dependency is a typed error with an install command instead of a ``ModuleNotFoundError``.
"""

from __future__ import annotations

import sys
from types import ModuleType

from eschool_core.errors import MissingExtraError

__all__ = ["EXTRA_OF", "require"]

EXTRA_OF = {
    "sqlalchemy": "sql",
    "psycopg": "sql",
    "click": "cli",
    "rich": "cli",
    "fpdf": "export",
    "openpyxl": "export",
    "matplotlib": "export",
    "ibis": "analytics",
    "duckdb": "analytics",
    "pyarrow": "analytics",
    "pyspark": "spark",
}
"""The extra that installs each optional top-level module."""


def require(module: str, extra: str | None = None) -> ModuleType:
    """Import ``module`` (``"pyarrow.parquet"``) and return it.

    Args:
        module: A dotted module name whose top level is one of :data:`EXTRA_OF`.
        extra: The extra to name in the error (default: the module's in :data:`EXTRA_OF`).

    Raises:
        MissingExtraError: If the module, or a module it needs, is not installed.
    """
    top = module.partition(".")[0]
    named = extra or EXTRA_OF[top]
    try:
        __import__(module)  # the import statement's own hook, which tests can replace
    except ImportError as error:
        missing = (error.name or top).partition(".")[0]
        if isinstance(error, MissingExtraError) or (missing not in EXTRA_OF and missing != top):
            raise
        raise MissingExtraError.for_module(missing, EXTRA_OF.get(missing, named)) from error
    return sys.modules[module]
