"""The regulation profile: a school's rules as data, read from TOML."""

from __future__ import annotations

import tomllib
import zoneinfo
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from eschool_core.accounts import AccountPolicy
from eschool_core.audit import AuditPolicy
from eschool_core.calendar import CalendarPolicy
from eschool_core.curriculum import LoadPolicy
from eschool_core.deadlines import DeadlinePolicy
from eschool_core.errors import EschoolError, ProfileError, ValidationError
from eschool_core.grading import GradingPolicy
from eschool_core.ids import SchoolId
from eschool_core.movement import MovementPolicy
from eschool_core.people import CardCategory, CardField
from eschool_core.profiles._accounts import parse_accounts
from eschool_core.profiles._audit import parse_audit
from eschool_core.profiles._calendar import parse_calendar
from eschool_core.profiles._curriculum import parse_curriculum
from eschool_core.profiles._deadlines import parse_deadlines
from eschool_core.profiles._errors import (
    PROFILE_NOT_TOML,
    PROFILE_NOT_UTF8,
    PROFILE_UNREADABLE,
)
from eschool_core.profiles._grading import parse_grading
from eschool_core.profiles._movement import parse_movement
from eschool_core.profiles._rbac import parse_rbac
from eschool_core.profiles._reader import TableReader
from eschool_core.profiles._records import parse_records
from eschool_core.rbac import RoleMatrix
from eschool_core.records import RecordsSchedule
from eschool_core.school import School

__all__ = [
    "CardRules",
    "Profile",
    "default_profile",
    "default_profile_text",
    "load_profile",
    "parse_profile",
]


@attrs.frozen(kw_only=True)
class CardRules:
    """Which fields each personal-card category must have (R6.5).

    Attributes:
        required: Required fields per card category.
        clause: The regulation clause (``"6.5"``).
        requirement: The requirement id (``"R6.5"``).
    """

    required: Mapping[CardCategory, frozenset[CardField]]
    clause: str
    requirement: str


@attrs.frozen(kw_only=True)
class Profile:
    """A school's regulation as data: the default encodes the regulation this library follows.

    Attributes:
        name: Human-readable name of the profile.
        regulation: The regulation the profile encodes.
        version: Version of the profile format (1).
        time_zone: The IANA time zone a new school takes (``[school].time_zone``); only a
            default: a stored school's own ``School.time_zone`` is the one every rule uses.
        week_days: The school week a new school takes, 5 or 6 days.
        class_capacity: The most students a class may hold unless the class says otherwise.
        cards: Required fields of personal cards (R6.5).
        calendar: Period schemes, school weeks, vacations and production-calendar overrides
            (R4.4b).
        movement: Rules of the movement book (R10.1): class capacity, debt term.
        deadlines: Every time rule of the regulation (R4.2a ... R11.4d), the edit window
            and the period lock.
        grading: Work types, weights, rounding and minimum marks (R2.2j).
        rbac: The role matrix (R3.1a, R3.1c, R3.2.1).
        accounts: The password policy and login lockout (R3.2.2a-b).
        audit: When the write service takes checkpoints of its audit log (R3.1b).
        curriculum: Weekly load maximums (R5.3e, СанПиН 1.2.3685-21 table 6.6), component
            names and the thematic plans' tolerance.
        records: The records schedule: kinds of record, retention periods, legal basis
            (R9.2).
    """

    name: str
    regulation: str
    version: int
    time_zone: str
    week_days: int
    class_capacity: int
    cards: CardRules
    calendar: CalendarPolicy
    movement: MovementPolicy
    deadlines: DeadlinePolicy
    grading: GradingPolicy
    rbac: RoleMatrix
    accounts: AccountPolicy
    audit: AuditPolicy
    curriculum: LoadPolicy
    records: RecordsSchedule

    def new_school(self, *, id: str, name: str, **fields: Any) -> School:  # noqa: ANN401
        """Return a new school with the profile's time zone and school week as its defaults.

        This is the one place the profile's ``[school]`` values reach a school: a stored
        school keeps its own time zone, and every rule judges its days in that one.

        Args:
            id: The school's id.
            name: Its full official name.
            **fields: Any other :class:`~eschool_core.school.School` field (a ``time_zone``
                or ``week_days`` given here wins over the profile's).

        Raises:
            ValidationError: For an invalid field.

        >>> school = default_profile().new_school(id="sch", name="Школа №1")
        >>> school.time_zone, school.week_days
        ('Europe/Moscow', 5)
        """
        defaults: dict[str, Any] = {"time_zone": self.time_zone, "week_days": self.week_days}
        return School(id=SchoolId(id), name=name, **{**defaults, **fields})


def parse_profile(text: str) -> Profile:
    """Read a profile from TOML text.

    Args:
        text: The TOML document.

    Returns:
        The validated profile.

    Raises:
        ProfileError: For invalid TOML, a missing section or key, an unknown key or a value
            of the wrong type; the message names the section and key.
    """
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        reason = "nested too deep" if isinstance(exc, RecursionError) else str(exc)
        raise PROFILE_NOT_TOML.error(reason=reason) from exc
    try:
        return _profile(data)
    except EschoolError:
        raise
    except (TypeError, ValueError, KeyError, OverflowError, RecursionError) as exc:
        # A value of the right TOML type that a rule's converter refuses.
        raise ProfileError(
            f"Профиль: недопустимое значение: {exc}",
            f"Profile: invalid value: {exc}",
            code="profile.invalid",
        ) from exc


def _profile(data: dict[str, Any]) -> Profile:
    root = TableReader(data, "")
    header = root.table("profile")
    version = header.integer("version", low=1, high=1)
    name = header.text("name")
    regulation = header.text("regulation")
    header.finish()

    school = root.table("school")
    time_zone = school.text("time_zone")
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long
        raise ProfileError.at(
            school.key_path("time_zone"),
            f"неизвестный часовой пояс «{time_zone}»",
            f"unknown time zone '{time_zone}'",
        ) from None
    week_days = school.integer("week_days", low=5, high=6)
    school.finish()

    classes = root.table("classes")
    class_capacity = classes.integer("capacity", low=1, high=60)
    classes.finish()

    cards = _parse_cards(root.table("cards"))
    calendar = parse_calendar(root.table("calendar"))
    movement = parse_movement(root.table("movement"), default_capacity=class_capacity)
    deadlines = parse_deadlines(root.table("deadlines"))
    grading = parse_grading(root.table("grading"))
    rbac = parse_rbac(root.table("rbac"))
    accounts = parse_accounts(root.table("accounts"))
    audit = parse_audit(root.table("audit"))
    curriculum = parse_curriculum(root.table("curriculum"))
    records = parse_records(root.table("records"))
    root.finish()
    return Profile(
        name=name,
        regulation=regulation,
        version=version,
        time_zone=time_zone,
        week_days=week_days,
        class_capacity=class_capacity,
        cards=cards,
        calendar=calendar,
        movement=movement,
        deadlines=deadlines,
        grading=grading,
        rbac=rbac,
        accounts=accounts,
        audit=audit,
        curriculum=curriculum,
        records=records,
    )


def _parse_cards(section: TableReader) -> CardRules:
    clause = section.text("clause")
    requirement = section.text("requirement")
    required: dict[CardCategory, frozenset[CardField]] = {}
    for category in CardCategory:
        fields = section.text_list(category.value)
        try:
            required[category] = frozenset(CardField(name) for name in fields)
        except ValueError:
            bad = next(name for name in fields if name not in CardField.__members__.values())
            raise ProfileError.at(
                section.key_path(category.value),
                f"неизвестное поле карточки «{bad}»",
                f"unknown card field '{bad}'",
                code="profile.unknown_value",
            ) from None
    section.finish()
    return CardRules(required=MappingProxyType(required), clause=clause, requirement=requirement)


def load_profile(path: str | Path) -> Profile:
    """Read a profile from a TOML file.

    Raises:
        ProfileError: If the file cannot be read (``profile.unreadable``), is not UTF-8
            (``profile.not_utf8``) or the profile is invalid; the message names the file
            (``details["file"]``) and the key.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PROFILE_UNREADABLE.error(details={"file": str(path)}, strerror=exc.strerror) from exc
    except UnicodeDecodeError as exc:
        raise PROFILE_NOT_UTF8.error(details={"file": str(path)}, start=exc.start) from exc
    try:
        return parse_profile(text)
    except ValidationError as exc:
        raise ProfileError(
            f"Файл «{path}»: {exc}",
            f"File '{path}': {exc.message('en')}",
            code=exc.code,
            clause=exc.clause,
            details={**exc.details, "file": str(path)},
        ) from exc


def default_profile_text() -> str:
    """Return the TOML text of the default profile (to copy and adapt)."""
    return resources.files("eschool_core.profiles").joinpath("default.toml").read_text("utf-8")


def default_profile() -> Profile:
    """Return the default profile, which encodes the regulation this library follows.

    >>> default_profile().time_zone
    'Europe/Moscow'
    """
    return parse_profile(default_profile_text())
