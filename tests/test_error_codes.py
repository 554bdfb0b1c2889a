"""Error codes as data: each defined once, the table in the docs generated, free strings counted.

``docs/errors.md`` is generated from the registry of codes; rewrite it with
``python -m tests.test_error_codes`` after defining or changing a code.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import string
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import eschool_core
from eschool_core import errors
from eschool_core.errors import (
    ConflictError,
    ErrorCode,
    EschoolError,
    NotFoundError,
    ValidationError,
    code_table,
    error_code,
    registered_codes,
)
from eschool_core.storage.registry import REGISTRY
from eschool_core.texts import Text

_ROOT = Path(__file__).resolve().parents[1]
_PACKAGE = Path(eschool_core.__file__).resolve().parent
_DOC = _ROOT / "docs" / "errors.md"
_HEADER = """# Error codes

Every error eschool_core raises on purpose carries one of these codes (`err.code`), the class
of the exception, the clause of the regulation where a rule is broken (a blank clause where
the profile's policy names it, or none applies) and a message in Russian (`str(err)`) and
English (`err.message("en")`). The `{placeholders}` are filled from the error's `details`.

Each code is defined once, as an `ErrorCode` in its package's catalogue (`grading/_errors.py`,
...); defining a code twice fails at import. This file is generated from those definitions:
after changing one, run `python -m tests.test_error_codes`.

The repeated shapes are defined per kind of entity: `<kind>.not_found`, `<kind>.duplicate`,
`<kind>.dangling_reference`, `<kind>.referenced` for every aggregate of the storage registry.

"""

# Constructor calls that still spell a free-string code and compose their message inline,
# per module. Convert them to an ``ErrorCode`` of the package's catalogue; the count may only
# go down (lower it here when converting).
_UNCONVERTED: dict[str, int] = {
    "_validation.py": 1,
    "accounts/_service.py": 1,
    "analytics/_class_marks.py": 1,
    "analytics/_store.py": 1,
    "calendar/_production.py": 1,
    "calendar/_year.py": 2,
    "cli/_analyze.py": 1,
    "cli/_find.py": 1,
    "cli/_options.py": 1,
    "cli/_report.py": 1,
    "curriculum/_model.py": 1,
    "deadlines/_edits.py": 1,
    "interop/oneroster.py": 1,
    "profiles/_profile.py": 2,
    "rbac/_catalogue.py": 1,
    "service/_rules.py": 2,
    "storage/_open.py": 5,
    "storage/rows/_journal.py": 1,
    "storage/memory.py": 3,
    "storage/sql/_audit.py": 4,
    "storage/sql/_connection.py": 3,
    "storage/sql/_repositories.py": 1,
    "storage/sql/_store.py": 5,
    "year_data.py": 3,
}

_ERROR_CLASSES = frozenset(
    name
    for name in errors.__all__
    if isinstance(getattr(errors, name), type) and issubclass(getattr(errors, name), EschoolError)
)


def _import_everything() -> None:
    for module in pkgutil.walk_packages(eschool_core.__path__, "eschool_core."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)


def generated_doc() -> str:
    """Return the text of ``docs/errors.md`` from every module's definitions."""
    _import_everything()
    return _HEADER + code_table()


def _free_string_sites() -> Counter[str]:
    found: Counter[str] = Counter()
    for path in sorted(_PACKAGE.rglob("*.py")):
        if path.name == "errors.py" and path.parent == _PACKAGE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in _ERROR_CLASSES
                and any(keyword.arg == "code" for keyword in node.keywords)
            ):
                found[path.relative_to(_PACKAGE).as_posix()] += 1
    return found


class _Anything:
    """A field value for any placeholder: indexable, with any attribute, any format spec."""

    def __getitem__(self, _key: object) -> _Anything:
        return self

    def __getattr__(self, _name: str) -> _Anything:
        return self

    def __format__(self, _spec: str) -> str:
        return "x"


def test_docs_table_is_generated() -> None:
    """docs/errors.md is exactly the table of the defined codes (regenerate it if not)."""
    assert _DOC.read_text(encoding="utf-8") == generated_doc(), (
        "docs/errors.md is stale: run `python -m tests.test_error_codes`"
    )


def test_defining_a_code_twice_fails() -> None:
    """A second definition of a code is refused and leaves the first in place."""
    _import_everything()
    first = error_code("grading.bad_count")
    with pytest.raises(ConflictError) as caught:
        ErrorCode("grading.bad_count", ValidationError, Text("Снова", "Again"))
    assert caught.value.code == "error_code.duplicate"
    assert error_code("grading.bad_count") is first


@pytest.mark.parametrize("code", ["Mark.bad", "mark", "mark..bad", "mark bad.x", ".mark"])
def test_malformed_code_is_refused(code: str) -> None:
    """A code is dotted lowercase words."""
    with pytest.raises(ValidationError) as caught:
        ErrorCode(code, ValidationError, Text("Плохо", "Bad"))
    assert caught.value.code == "error_code.malformed"


def test_unknown_code_is_not_found() -> None:
    with pytest.raises(NotFoundError) as caught:
        error_code("no.such_code")
    assert caught.value.code == "error_code.not_found"


def test_both_languages_name_the_same_fields() -> None:
    """Every message says the same facts in Russian and in English."""
    _import_everything()
    formatter = string.Formatter()
    for item in registered_codes():
        names = [
            {name for _, name, _, _ in formatter.parse(template) if name}
            for template in (item.message.ru, item.message.en)
        ]
        assert names[0] == names[1], item.code


def test_every_message_is_a_valid_template() -> None:
    """Every code builds its error, with its code, class and clause, from its fields."""
    _import_everything()
    for item in registered_codes():
        if item.error_type is errors.MissingExtraError:
            continue
        error = item.error(**dict.fromkeys(item.fields(), _Anything()))
        assert (type(error), error.code, error.clause) == (item.error_type, item.code, item.clause)
        assert str(error)
        assert error.message("en")


@given(st.integers(), st.text(min_size=1, max_size=20))
def test_fields_fill_the_message_and_are_the_details(value: int, scale: str) -> None:
    """error(**fields) formats both languages and keeps the fields as details."""
    try:
        demo = ErrorCode(
            "demo.out_of_scale",
            ValidationError,
            Text("Отметка {value} вне шкалы {scale}", "The mark {value} is outside {scale}"),
            clause="5.2",
        )
        error = demo.error(value=value, scale=scale)
        assert str(error) == f"Отметка {value} вне шкалы {scale}"
        assert error.message("en") == f"The mark {value} is outside {scale}"
        assert dict(error.details) == {"value": value, "scale": scale}
        assert (error.code, error.clause) == ("demo.out_of_scale", "5.2")
        narrowed = demo.error(details={"value": value}, scale=scale)
        assert dict(narrowed.details) == {"value": value}
        assert narrowed.message("en") == error.message("en")
    finally:
        errors._REGISTRY.pop("demo.out_of_scale", None)


def test_a_bilingual_field_is_told_in_each_language() -> None:
    """A Text field gives each message its own language; the clause may come from the policy."""
    error = errors.PROFILE_INVALID.error(key="a.b", reason=Text("плохо", "bad"), rule_clause="2.2")
    assert (str(error), error.message("en")) == (
        "Профиль, ключ «a.b»: плохо",
        "Profile, key 'a.b': bad",
    )
    assert error.clause == "2.2"


def test_shapes_are_defined_per_kind() -> None:
    """The not-found, duplicate, dangling and referenced codes exist for every aggregate kind."""
    _import_everything()
    codes = {item.code for item in registered_codes()}
    for spec in REGISTRY.values():
        for shape in ("not_found", "duplicate", "dangling_reference", "referenced"):
            assert f"{spec.kind}.{shape}" in codes
    missing = NotFoundError.for_id("student", "s9")
    assert missing.code == "student.not_found"
    assert dict(missing.details) == {"kind": "student", "id": "s9"}


def test_free_string_codes_only_go_down() -> None:
    """The raise sites not yet converted are exactly the listed ones (lower the list)."""
    assert dict(_free_string_sites()) == _UNCONVERTED


if __name__ == "__main__":
    _DOC.write_text(generated_doc(), encoding="utf-8")
