"""An organisation's progress (timeline, trend charts, comparison) and the consultant's portfolio."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.config import PROJECT_ROOT
from app.extensions import db
from app.models import Assessment, Role, User
from app.models.base import utcnow
from app.services import accounts, assessments, evaluation, invitations, progress, respondents, tenancy

from .. import factories
from ..webclient import login


def example(name: str) -> str:
    return (PROJECT_ROOT / "examples" / f"{name}.yaml").read_text()


def backdate(assessment_id: int, days: int) -> None:
    """Test set-up: an assessment started `days` ago, as if the organisation had been assessed over months."""
    when = utcnow() - timedelta(days=days)
    db.session.execute(
        sa.update(Assessment).where(Assessment.id == assessment_id).values(started_at=when, last_activity_at=when)
    )
    db.session.commit()


@pytest.fixture
def history(db_app):
    """Three assessments of one organisation months apart: a gap analysis (an action marked done, completed), a
    repeat with a policy written but peer review dropped, and a third still in progress."""
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Northwind <Apps>")
        first = assessments.import_answers(owner, organisation.id, example("startup-scrum"), "Gap analysis")
        assessments.update_plan_action(owner, first.id, "determine-context-and-scope", {"status": "done"})
        assessments.complete_assessment(owner, first.id)
        second = assessments.repeat_assessment(owner, first.id)
        assessments.save_answer(owner, second.id, "quality_policy", "yes")
        assessments.save_answer(owner, second.id, "pull_request_review", "no")
        third = assessments.import_answers(owner, organisation.id, example("agency-documented"), "Pre-audit")
        backdate(first.id, 200)
        backdate(second.id, 100)
        backdate(third.id, 5)
        ids = [first.id, second.id, third.id]
        readiness = [db.session.get(Assessment, i).readiness for i in ids]
        groups = [evaluation.evaluate(db.session.get(Assessment, i)).readiness.groups for i in ids]
        return {
            "email": owner.email,
            "organisation_id": organisation.id,
            "ids": ids,
            "readiness": readiness,
            "groups": groups,
        }


def page_of(db_app, email: str, path: str, **kwargs):
    client = db_app.test_client()
    login(client, email)
    response = client.get(path, **kwargs)
    return response, response.get_data(as_text=True)


# ---------------------------------------------------------------------------------------------- progress


def test_the_timeline_lists_every_assessment_newest_first_with_date_status_verdict_and_readiness(db_app, history):
    response, page = page_of(
        db_app, history["email"], f"/workspace/organisations/{history['organisation_id']}/progress"
    )
    assert response.status_code == 200
    assert "Progress of Northwind &lt;Apps&gt;" in page
    entries = re.findall(r'<li class="timeline-entry" id="assessment-(\d+)"', page)
    assert [int(i) for i in entries] == list(reversed(history["ids"]))
    first = page[page.index(f'id="assessment-{history["ids"][0]}"') :]
    first = first[: first.index("</li>")]
    assert "Gap analysis" in first and "completed" in first and "Not ready" in first
    assert f'data-score="{history["readiness"][0]}"' in first
    third = page[page.index(f'id="assessment-{history["ids"][2]}"') :]
    assert "in progress" in third[: third.index("</li>")]


def test_the_trend_charts_have_a_point_per_assessment_overall_and_per_clause_group(db_app, history):
    _, page = page_of(db_app, history["email"], f"/workspace/organisations/{history['organisation_id']}/progress")
    overall = page[page.index('id="trend-overall"') : page.index("</svg>", page.index('id="trend-overall"'))]
    assert [int(v) for v in re.findall(r'<circle class="point series-0"[^>]*data-value="(\d+)"', overall)] == [
        r for r in history["readiness"] if r is not None
    ]
    groups = page[page.index('id="trend-groups"') : page.index("</svg>", page.index('id="trend-groups"'))]
    assert re.findall(r'data-series="([^"]+)"', groups)[:2] == ["4 Context", "5 Leadership"]
    leadership = re.findall(r'<circle class="point series-1"[^>]*data-value="(\d+)"', groups)
    assert [int(v) for v in leadership] == [g["5"] for g in history["groups"] if g["5"] is not None]
    dates = re.findall(r'<text class="tick date" x="[\d.]+" y="\d+" text-anchor="middle">([^<]+)</text>', overall)
    assert dates == sorted(dates) and len(dates) == 3  # one date per assessment, oldest on the left


def test_the_comparison_form_offers_the_latest_two_by_default(db_app, history):
    _, page = page_of(db_app, history["email"], f"/workspace/organisations/{history['organisation_id']}/progress")
    form = page[page.index('class="compare-form"') :]
    form = form[: form.index("</form>")]
    assert re.search(rf'name="a">.*?<option value="{history["ids"][1]}" selected', form, re.S)
    assert re.search(rf'name="b"><option value="{history["ids"][2]}" selected', form)


def test_the_comparison_shows_per_clause_changes_and_findings_resolved_new_regressed_and_persisting(db_app, history):
    first, second, _ = history["ids"]
    response, page = page_of(db_app, history["email"], f"/workspace/compare?a={second}&b={first}")
    assert response.status_code == 200
    assert f"Assessment #{first} → #{second}" in page  # always oldest first, whichever way round they were asked
    resolved = page[page.index('class="findings-resolved"') :]
    assert "There is no approved quality policy" in resolved[: resolved.index("</ul>")]
    regressed = page[page.index('class="findings-regressed"') :]
    assert "Nobody reviews or authorises changes" in regressed[: regressed.index("</ul>")]  # 8.3.6 dropped
    persisting = page[page.index('class="findings-persisting"') :]
    assert "The quality system has no written scope" in persisting[: persisting.index("</ul>")]
    new = page[page.index('class="findings-new"') :]
    assert "Release checks are inconsistent" in new[: new.index("</ul>")]
    row = re.search(r'<tr data-clause="5.2.1"[^>]*>(.*?)</tr>', page, re.S).group(1)
    assert "5.2.1" in row and "▲ +100" in row
    dropped = re.search(r'<tr data-clause="8.3.6" class="changed-down">(.*?)</tr>', page, re.S).group(1)
    assert "▼ -100" in dropped
    done = page[page.index('id="done-but-persisting"') :]
    done = done[: done.index("</section>")]
    assert "scope" in done.lower() and "The quality system has no written scope" in done


def test_comparing_an_assessment_with_itself_is_refused(db_app, history):
    first = history["ids"][0]
    response, page = page_of(db_app, history["email"], f"/workspace/compare?a={first}&b={first}")
    assert response.status_code == 422 and "two different assessments" in page


def test_an_organisation_without_assessments_invites_to_start_the_first(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Fresh Ltd")
        viewer = factories.member(organisation.id, Role.VIEWER, owner)
        owner_email, viewer_email, organisation_id = owner.email, viewer.email, organisation.id
    path = f"/workspace/organisations/{organisation_id}/progress"
    _, page = page_of(db_app, owner_email, path)
    assert 'id="progress-empty"' in page and "Start the first assessment</button>" in page
    assert f'action="/workspace/organisations/{organisation_id}/assessments"' in page
    _, page = page_of(db_app, viewer_email, path)
    assert "Start the first assessment</button>" not in page and "Ask an owner or a consultant" in page


def test_progress_and_comparison_of_another_tenant_are_404(db_app, history):
    with db_app.app_context():
        _, stranger = factories.organisation(name="Elsewhere")
        email = stranger.email
    response, _ = page_of(db_app, email, f"/workspace/organisations/{history['organisation_id']}/progress")
    assert response.status_code == 404
    first, second, _ = history["ids"]
    response, _ = page_of(db_app, email, f"/workspace/compare?a={first}&b={second}")
    assert response.status_code == 404


def test_the_organisation_page_links_its_progress(db_app, history):
    _, page = page_of(db_app, history["email"], f"/workspace/organisations/{history['organisation_id']}")
    assert f"/workspace/organisations/{history['organisation_id']}/progress" in page


# ---------------------------------------------------------------------------------------------- portfolio


@pytest.fixture
def clients(db_app):
    """A consultant with four client organisations of known readiness (one without any assessment), and a
    stranger with an organisation of their own."""
    with db_app.app_context():
        consultant = factories.user()
        briefs = {}
        for name, files in [
            ("Brightpath Labs", ["startup-scrum", "agency-documented"]),  # readiness up
            ("acme 100% Software", ["company-near-ready"]),
            ("Zephyr Agency", ["agency-documented", "startup-scrum"]),  # readiness down
        ]:
            organisation = accounts.create_organisation(consultant, name, Role.CONSULTANT)
            for days, file in zip((60, 10), files, strict=False):
                assessment = assessments.import_answers(consultant, organisation.id, example(file))
                assessments.complete_assessment(consultant, assessment.id)  # the portfolio shows completed verdicts
                backdate(assessment.id, days)
            briefs[name] = db.session.get(Assessment, assessment.id)
        accounts.create_organisation(consultant, "Empty Co", Role.CONSULTANT)
        stranger = factories.user()
        accounts.create_organisation(stranger, "Secret Client Brightpath", Role.OWNER)
        return {
            "consultant": consultant.email,
            "stranger": stranger.email,
            "readiness": {n: a.readiness for n, a in briefs.items()},
            "majors": {n: a.open_majors for n, a in briefs.items()},
        }


def names_in(page: str) -> list[str]:
    return re.findall(r'<tr data-organisation="\d+">\s*<td><a href="[^"]+">([^<]+)</a>', page)


def test_the_portfolio_lists_every_organisation_of_the_member_by_name_with_its_latest_assessment(db_app, clients):
    response, page = page_of(db_app, clients["consultant"], "/workspace/portfolio")
    assert response.status_code == 200
    assert names_in(page) == ["acme 100% Software", "Brightpath Labs", "Empty Co", "Zephyr Agency"]  # any case
    assert "Secret Client" not in page
    row = re.search(r'<tr data-organisation="\d+">\s*<td><a[^>]+>Brightpath Labs</a>(.*?)</tr>', page, re.S).group(1)
    assert f'data-score="{clients["readiness"]["Brightpath Labs"]}"' in row
    assert re.search(r'data-trend="(\d+)"', row) and "▲ +" in row  # agency-documented scores above the start-up
    zephyr = re.search(r"Zephyr Agency</a>(.*?)</tr>", page, re.S).group(1)
    assert "▼ -" in zephyr
    acme = re.search(r"acme 100% Software</a>(.*?)</tr>", page, re.S).group(1)
    assert 'data-trend=""' in acme  # a single assessment has no trend
    empty = re.search(r"Empty Co</a>(.*?)</tr>", page, re.S).group(1)
    assert "No assessment yet" in empty


def row_of(page: str, name: str) -> str:
    return re.search(rf"<td><a[^>]+>{re.escape(name)}</a>(.*?)</tr>", page, re.S).group(1)


def test_a_new_assessment_shows_beside_the_last_completed_verdict_never_instead_of_it(db_app, clients):
    with db_app.app_context():
        consultant = db.session.scalar(sa.select(User).where(User.email == clients["consultant"]))
        brightpath = next(o for o, _ in tenancy.organisations_of(consultant) if o.name == "Brightpath Labs")
        fresh = assessments.start_assessment(consultant, brightpath.id, "quick-scan")
        assessments.save_answer(consultant, fresh.id, "quality_policy", "no")
        fresh_id, fresh_title = fresh.id, fresh.title
    _, page = page_of(db_app, clients["consultant"], "/workspace/portfolio")
    row = row_of(page, "Brightpath Labs")
    completed, ongoing = row.split('class="in-progress"')
    # The verdict, readiness and trend are still those of the last completed assessment ...
    assert f'data-score="{clients["readiness"]["Brightpath Labs"]}"' in completed and "▲ +" in completed
    assert f'/workspace/assessments/{fresh_id}"' not in completed
    # ... and the new one is beside them, with how far it is.
    assert f'href="/workspace/assessments/{fresh_id}"' in ongoing and fresh_title in ongoing
    assert 'data-answered="1"' in ongoing and "1 question answered" in ongoing
    # Sorting by readiness reads the completed figures too: the start of a new assessment moves nothing.
    _, page = page_of(db_app, clients["consultant"], "/workspace/portfolio?sort=readiness&dir=desc")
    assert names_in(page) == ["acme 100% Software", "Brightpath Labs", "Zephyr Agency", "Empty Co"]


def test_an_organisation_whose_first_assessment_is_in_progress_says_so(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Newcomer")
        started = assessments.import_answers(owner, organisation.id, example("startup-scrum"))
        email, started_id = owner.email, started.id
    _, page = page_of(db_app, email, "/workspace/portfolio")
    row = row_of(page, "Newcomer")
    assert "No completed assessment yet" in row and "verdict-chip" not in row and "data-score" not in row
    assert f'href="/workspace/assessments/{started_id}"' in row and re.search(r'data-answered="[1-9]\d*"', row)


@pytest.mark.parametrize(
    ("sort", "key"),
    [("readiness", "readiness"), ("open_majors", "majors")],
)
def test_the_portfolio_sorts_by_readiness_and_open_majors_both_ways_without_assessment_last(db_app, clients, sort, key):
    values = clients[key]
    for direction in ("asc", "desc"):
        _, page = page_of(db_app, clients["consultant"], f"/workspace/portfolio?sort={sort}&dir={direction}")
        shown = names_in(page)
        assert shown[-1] == "Empty Co"
        numbers = [values[n] for n in shown[:-1]]
        assert numbers == sorted(numbers, reverse=direction == "desc")
        assert (
            f'data-sort="{sort}" class="num" aria-sort="{"ascending" if direction == "asc" else "descending"}"' in page
        )


def test_the_portfolio_sorts_by_name_and_last_activity(db_app, clients):
    _, page = page_of(db_app, clients["consultant"], "/workspace/portfolio?sort=name&dir=desc")
    assert names_in(page) == ["Zephyr Agency", "Empty Co", "Brightpath Labs", "acme 100% Software"]
    _, page = page_of(db_app, clients["consultant"], "/workspace/portfolio?sort=last_activity&dir=desc")
    dates = re.findall(r'<time datetime="([^"]+)"', page)
    assert dates == sorted(dates, reverse=True) and names_in(page)[-1] == "Empty Co"


def test_an_unknown_sort_falls_back_to_name(db_app, clients):
    response, page = page_of(db_app, clients["consultant"], "/workspace/portfolio?sort=password&dir=sideways&page=x")
    assert response.status_code == 200
    assert names_in(page)[0] == "acme 100% Software"


def test_the_portfolio_search_matches_names_case_insensitively_and_literally(db_app, clients):
    _, page = page_of(db_app, clients["consultant"], "/workspace/portfolio?q=BRIGHT")
    assert names_in(page) == ["Brightpath Labs"]  # and never the stranger's "Secret Client Brightpath"
    _, page = page_of(db_app, clients["consultant"], "/workspace/portfolio?q=100%25")
    assert names_in(page) == ["acme 100% Software"]  # % is a character, not a wildcard
    _, page = page_of(db_app, clients["consultant"], "/workspace/portfolio?q=_")
    assert names_in(page) == [] and "No organisation matches “_”" in page


def test_a_non_member_sees_none_of_the_organisations(db_app, clients):
    _, page = page_of(db_app, clients["stranger"], "/workspace/portfolio")
    assert names_in(page) == ["Secret Client Brightpath"]
    _, page = page_of(db_app, clients["stranger"], "/workspace/portfolio?q=Brightpath%20Labs")
    assert "data-organisation=" not in page and "No organisation matches" in page


def test_htmx_gets_the_table_alone_and_a_plain_get_the_whole_page(db_app, clients):
    response, fragment = page_of(
        db_app, clients["consultant"], "/workspace/portfolio?q=zep", headers={"HX-Request": "true"}
    )
    assert fragment.lstrip().startswith('<div id="portfolio-table"')
    assert "<html" not in fragment and names_in(fragment) == ["Zephyr Agency"]
    assert "HX-Request" in response.headers["Vary"]
    assert 'name="sort" value="name" form="portfolio-search"' in fragment  # a later search keeps the order
    _, page = page_of(db_app, clients["consultant"], "/workspace/portfolio?q=zep")
    assert "<html" in page and 'id="portfolio-q"' in page and 'value="zep"' in page


def make_portfolio(owner, count: int) -> None:
    for n in range(count):
        organisation = accounts.create_organisation(owner, f"Client {n:03d}", Role.CONSULTANT)
        factories.assessment(owner, organisation.id, title=f"Assessment of client {n}")


def test_the_portfolio_pages_25_at_a_time(db_app):
    with db_app.app_context():
        consultant = factories.user()
        make_portfolio(consultant, 30)
        email = consultant.email
    _, page = page_of(db_app, email, "/workspace/portfolio")
    assert names_in(page) == [f"Client {n:03d}" for n in range(25)]
    assert "30 organisations · page 1 of 2" in page and 'rel="next"' in page and 'rel="prev"' not in page
    _, page = page_of(db_app, email, "/workspace/portfolio?page=2")
    assert names_in(page) == [f"Client {n:03d}" for n in range(25, 30)]
    assert 'rel="prev"' in page and 'rel="next"' not in page
    _, page = page_of(db_app, email, "/workspace/portfolio?page=99")
    assert "page 2 of 2" in page  # clamped to the last page
    _, page = page_of(db_app, email, "/workspace/portfolio?sort=name&dir=desc&page=2")
    assert names_in(page) == [f"Client {n:03d}" for n in range(4, -1, -1)]


@contextmanager
def counted_statements(app):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def test_the_portfolio_runs_the_same_number_of_queries_for_3_and_30_organisations(db_app):
    counts = {}
    for size in (3, 30):
        with db_app.app_context():
            consultant = factories.user()
            make_portfolio(consultant, size)
            email = consultant.email
        client = db_app.test_client()
        login(client, email)
        client.get("/workspace/portfolio")  # warm: the first request may load what later ones reuse
        for query in ("", "?sort=readiness&dir=desc", "?q=client&sort=last_activity"):
            with counted_statements(db_app) as statements:
                assert client.get(f"/workspace/portfolio{query}").status_code == 200
            counts[(size, query)] = len(statements)
    for query in ("", "?sort=readiness&dir=desc", "?q=client&sort=last_activity"):
        assert counts[(3, query)] == counts[(30, query)], counts
    assert max(counts.values()) <= 6, counts


def test_the_workspace_home_links_the_portfolio(db_app, clients):
    _, page = page_of(db_app, clients["consultant"], "/workspace/")
    assert 'href="/workspace/portfolio"' in page


# ---------------------------------------------------------------------------------------------- respondents


@pytest.fixture
def answering(db_app):
    """Northwind's owner, a completed assessment and one in progress that two people answer as respondents: Cora, a
    contributor of Northwind, and Rhea, who joined only through her respondent link."""
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Northwind")
        done = assessments.import_answers(owner, organisation.id, example("startup-scrum"), "Gap analysis")
        assessments.complete_assessment(owner, done.id)
        backdate(done.id, 90)
        ongoing = assessments.import_answers(owner, organisation.id, example("agency-documented"), "Pre-audit")
        cora = factories.member(organisation.id, Role.CONTRIBUTOR, owner)
        _respondent, token = respondents.invite(owner, ongoing.id, cora.email, "Cora")
        invitations.accept_invitation(token, cora)
        rhea, _ = factories.respondent(owner, ongoing.id, name="Rhea")
        return {
            "organisation_id": organisation.id,
            "done": done.id,
            "ongoing": ongoing.id,
            "readiness": db.session.get(Assessment, ongoing.id).readiness,
            "done_readiness": db.session.get(Assessment, done.id).readiness,
            "emails": {"owner": owner.email, "cora": cora.email, "rhea": rhea.email},
        }


def test_portfolio_and_progress_keep_an_assessments_figures_from_whoever_answers_it(db_app, answering):
    organisation, ongoing = answering["organisation_id"], answering["ongoing"]
    row = rf'<tr data-organisation="{organisation}">(.*?)</tr>'
    entry = rf'id="assessment-{ongoing}"(.*?)</li>'

    # The control: the owner sees how far the assessment in progress is (the verdict is the completed one's).
    _, page = page_of(db_app, answering["emails"]["owner"], "/workspace/portfolio")
    theirs = re.search(row, page, re.S).group(1)
    assert "data-answered=" in theirs and f'href="/workspace/assessments/{ongoing}"' in theirs
    _, page = page_of(db_app, answering["emails"]["owner"], f"/workspace/organisations/{organisation}/progress")
    assert "verdict-chip" in re.search(entry, page, re.S).group(1)

    # Cora, a member answering it, sees the organisation but none of that assessment's figures.
    _, page = page_of(db_app, answering["emails"]["cora"], "/workspace/portfolio")
    mine = re.search(row, page, re.S).group(1)
    completed, in_progress = mine.split('class="in-progress"')
    assert "data-answered" not in in_progress and "Not shown to you while you answer it" in in_progress
    assert f'href="/workspace/assessments/{ongoing}/chat"' in in_progress
    assert f'data-score="{answering["readiness"]}"' not in mine or answering["readiness"] == answering["done_readiness"]
    assert f'href="/workspace/assessments/{answering["done"]}"' in completed  # a completed report is theirs to read
    response, page = page_of(db_app, answering["emails"]["cora"], f"/workspace/organisations/{organisation}/progress")
    assert response.status_code == 200
    assert "verdict-chip" not in re.search(entry, page, re.S).group(1)
    assert "verdict-chip" in re.search(rf'id="assessment-{answering["done"]}"(.*?)</li>', page, re.S).group(1)
    with db_app.app_context():
        cora = db.session.scalar(sa.select(User).where(User.email == answering["emails"]["cora"]))
        charted = progress.progress_of(cora, organisation).charted
        assert [e.id for e in charted] == [answering["done"]]  # the charts leave it out, numbers table included

    # Rhea, who joined only to answer it, is shown no organisation at all.
    _, page = page_of(db_app, answering["emails"]["rhea"], "/workspace/portfolio")
    assert f'data-organisation="{organisation}"' not in page and "data-score" not in page
    response, _ = page_of(db_app, answering["emails"]["rhea"], f"/workspace/organisations/{organisation}/progress")
    assert response.status_code == 404
