"""The demo workspace `make run` creates on an empty database."""

from __future__ import annotations

from app.models import AssessmentStatus
from app.services import accounts, assessments, demo, evaluation, tenancy


def test_the_demo_workspace_has_a_consultant_two_clients_and_assessments_months_apart(db_app):
    with db_app.app_context():
        assert demo.database_is_empty()
        email, password = demo.create_demo_workspace()
        assert not demo.database_is_empty()
        consultant = accounts.authenticate(email, password, "127.0.0.1")
        assert consultant is not None  # the printed password works
        organisations = tenancy.organisations_of(consultant)
        assert len(organisations) == 2
        listed = {org.name: assessments.assessments_of(consultant, org.id) for org, _ in organisations}
        northwind = next(v for k, v in listed.items() if k.startswith("Northwind"))
        completed = [a for a in northwind if a.status is AssessmentStatus.COMPLETED]
        assert len(completed) == 2
        assert (max(a.started_at for a in completed) - min(a.started_at for a in completed)).days >= 90
        fjord = next(v for k, v in listed.items() if k.startswith("Fjord"))
        assert [a.status for a in fjord] == [AssessmentStatus.IN_PROGRESS]
        assert [(a.readiness is not None, bool(a.verdict)) for a in northwind + fjord] == [(True, True)] * 3
        # Fjord's check was answered by three people who contradict each other: the feature shows from the start.
        (check,) = fjord
        assert check.has_respondents
        findings = {f.id for f in evaluation.evaluate(check).findings}
        assert {"respondents-unaware-of-quality-system", "respondents-disagree-internal-audit"} <= findings
