"""Records management (clause 9): the records schedule (R9.2) and verifiable exports (R9.4).

:class:`RecordsSchedule` is the school's records schedule (номенклатура дел) as data (the
profile's ``[records]`` section): each :class:`RetentionRule` names a kind of record, its
retention period and its legal basis. :func:`due_dispositions` lists the closed cases due
for transfer to the archive or for destruction on a given day. :func:`seal` adds a SHA-256
manifest to an export and :func:`verify_sealed` proves it complete and unaltered.
"""

from eschool_core.records._manifest import (
    MANIFEST_NAME,
    MANIFEST_VERSION,
    Manifest,
    ManifestEntry,
    ManifestProblem,
    ManifestProblemKind,
    build_manifest,
    seal,
    verify_manifest,
    verify_sealed,
)
from eschool_core.records._schedule import (
    Disposition,
    DispositionFinding,
    RecordCase,
    RecordsSchedule,
    RetentionRule,
    due_dispositions,
)

__all__ = [
    "MANIFEST_NAME",
    "MANIFEST_VERSION",
    "Disposition",
    "DispositionFinding",
    "Manifest",
    "ManifestEntry",
    "ManifestProblem",
    "ManifestProblemKind",
    "RecordCase",
    "RecordsSchedule",
    "RetentionRule",
    "build_manifest",
    "due_dispositions",
    "seal",
    "verify_manifest",
    "verify_sealed",
]
