"""The storage conformance kit: the same tests for every store, shipped with the library.

A host that writes its own adapter of the :mod:`eschool_core.storage` protocols runs it
here. It needs the ``dev`` extra (pytest and hypothesis); ``import eschool_core`` never
loads this package. See ``docs/storage.md``.
"""

from eschool_core.testing._contract import REPOSITORIES, StoreContract, load, snapshot
from eschool_core.testing._machine import (
    Operation,
    operations,
    store_comparison_machine,
    versions,
)
from eschool_core.testing._samples import sample_school

__all__ = [
    "REPOSITORIES",
    "Operation",
    "StoreContract",
    "load",
    "operations",
    "sample_school",
    "snapshot",
    "store_comparison_machine",
    "versions",
]
