"""Hypothesis strategies for valid (and deliberately invalid) entities."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import strategies as st

from eschool_core.ids import EmployeeId, MarkId, StudentId, SubjectId
from eschool_core.journal import Mark, MarkValue
from eschool_core.people import Person, Student

CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
LATIN = "abcdefghijklmnopqrstuvwxyz"


def _word(alphabet: str) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=1, max_size=12).map(str.capitalize)


def names() -> st.SearchStrategy[str]:
    """Valid names: one alphabet per word, words joined by a hyphen or a space."""
    word = st.one_of(_word(CYRILLIC), _word(LATIN))
    return st.lists(word, min_size=1, max_size=3).flatmap(
        lambda words: st.sampled_from(["-", " "]).map(lambda sep: sep.join(words))
    )


def snils_numbers() -> st.SearchStrategy[str]:
    """Valid СНИЛС numbers (11 digits, check digits computed)."""

    def with_check(number: int) -> str:
        digits = f"{number:09d}"
        total = sum(int(d) * (9 - i) for i, d in enumerate(digits))
        check = total if total < 100 else (0 if total in (100, 101) else total % 101 % 100)
        return f"{digits}{check:02d}"

    return st.integers(min_value=1_001_999, max_value=999_999_999).map(with_check)


def dates() -> st.SearchStrategy[date]:
    return st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31))


def aware_datetimes() -> st.SearchStrategy[datetime]:
    offsets = st.integers(min_value=-12, max_value=14).map(
        lambda hours: timezone(timedelta(hours=hours))
    )
    return st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2035, 12, 31), timezones=offsets
    )


def students(index: st.SearchStrategy[int] | None = None) -> st.SearchStrategy[Student]:
    ids = index if index is not None else st.integers(min_value=1, max_value=10_000)
    return st.builds(
        lambda number, last, first: Student(
            id=StudentId(f"s{number}"), person=Person(last_name=last, first_name=first)
        ),
        ids,
        names(),
        names(),
    )


def marks(
    student_id: str = "s1", subject_id: str = "math", author_id: str = "t1"
) -> st.SearchStrategy[Mark]:
    return st.builds(
        lambda number, score, day, moment: Mark(
            id=MarkId(f"m{number}"),
            student_id=StudentId(student_id),
            subject_id=SubjectId(subject_id),
            date=day,
            value=MarkValue.of(score),
            work_type="answer",
            author_id=EmployeeId(author_id),
            entered_at=moment,
        ),
        st.integers(min_value=1, max_value=10**6),
        st.integers(min_value=1, max_value=5),
        dates(),
        st.just(datetime(2025, 9, 1, 12, tzinfo=UTC)),
    )
