from __future__ import annotations

import pytest

from eschool_core import errors
from eschool_core.errors import (
    ConflictError,
    EschoolError,
    NotFoundError,
    PermissionDenied,
    ProfileError,
    RuleViolation,
    StorageError,
    ValidationError,
)


class TestEschoolError:
    def test_russian_by_default_english_on_request(self) -> None:
        """str() gives the Russian message; message('en') the English one."""
        err = ValidationError("Пусто", "Empty", code="x.empty", clause="8.6")
        assert str(err) == "Пусто"
        assert err.message("en") == "Empty"
        assert err.message("ru") == "Пусто"
        assert (err.code, err.clause) == ("x.empty", "8.6")

    def test_unknown_language_is_an_error(self) -> None:
        """Only Russian and English messages exist."""
        with pytest.raises(ValueError, match="de"):
            EschoolError("а", "a").message("de")

    def test_default_codes_per_class(self) -> None:
        """Each subclass has its own default code."""
        assert RuleViolation("а", "a").code == "rule.violated"
        assert StorageError("а", "a").code == "storage.failed"
        assert PermissionDenied("а", "a").code == "access.denied"

    def test_builtin_bases(self) -> None:
        """Errors are catchable by the matching builtin exceptions."""
        assert issubclass(ValidationError, ValueError)
        assert issubclass(ProfileError, ValidationError)
        assert issubclass(NotFoundError, LookupError)
        assert issubclass(PermissionDenied, PermissionError)
        for cls in (ConflictError, RuleViolation, StorageError, ValidationError):
            assert issubclass(cls, EschoolError)

    def test_named_constructors_carry_details(self) -> None:
        """for_id and duplicate build coded errors with structured details."""
        missing = NotFoundError.for_id("student", "s9")
        assert missing.code == "student.not_found"
        assert missing.details == {"kind": "student", "id": "s9"}
        assert "s9" in str(missing)
        assert "s9" in missing.message("en")
        duplicate = ConflictError.duplicate("mark", "m1")
        assert duplicate.code == "mark.duplicate"

    def test_details_are_read_only(self) -> None:
        """A caught error cannot be altered by its handler."""
        err = EschoolError("а", "a", details={"value": 1})
        with pytest.raises(TypeError):
            err.details["value"] = 2  # type: ignore[index]

    def test_to_dict_is_json_ready(self) -> None:
        """to_dict gives code, clause, the message in both languages and plain details."""
        err = ProfileError.at("grading.weights", "плохо", "bad")
        data = err.to_dict()
        assert data["code"] == "profile.invalid"
        assert data["details"] == {"key": "grading.weights"}
        assert set(data["message"]) == {"ru", "en"}
        assert "grading.weights" in data["message"]["ru"]
        assert "grading.weights" in data["message"]["en"]
        assert data["error"] == "ProfileError"

    def test_repr_names_code_and_clause(self) -> None:
        """repr shows the class, code, clause and English text for logs."""
        text = repr(RuleViolation("а", "late", code="mark.late", clause="8.6"))
        assert "mark.late" in text
        assert "8.6" in text
        assert "late" in text

    def test_module_exports(self) -> None:
        """The module exports its error classes, Language and the error-code registry."""
        assert {"EschoolError", "Language", "ErrorCode", "code_table"} <= set(errors.__all__)
        assert all(hasattr(errors, name) for name in errors.__all__)
