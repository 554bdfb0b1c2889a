from __future__ import annotations

import pytest

from eschool_core.deadlines import ResponsibleRole
from eschool_core.rbac import Role


class TestResponsibleRole:
    @pytest.mark.parametrize("duty", list(ResponsibleRole))
    def test_every_duty_has_an_access_role(self, duty: ResponsibleRole) -> None:
        """R12.3: every duty a finding is routed to is carried by a role of the matrix."""
        assert isinstance(duty.role, Role)

    def test_teacher_duties(self) -> None:
        """R12.3: subject- and class-teacher duties belong to the role «Учитель»."""
        assert ResponsibleRole.SUBJECT_TEACHER.role is Role.TEACHER
        assert ResponsibleRole.CLASS_TEACHER.role is Role.TEACHER
        assert ResponsibleRole.SECRETARY.role is Role.SECRETARY
