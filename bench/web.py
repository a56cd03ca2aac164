"""Page figures for `make bench`: each page timed against a baseline served by the same app in the same run, so
the ratio says what the page costs beyond the layout, the login and the request, whatever the machine.

results: the results page of a fully answered assessment of the largest questionnaire, against an empty page that
extends the same layout behind the same login. portfolio: the consultant's portfolio with 1,000 organisations of 5
assessments each, against one with 10 (first page, default sort). Flask test client, SQLite file databases, medians
of interleaved requests.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, render_template_string
from flask_login import login_required

from app.extensions import db, knowledge_base
from app.factory import create_app
from app.models import Assessment, AssessmentStatus, Membership, Organisation, Role
from app.models.base import utcnow
from app.services import accounts, assessments

from .webclient import login

ROUNDS = 40
WARM_UP = 5
BIG, SMALL, PER_ORGANISATION = 1_000, 10, 5
PASSWORD = "correct horse battery"
EMPTY_PAGE = "/workspace/bench-empty"


def make_app(path: Path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    baseline = Blueprint("bench", __name__)

    @baseline.get(EMPTY_PAGE)
    @login_required
    def empty():
        return render_template_string('{% extends "base.html" %}{% block content %}{% endblock %}')

    app.register_blueprint(baseline)
    with app.app_context():
        db.create_all()
    return app


def median_ms(client, path: str, times: list[float]) -> None:
    start = time.perf_counter()
    response = client.get(path)
    times.append((time.perf_counter() - start) * 1000)
    assert response.status_code == 200, f"{path}: {response.status_code}"


def interleaved(pairs: list[tuple[object, str]]) -> list[float]:
    """Median milliseconds of each (client, path), requested in turn so noise on a shared machine hits all alike."""
    times: list[list[float]] = [[] for _ in pairs]
    for round_ in range(WARM_UP + ROUNDS):
        for (client, path), bucket in zip(pairs, times, strict=True):
            median_ms(client, path, bucket if round_ >= WARM_UP else [])
    return [statistics.median(t) for t in times]


# ---------------------------------------------------------------------------------------------- results


def results_line(folder: Path, random_answers) -> str:
    app = make_app(folder / "results.sqlite3")
    with app.app_context():
        user = accounts.create_user("bench-results@example.com", PASSWORD)
        organisation = accounts.create_organisation(user, "Bench Results Ltd", Role.OWNER)
        knowledge = knowledge_base()
        questionnaire = max(knowledge.questionnaires.values(), key=lambda q: len(q.questions))
        assessment = assessments.start_assessment(user, organisation.id, questionnaire.id, "Fully answered")
        answers = random_answers(questionnaire, random.Random(2026))
        assessments.save_answers(user, assessment.id, answers)
        assessment_id, answered = assessment.id, len(answers)
    client = app.test_client()
    login(client, "bench-results@example.com", PASSWORD)
    if "results.results" in app.view_functions:
        page, note = f"/workspace/assessments/{assessment_id}/results", "the results page"
    else:  # the results page is not built yet: the assessment page stands in for it
        page, note = f"/workspace/assessments/{assessment_id}", "the assessment page (no results page yet)"
    page_ms, empty_ms = interleaved([(client, page), (client, EMPTY_PAGE)])
    dispose(app)
    return (
        f"results: ratio {page_ms / empty_ms:.2f} ({note} GET {page}, {answered} answers: median {page_ms:.1f} ms; "
        f"empty page, same layout and login: {empty_ms:.1f} ms)"
    )


# ---------------------------------------------------------------------------------------------- portfolio


def portfolio_app(path: Path, organisations: int):
    """A consultant who is a member of `organisations` organisations of PER_ORGANISATION assessments each, inserted
    in bulk with core INSERTs."""
    app = make_app(path)
    rng = random.Random(organisations)
    email = f"bench-portfolio-{organisations}@example.com"
    with app.app_context():
        user = accounts.create_user(email, PASSWORD)
        now = utcnow()
        db.session.execute(
            sa.insert(Organisation),
            [
                {"name": f"Client {n:04d} {rng.choice(['Apps', 'Analytics', 'Cloud', 'Labs'])}"}
                for n in range(organisations)
            ],
        )
        ids = db.session.scalars(sa.select(Organisation.id).order_by(Organisation.id)).all()
        db.session.execute(
            sa.insert(Membership), [{"user_id": user.id, "organisation_id": i, "role": Role.CONSULTANT} for i in ids]
        )
        rows = []
        for organisation_id in ids:
            for k in range(PER_ORGANISATION):
                started = now - timedelta(days=30 * (PER_ORGANISATION - k) + rng.randint(0, 20))
                rows.append(
                    {
                        "organisation_id": organisation_id,
                        "questionnaire_id": "quick-scan",
                        "questionnaire_version": 1,
                        "kb_version": "bench",
                        "status": AssessmentStatus.COMPLETED
                        if k < PER_ORGANISATION - 1
                        else AssessmentStatus.IN_PROGRESS,
                        "title": f"Assessment {k + 1}",
                        "started_by_id": user.id,
                        "started_at": started,
                        "readiness": rng.randint(0, 100),
                        "verdict": rng.choice(["not_ready", "stage1", "stage2"]),
                        "open_majors": rng.randint(0, 8),
                        "last_activity_at": started + timedelta(days=rng.randint(0, 10)),
                    }
                )
        db.session.execute(sa.insert(Assessment), rows)
        db.session.commit()
    client = app.test_client()
    login(client, email, PASSWORD)
    return app, client


def portfolio_line(folder: Path) -> str:
    big_app, big = portfolio_app(folder / "portfolio-big.sqlite3", BIG)
    small_app, small = portfolio_app(folder / "portfolio-small.sqlite3", SMALL)
    big_ms, small_ms = interleaved([(big, "/workspace/portfolio"), (small, "/workspace/portfolio")])
    dispose(big_app)
    dispose(small_app)
    return (
        f"portfolio: ratio {big_ms / small_ms:.2f} ({BIG:,} organisations x {PER_ORGANISATION} assessments: median "
        f"{big_ms:.1f} ms; {SMALL} organisations: {small_ms:.1f} ms; first page, default sort)"
    )


def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def web_lines(random_answers) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="clausewise-bench-") as folder:
        return [results_line(Path(folder), random_answers), portfolio_line(Path(folder))]
