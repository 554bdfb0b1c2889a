"""A deterministic synthetic school year: data for the demo, the tests and the benchmarks.

:func:`generate` builds a whole school year — staff, students with realistic Russian names
and valid СНИЛС, parents, classes, subjects, teaching assignments, lessons with topics and
homework, current marks, absences, period and annual marks, and the movement orders of the
year (arrivals, departures, transfers between classes in the middle of a study period at
every size, and the end-of-year decisions the annual marks call for, :func:`decide_year_end`)
from which the class memberships and the journal's rosters follow — and the same arguments
always give the same data. Entry
moments are planted on purpose: most marks are entered on the day of the lesson, some late
(R8.6), some of those with a valid reason; :class:`SynthStats` says how many of each.
:func:`write_to_store` puts a school into any store, orders included.
"""

from eschool_core.synth._catalogue import SchoolSize
from eschool_core.synth._generator import generate, write_to_store
from eschool_core.synth._model import (
    ProgressCallback,
    SyntheticSchool,
    SynthStats,
)
from eschool_core.synth._movement import MIN_TRANSFERS, movement_orders
from eschool_core.synth._year import academic_year_of
from eschool_core.synth._year_end import REPEAT_FROM_DEBTS, YearEndDecision, decide_year_end

__all__ = [
    "MIN_TRANSFERS",
    "REPEAT_FROM_DEBTS",
    "ProgressCallback",
    "SchoolSize",
    "SynthStats",
    "SyntheticSchool",
    "YearEndDecision",
    "academic_year_of",
    "decide_year_end",
    "generate",
    "movement_orders",
    "write_to_store",
]
