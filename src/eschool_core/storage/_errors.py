"""The error codes of ``eschool_core.storage``: each defined once (see ``docs/errors.md``).

The codes of the repeated shapes are defined per kind of aggregate of the registry:
``<kind>.not_found``, ``<kind>.duplicate``, ``<kind>.dangling_reference`` and
``<kind>.referenced``.
"""

from __future__ import annotations

from types import MappingProxyType

from eschool_core.errors import ConflictError, ErrorCode, NotFoundError, ValidationError
from eschool_core.storage.registry import REGISTRY

_KINDS = sorted({spec.kind for spec in REGISTRY.values()})

NOT_FOUND: MappingProxyType[str, ErrorCode[NotFoundError]] = MappingProxyType(
    {kind: ErrorCode.not_found(kind) for kind in _KINDS}
)
DUPLICATE: MappingProxyType[str, ErrorCode[ConflictError]] = MappingProxyType(
    {kind: ErrorCode.duplicate(kind) for kind in _KINDS}
)
DANGLING_REFERENCE: MappingProxyType[str, ErrorCode[ValidationError]] = MappingProxyType(
    {kind: ErrorCode.dangling_reference(kind) for kind in _KINDS}
)
REFERENCED: MappingProxyType[str, ErrorCode[ConflictError]] = MappingProxyType(
    {kind: ErrorCode.referenced(kind) for kind in _KINDS}
)
