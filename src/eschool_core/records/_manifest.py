"""A SHA-256 manifest of exported files, and its verification (R9.4: authentic, complete records).

An export (reports in any format, or any set of named files) is *sealed* by adding a
manifest: every file's name, size and SHA-256 digest, in canonical JSON. Verification
recomputes the digests and names every file that is missing, added or altered. The
manifest's own digest is what a host records in the hash-chained audit log, which binds
the export to the moment and the account that produced it (docs/compliance.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar

import attrs

from eschool_core import _validation as v
from eschool_core.problems import Severity, problem_dict
from eschool_core.records._errors import (
    MANIFEST_ABSENT,
    MANIFEST_BAD_DIGEST,
    MANIFEST_BAD_NAMES,
    MANIFEST_UNREADABLE,
)
from eschool_core.texts import Text

__all__ = [
    "MANIFEST_NAME",
    "MANIFEST_VERSION",
    "Manifest",
    "ManifestEntry",
    "ManifestProblem",
    "ManifestProblemKind",
    "build_manifest",
    "seal",
    "verify_manifest",
    "verify_sealed",
]

MANIFEST_NAME = "manifest.sha256.json"
"""The file name of the manifest inside a sealed export."""
MANIFEST_VERSION = 1
"""Version of the manifest's JSON form."""


def _sha256(_instance: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    ok = isinstance(value, str) and len(value) == 64
    ok = ok and all(char in "0123456789abcdef" for char in str(value))
    if not ok:
        raise MANIFEST_BAD_DIGEST.error(value=value)


@attrs.frozen(kw_only=True)
class ManifestEntry:
    """One exported file: its name, size and digest.

    Attributes:
        name: The file name within the export.
        size: Its size in bytes.
        sha256: Its SHA-256 digest, lowercase hex.
    """

    name: str = attrs.field(validator=v.non_empty_text)
    size: int = attrs.field(validator=v.int_in_range(0, 2**62, "manifest.size"))
    sha256: str = attrs.field(validator=_sha256)


def _entries(value: object) -> tuple[ManifestEntry, ...]:
    return tuple(sorted(v.to_tuple(value), key=lambda entry: entry.name))


@attrs.frozen(kw_only=True)
class Manifest:
    """The manifest of an export: one entry per file, sorted by name.

    Attributes:
        entries: The files.

    Raises:
        ValidationError: If two entries share a name, or one is named like the manifest.
    """

    entries: tuple[ManifestEntry, ...] = attrs.field(converter=_entries)

    def __attrs_post_init__(self) -> None:
        names = [entry.name for entry in self.entries]
        if len(set(names)) != len(names) or MANIFEST_NAME in names:
            raise MANIFEST_BAD_NAMES.error()

    def to_json(self) -> str:
        """Return the canonical JSON text (sorted keys, no spaces, UTF-8 names kept)."""
        data = {
            "version": MANIFEST_VERSION,
            "algorithm": "sha256",
            "files": [attrs.asdict(entry) for entry in self.entries],
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @property
    def digest(self) -> str:
        """The SHA-256 of the canonical JSON: what the audit log records for the export."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()

    @classmethod
    def from_json(cls, text: str | bytes) -> Manifest:
        """Read a manifest from its JSON text.

        Raises:
            ValidationError: If the text is not a manifest of a known version.
        """
        unreadable = MANIFEST_UNREADABLE.error()
        try:
            data = json.loads(text)
            known = data["version"] == MANIFEST_VERSION and data["algorithm"] == "sha256"
            files = data["files"] if known else None
        except (ValueError, KeyError, TypeError) as exc:
            raise unreadable from exc
        if not isinstance(files, list) or not all(isinstance(item, dict) for item in files):
            raise unreadable
        try:
            return cls(entries=[ManifestEntry(**item) for item in files])
        except TypeError as exc:
            raise unreadable from exc


class ManifestProblemKind(StrEnum):
    """What is wrong with a file against the manifest."""

    MISSING = "missing"
    """Listed in the manifest, absent from the export."""
    UNLISTED = "unlisted"
    """Present in the export, not in the manifest."""
    ALTERED = "altered"
    """Its size or digest differs from the manifest's."""


@attrs.frozen(kw_only=True)
class ManifestProblem:
    """One file that fails verification (R9.4).

    Attributes:
        name: The file.
        kind: What is wrong.
        message: The problem in Russian and English.
    """

    name: str
    kind: ManifestProblemKind
    message: Text

    clause: ClassVar[str] = "9.4"
    """The clause of the regulation on sealed exports."""
    requirement: ClassVar[str] = "R9.4"
    """Its requirement id."""
    severity: ClassVar[Severity] = Severity.ERROR
    """Always an error: the export is not authentic or not complete."""

    @property
    def code(self) -> str:
        """The stable code, ``"manifest.<kind>"`` (``"manifest.altered"``)."""
        return f"manifest.{self.kind.value}"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form shared by every finding; the entity is the file."""
        return problem_dict(
            code=self.code,
            clause=self.clause,
            requirement=self.requirement,
            severity=self.severity,
            message=self.message,
            entity_kind="file",
            entity_id=self.name,
        )


_PROBLEM_RU = {
    ManifestProblemKind.MISSING: "отсутствует",
    ManifestProblemKind.UNLISTED: "не указан в описи",
    ManifestProblemKind.ALTERED: "изменён после выгрузки",
}


def build_manifest(files: Mapping[str, bytes]) -> Manifest:
    """Return the manifest of ``files`` (name to content).

    >>> manifest = build_manifest({"report.csv": b"a;b"})
    >>> manifest.entries[0].size, manifest.entries[0].sha256[:12]
    (3, '5719af188235')
    """
    return Manifest(
        entries=[
            ManifestEntry(name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest())
            for name, data in files.items()
        ]
    )


def verify_manifest(manifest: Manifest, files: Mapping[str, bytes]) -> tuple[ManifestProblem, ...]:
    """Check ``files`` against ``manifest``; an empty result means authentic and complete.

    Returns:
        The problems, sorted by file name: missing, unlisted and altered files.
    """
    problems: list[ManifestProblem] = []
    listed = {entry.name: entry for entry in manifest.entries}
    for name in sorted(set(listed) | set(files) - {MANIFEST_NAME}):
        entry, data = listed.get(name), files.get(name)
        if entry is None:
            kind = ManifestProblemKind.UNLISTED
        elif data is None:
            kind = ManifestProblemKind.MISSING
        elif len(data) != entry.size or hashlib.sha256(data).hexdigest() != entry.sha256:
            kind = ManifestProblemKind.ALTERED
        else:
            continue
        problems.append(
            ManifestProblem(
                name=name,
                kind=kind,
                message=Text(
                    f"Файл «{name}» {_PROBLEM_RU[kind]} (п. 9.4)",
                    f"File '{name}' is {kind.value} (clause 9.4)",
                ),
            )
        )
    return tuple(problems)


def seal(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """Return ``files`` with their manifest added as :data:`MANIFEST_NAME`.

    Raises:
        ValidationError: If a file is already named like the manifest.

    >>> from eschool_core.reports import export_report
    >>> from eschool_core.reports._examples import example_report
    >>> sealed = seal({"quality.csv": export_report(example_report(), "csv")})
    >>> sorted(sealed)
    ['manifest.sha256.json', 'quality.csv']
    >>> verify_sealed(sealed)
    ()
    >>> sealed["quality.csv"] = sealed["quality.csv"].replace(b"66.67", b"96.67")
    >>> [(p.name, p.kind.value) for p in verify_sealed(sealed)]
    [('quality.csv', 'altered')]
    """
    sealed = dict(files)
    sealed[MANIFEST_NAME] = build_manifest(files).to_json().encode()
    return sealed


def verify_sealed(files: Mapping[str, bytes]) -> tuple[ManifestProblem, ...]:
    """Verify a sealed export against the manifest it carries.

    Raises:
        ValidationError: If the export has no manifest or it is unreadable.
    """
    if MANIFEST_NAME not in files:
        raise MANIFEST_ABSENT.error(MANIFEST_NAME=MANIFEST_NAME)
    return verify_manifest(Manifest.from_json(files[MANIFEST_NAME]), files)
