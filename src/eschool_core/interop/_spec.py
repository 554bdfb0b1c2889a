"""The OneRoster 1.2 CSV binding as data: files, columns, required fields, value sets, links."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

MANIFEST_FILE = "manifest.csv"

STATUSES = frozenset({"active", "tobedeleted"})
ORG_TYPES = frozenset({"department", "school", "district", "local", "state", "national"})
SESSION_TYPES = frozenset({"gradingPeriod", "semester", "schoolYear", "term"})
CLASS_TYPES = frozenset({"homeroom", "scheduled"})
ROLES = frozenset(
    {
        "aide",
        "counselor",
        "districtAdministrator",
        "guardian",
        "parent",
        "principal",
        "proctor",
        "relative",
        "siteAdministrator",
        "student",
        "systemAdministrator",
        "teacher",
    }
)
ROLE_TYPES = frozenset({"primary", "secondary"})
ENROLLMENT_ROLES = frozenset({"administrator", "proctor", "student", "teacher"})
SCORE_STATUSES = frozenset(
    {"exempt", "fully graded", "not submitted", "partially graded", "submitted"}
)
SEXES = frozenset({"male", "female", "unspecified", "other"})
BOOLEANS = frozenset({"true", "false"})
GRADES = frozenset(
    {"IT", "PR", "PK", "TK", "KG", "PS", "UG", "Other"} | {f"{n:02d}" for n in range(1, 14)}
)
FILE_MODES = frozenset({"bulk", "delta", "absent"})


@attrs.frozen(kw_only=True)
class FileSpec:
    """The columns of one CSV file of the binding and what their cells must hold."""

    name: str
    columns: tuple[str, ...]
    required: frozenset[str] = frozenset({"sourcedId"})
    enums: Mapping[str, frozenset[str]] = attrs.field(factory=dict)
    dates: frozenset[str] = frozenset()
    booleans: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    lists: frozenset[str] = frozenset()
    references: Mapping[str, str] = attrs.field(factory=dict)
    """Column to the file whose ``sourcedId`` it names (list columns name several)."""


_COMMON = ("sourcedId", "status", "dateLastModified")
_STATUS = {"status": STATUSES}


def _spec(name: str, columns: tuple[str, ...], **kwargs: object) -> FileSpec:
    enums = dict(_STATUS)
    enums.update(kwargs.pop("enums", {}))  # type: ignore[call-overload]
    return FileSpec(name=name, columns=_COMMON + columns, enums=enums, **kwargs)  # type: ignore[arg-type]


SPECS: Mapping[str, FileSpec] = MappingProxyType(
    {
        spec.name: spec
        for spec in (
            _spec(
                "academicSessions.csv",
                ("title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear"),
                required=frozenset(
                    {"sourcedId", "title", "type", "startDate", "endDate", "schoolYear"}
                ),
                enums={"type": SESSION_TYPES},
                dates=frozenset({"startDate", "endDate"}),
                numbers=frozenset({"schoolYear"}),
                references={"parentSourcedId": "academicSessions.csv"},
            ),
            _spec("categories.csv", ("title", "weight"), numbers=frozenset({"weight"})),
            _spec(
                "classes.csv",
                (
                    "title",
                    "grades",
                    "courseSourcedId",
                    "classCode",
                    "classType",
                    "location",
                    "schoolSourcedId",
                    "termSourcedIds",
                    "subjects",
                    "subjectCodes",
                    "periods",
                ),
                required=frozenset(
                    {
                        "sourcedId",
                        "title",
                        "courseSourcedId",
                        "classType",
                        "schoolSourcedId",
                        "termSourcedIds",
                    }
                ),
                enums={"classType": CLASS_TYPES, "grades": GRADES},
                lists=frozenset(
                    {"grades", "termSourcedIds", "subjects", "subjectCodes", "periods"}
                ),
                references={
                    "courseSourcedId": "courses.csv",
                    "schoolSourcedId": "orgs.csv",
                    "termSourcedIds": "academicSessions.csv",
                },
            ),
            _spec(
                "courses.csv",
                (
                    "schoolYearSourcedId",
                    "title",
                    "courseCode",
                    "grades",
                    "orgSourcedId",
                    "subjects",
                    "subjectCodes",
                ),
                required=frozenset({"sourcedId", "title", "orgSourcedId"}),
                enums={"grades": GRADES},
                lists=frozenset({"grades", "subjects", "subjectCodes"}),
                references={
                    "schoolYearSourcedId": "academicSessions.csv",
                    "orgSourcedId": "orgs.csv",
                },
            ),
            _spec(
                "demographics.csv",
                (
                    "birthDate",
                    "sex",
                    "americanIndianOrAlaskaNative",
                    "asian",
                    "blackOrAfricanAmerican",
                    "nativeHawaiianOrOtherPacificIslander",
                    "white",
                    "demographicRaceTwoOrMoreRaces",
                    "hispanicOrLatinoEthnicity",
                    "countryOfBirthCode",
                    "stateOfBirthAbbreviation",
                    "cityOfBirth",
                    "publicSchoolResidenceStatus",
                ),
                enums={"sex": SEXES},
                dates=frozenset({"birthDate"}),
                booleans=frozenset(
                    {
                        "americanIndianOrAlaskaNative",
                        "asian",
                        "blackOrAfricanAmerican",
                        "nativeHawaiianOrOtherPacificIslander",
                        "white",
                        "demographicRaceTwoOrMoreRaces",
                        "hispanicOrLatinoEthnicity",
                    }
                ),
                references={"sourcedId": "users.csv"},
            ),
            _spec(
                "enrollments.csv",
                (
                    "classSourcedId",
                    "schoolSourcedId",
                    "userSourcedId",
                    "role",
                    "primary",
                    "beginDate",
                    "endDate",
                ),
                required=frozenset(
                    {"sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"}
                ),
                enums={"role": ENROLLMENT_ROLES},
                dates=frozenset({"beginDate", "endDate"}),
                booleans=frozenset({"primary"}),
                references={
                    "classSourcedId": "classes.csv",
                    "schoolSourcedId": "orgs.csv",
                    "userSourcedId": "users.csv",
                },
            ),
            _spec(
                "lineItems.csv",
                (
                    "title",
                    "description",
                    "assignDate",
                    "dueDate",
                    "classSourcedId",
                    "categorySourcedId",
                    "gradingPeriodSourcedId",
                    "resultValueMin",
                    "resultValueMax",
                ),
                required=frozenset(
                    {
                        "sourcedId",
                        "title",
                        "assignDate",
                        "dueDate",
                        "classSourcedId",
                        "categorySourcedId",
                        "gradingPeriodSourcedId",
                    }
                ),
                dates=frozenset({"assignDate", "dueDate"}),
                numbers=frozenset({"resultValueMin", "resultValueMax"}),
                references={
                    "classSourcedId": "classes.csv",
                    "categorySourcedId": "categories.csv",
                    "gradingPeriodSourcedId": "academicSessions.csv",
                },
            ),
            _spec(
                "orgs.csv",
                ("name", "type", "identifier", "parentSourcedId"),
                required=frozenset({"sourcedId", "name", "type"}),
                enums={"type": ORG_TYPES},
                references={"parentSourcedId": "orgs.csv"},
            ),
            _spec(
                "results.csv",
                (
                    "lineItemSourcedId",
                    "studentSourcedId",
                    "scoreStatus",
                    "score",
                    "textScore",
                    "scoreDate",
                    "comment",
                ),
                required=frozenset(
                    {
                        "sourcedId",
                        "lineItemSourcedId",
                        "studentSourcedId",
                        "scoreStatus",
                        "scoreDate",
                    }
                ),
                enums={"scoreStatus": SCORE_STATUSES},
                dates=frozenset({"scoreDate"}),
                numbers=frozenset({"score"}),
                references={"lineItemSourcedId": "lineItems.csv", "studentSourcedId": "users.csv"},
            ),
            _spec(
                "roles.csv",
                (
                    "userSourcedId",
                    "roleType",
                    "role",
                    "beginDate",
                    "endDate",
                    "orgSourcedId",
                    "userProfileSourcedId",
                ),
                required=frozenset(
                    {"sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"}
                ),
                enums={"roleType": ROLE_TYPES, "role": ROLES},
                dates=frozenset({"beginDate", "endDate"}),
                references={"userSourcedId": "users.csv", "orgSourcedId": "orgs.csv"},
            ),
            _spec(
                "users.csv",
                (
                    "enabledUser",
                    "username",
                    "userIds",
                    "givenName",
                    "familyName",
                    "middleName",
                    "identifier",
                    "email",
                    "sms",
                    "phone",
                    "agentSourcedIds",
                    "grades",
                    "password",
                    "userMasterIdentifier",
                    "resourceSourcedIds",
                    "preferredGivenName",
                    "preferredMiddleName",
                    "preferredFamilyName",
                    "primaryOrgSourcedId",
                    "pronouns",
                ),
                required=frozenset({"sourcedId", "enabledUser", "givenName", "familyName"}),
                enums={"grades": GRADES},
                booleans=frozenset({"enabledUser"}),
                lists=frozenset({"userIds", "agentSourcedIds", "grades", "resourceSourcedIds"}),
                references={"agentSourcedIds": "users.csv", "primaryOrgSourcedId": "orgs.csv"},
            ),
        )
    }
)
"""The files this library reads and writes, with their standard columns in the binding's order."""

BINDING_FILES = (
    "academicSessions",
    "categories",
    "classes",
    "classResources",
    "courses",
    "courseResources",
    "demographics",
    "enrollments",
    "lineItemLearningObjectiveIds",
    "lineItems",
    "lineItemScoreScales",
    "orgs",
    "resources",
    "resultLearningObjectiveIds",
    "results",
    "resultScoreScales",
    "roles",
    "scoreScales",
    "userProfiles",
    "users",
)
"""Every file of the 1.2 CSV binding, as named by the manifest's ``file.<name>`` properties."""
