"""The write service: write through it, read through the store (R3.1b, R8.6, R8.9, R10.1, R12.5).

:class:`SchoolService` has one command per thing the regulation's users change: current
marks and their corrections, absences and their reasons, lesson topics and homework,
period, annual, exam and final marks, closing and reopening a study period, movement
orders, personal cards and consents; and producing a named report, which is recorded as a
stored run (R11.3, R11.4). Each command authorizes, keeps the edit window and the period
lock, validates against the domain, writes, and appends its audit entry, all in one unit of
work: it commits as a whole or leaves nothing behind.
"""

from eschool_core.service._inputs import MarkEntry
from eschool_core.service._rules import history_matches, rebuild_book
from eschool_core.service._service import SchoolService

__all__ = ["MarkEntry", "SchoolService", "history_matches", "rebuild_book"]
