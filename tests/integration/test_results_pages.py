"""The results and plan pages: verdict, readiness charts, drill-down, filters, documented information, plan editing,
htmx fragments against whole pages, roles, tenancy and escaping."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.config import PROJECT_ROOT
from app.extensions import db
from app.models import Assessment, Role, User
from app.results import pages
from app.services import assessments, completion, evaluation, evidence

from .. import factories
from ..webclient import csrf_from, login

HTMX = {"HX-Request": "true"}
EXAMPLES = Path(PROJECT_ROOT) / "examples"


@dataclass
class World:
    app: object
    owner: str
    organisation_id: int
    startup: int  # examples/startup-scrum.yaml: not ready, majors and minors in every group
    agency: int  # examples/agency-documented.yaml: ready for Stage 1
    near_ready: int  # examples/company-near-ready.yaml: ready for Stage 2
    blank: int  # no answers at all
    clean: int  # answered, but nothing to find

    def client(self, email: str | None = None):
        client = self.app.test_client()
        response = login(client, email or self.owner)
        assert response.status_code == 302
        return client

    def member(self, role: Role) -> str:
        with self.app.app_context():
            return factories.member(self.organisation_id, role, user(self.owner)).email

    def report(self, assessment_id: int) -> dict:
        with self.app.app_context():
            return evaluation.evaluate(db.session.get(Assessment, assessment_id)).to_dict()


def user(email: str) -> User:
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def _import(owner, organisation_id: int, example: str) -> int:
    text = (EXAMPLES / f"{example}.yaml").read_text()
    return assessments.import_answers(owner, organisation_id, text, title=example).id


@pytest.fixture
def world(db_app) -> World:
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Brightpath")
        clean = factories.assessment(owner, organisation.id, title="clean")
        assessments.save_answers(owner, clean.id, {"people_in_scope": {"value": 6}, "pull_request_review": "yes"})
        return World(
            db_app,
            owner.email,
            organisation.id,
            startup=_import(owner, organisation.id, "startup-scrum"),
            agency=_import(owner, organisation.id, "agency-documented"),
            near_ready=_import(owner, organisation.id, "company-near-ready"),
            blank=factories.assessment(owner, organisation.id, title="blank").id,
            clean=clean.id,
        )


def results_path(assessment_id: int, suffix: str = "") -> str:
    return f"/workspace/assessments/{assessment_id}/results{suffix}"


def plan_path(assessment_id: int, suffix: str = "") -> str:
    return f"/workspace/assessments/{assessment_id}/plan{suffix}"


def text_of(response) -> str:
    return response.get_data(as_text=True)


def bars(html: str, chart_id: str) -> dict[str, str]:
    """The data-key -> data-score of every bar of one chart."""
    svg = re.search(rf'<svg[^>]*id="{re.escape(chart_id)}".*?</svg>', html, re.S)
    assert svg, f"no chart {chart_id}"
    return dict(re.findall(r'data-key="([^"]+)" data-score="([^"]*)"', svg.group(0)))


def findings_shown(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<article class="finding" id="finding-([^"]+)" data-severity="([^"]+)"', html)


def checklist(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr class="di [^"]*" data-clause="([^"]+)" data-status="([^"]+)"', html))


# ---------------------------------------------------------------------------------------------- results


@pytest.mark.parametrize(
    ("example", "label", "next_step", "blockers"),
    [
        (
            "startup",
            "Not ready",
            "Stage 1",
            # A delivery flow people know but never wrote down is a minor on 4.4, and blocks nothing: only the
            # Stage 1 gates (scope, policy, objectives) stand in the way of Stage 1.
            ["scope-not-documented", "quality-policy-missing", "quality-objectives-missing"],
        ),
        ("agency", "Ready for Stage 1", "Stage 2", ["system-never-checked"]),
        ("near_ready", "Ready for Stage 2", None, []),
    ],
)
def test_the_verdict_banner_says_the_level_and_what_blocks_the_next_one(world, example, label, next_step, blockers):
    html = text_of(world.client().get(results_path(getattr(world, example))))
    banner = re.search(r'<section class="verdict.*?</section>', html, re.S).group(0)
    assert f'<span class="verdict-label">{label}</span>' in banner
    assert re.findall(r'href="#finding-([^"]+)"', banner) == blockers
    if next_step:
        assert f"What blocks {next_step}:" in banner
    else:
        assert "What blocks" not in banner and "Nothing in your answers is predicted to stand in the way" in banner
    overall = world.report(getattr(world, example))["readiness"]["overall"]
    assert f'data-score="{overall}">{overall}/100</strong>' in banner


def test_the_group_chart_has_one_bar_per_group_with_its_score_and_a_drill_down_link(world):
    html = text_of(world.client().get(results_path(world.startup)))
    groups = world.report(world.startup)["readiness"]["groups"]
    assert bars(html, "group-chart") == {g: "" if s is None else str(s) for g, s in groups.items()}
    drill = results_path(world.startup, "/groups/9")
    assert f'<a href="{drill}" hx-get="{drill}" hx-target="#drilldown"' in html


def test_drilling_into_a_group_gives_htmx_the_clause_chart_and_a_browser_the_whole_page(world):
    client = world.client()
    clauses = world.report(world.startup)["readiness"]["clauses"]
    expected = {c: "" if r["score"] is None else str(r["score"]) for c, r in clauses.items() if c.startswith("9.")}

    fragment = client.get(results_path(world.startup, "/groups/9"), headers=HTMX)
    html = text_of(fragment)
    assert fragment.status_code == 200 and "<html" not in html and 'id="verdict-heading"' not in html
    assert html.lstrip().startswith('<section class="group-detail" id="group-9"')
    assert bars(html, "group-9-chart") == expected

    page = text_of(client.get(results_path(world.startup, "/groups/9")))
    assert "<html" in page and 'id="group-chart"' in page and 'id="findings"' in page
    assert bars(page, "group-9-chart") == expected
    restore = client.get(
        results_path(world.startup, "/groups/9"), headers={**HTMX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in text_of(restore)  # a history restore after a cache miss needs the whole page
    assert client.get(results_path(world.startup, "/groups/99")).status_code == 404


def test_findings_filter_by_severity_and_group_and_htmx_gets_only_the_findings(world):
    client = world.client()
    report = world.report(world.startup)
    majors = [f["id"] for f in report["findings"] if f["severity"] == "major"]

    page = text_of(client.get(results_path(world.startup, "?severity=major")))
    assert "<html" in page and '<option value="major" selected>' in page  # the filter stays in the form
    assert [f for f, _ in findings_shown(page)] == majors
    assert f"{len(majors)} of {len(report['findings'])} findings" in page

    in_group_8 = [f["id"] for f in report["findings"] if any(c.startswith("8.") for c in f["clauses"])]
    page = text_of(client.get(results_path(world.startup, "?group=8")))
    assert sorted(f for f, _ in findings_shown(page)) == sorted(in_group_8)
    assert '<option value="8" selected>' in page

    fragment = client.get(results_path(world.startup, "?severity=minor&group=8"), headers=HTMX)
    html = text_of(fragment)
    assert html.lstrip().startswith('<div id="findings"') and "<html" not in html and "verdict" not in html
    both = [f["id"] for f in report["findings"] if f["severity"] == "minor" and f["id"] in in_group_8]
    assert sorted(f for f, _ in findings_shown(html)) == sorted(both) and both

    ignored = text_of(client.get(results_path(world.startup, "?severity=catastrophic&group=42")))
    assert len(findings_shown(ignored)) == len(report["findings"])  # a filter that names nothing filters nothing


def test_filtering_to_nothing_says_so(world):
    html = text_of(world.client().get(results_path(world.near_ready, "?severity=major")))
    assert findings_shown(html) == [] and "No findings match these filters." in html


def test_a_finding_shows_its_explanation_because_chain_recommendation_practices_and_evidence(world):
    html = text_of(world.client().get(results_path(world.startup)))
    article = re.search(r'<article class="finding" id="finding-system-never-checked".*?</article>', html, re.S).group(0)
    assert '<span class="badge badge-major">Major nonconformity</span>' in article
    finding = next(f for f in world.report(world.startup)["findings"] if f["id"] == "system-never-checked")
    # a derived fact, with the answer it came from nested under it
    fact = finding["because"][0]
    assert fact["kind"] == "fact"
    nested = re.search(rf'data-kind="fact" data-id="{fact["id"]}">(.*?)</li>\s*</ul>\s*</li>', article, re.S)
    assert nested and f'data-kind="answer" data-id="{fact["because"][0]["id"]}"' in nested.group(1)
    assert "What to do:" in article and "Evidence an auditor would accept:" in article
    for practice in finding["practices"]:
        assert f'#{practice["id"]}">{practice["name"]}</a>' in article


def test_a_clause_without_findings_lists_the_answers_that_satisfied_it(world):
    html = text_of(world.client().get(results_path(world.startup)))
    clause = re.search(r'<div class="clause-ok" id="clause-8.3.6".*?</div>', html, re.S).group(0)
    assert "Satisfied by your answers:" in clause
    assert '<li data-question="pull_request_review">' in clause and "<strong>Yes</strong>" in clause
    assert 'id="clause-4.3" data-clause="4.3"' in html  # a clause with a finding is listed among the findings


def test_the_documented_information_checklist_says_missing_in_place_or_unknown(world):
    statuses = checklist(text_of(world.client().get(results_path(world.startup))))
    assert statuses["4.3"] == "missing"  # a major finding: no written scope
    assert statuses["8.3.3"] == "missing"  # a minor finding
    assert statuses["8.3.6"] == "in_place"  # pull-request review answered yes
    assert statuses["8.5.1"] == "unknown"  # not asked by the quick scan
    assert "4.1" not in statuses  # no documented information required
    near = checklist(text_of(world.client().get(results_path(world.near_ready))))
    assert near["4.3"] == "in_place"


def test_empty_states_say_what_to_do_next(world):
    client = world.client()
    blank = text_of(client.get(results_path(world.blank)))
    assert (
        "No answers yet" in blank and f'href="/workspace/assessments/{world.blank}/chat">Start the interview' in blank
    )
    assert 'id="group-chart"' not in blank
    clean = text_of(client.get(results_path(world.clean)))
    assert "No findings: none of your answers shows a gap an auditor would raise." in clean
    plan = text_of(client.get(plan_path(world.blank)))
    assert "No plan yet" in plan and f'href="/workspace/assessments/{world.blank}/chat">Start the interview' in plan
    # The one claim (changes reviewed before going live) still needs its record, and then there is nothing to do.
    claimed = text_of(client.get(plan_path(world.clean)))
    assert "Collect evidence for what you claim in Operation" in claimed and "Nothing to do" not in claimed
    with world.app.app_context():
        subject = evidence.Subject.answer("pull_request_review")
        evidence.add_link(user(world.owner), world.clean, subject, "https://git.example.com/settings/branches")
    assert "Nothing to do" in text_of(client.get(plan_path(world.clean)))


def test_a_completed_assessment_shows_its_frozen_snapshot_and_says_so(world):
    client = world.client()
    with world.app.app_context():
        completed = assessments.complete_assessment(user(world.owner), world.agency)
        snapshot = dict(completed.snapshot.result)
        snapshot["readiness"] = {**snapshot["readiness"], "overall": 7}  # only the snapshot could say 7
        completed.snapshot.result = snapshot
        db.session.commit()
    html = text_of(client.get(results_path(world.agency)))
    assert "These results are the frozen snapshot taken then" in html
    assert 'data-score="7">7/100</strong>' in html
    assert "These results are the frozen snapshot" not in text_of(client.get(results_path(world.startup)))


def test_the_assessment_page_and_the_end_of_the_interview_link_to_the_results(world):
    client = world.client()
    page = text_of(client.get(f"/workspace/assessments/{world.startup}"))
    assert f'href="{results_path(world.startup)}">See the results</a>' in page
    assert f'href="{plan_path(world.startup)}">See the plan</a>' in page
    chat = text_of(client.get(f"/workspace/assessments/{world.near_ready}/chat"))
    assert "That was the last question" in chat
    assert f'<a href="{results_path(world.near_ready)}">See the results</a>' in chat


def test_another_tenants_results_and_plan_are_not_found(world):
    with world.app.app_context():
        _, stranger = factories.organisation(name="Elsewhere")
        email = stranger.email
    action = world.report(world.startup)["plan"][0]["id"]
    client = world.client(email)
    for path in (results_path(world.startup), results_path(world.startup, "/groups/4"), plan_path(world.startup)):
        assert client.get(path).status_code == 404
        assert client.get(path, headers=HTMX).status_code == 404
    token = csrf_from(client, "/workspace/")
    refused = client.post(plan_path(world.startup, f"/{action}"), data={"csrf_token": token, "status": "done"})
    assert refused.status_code == 404
    assert world.app.test_client().get(results_path(world.startup)).status_code == 302  # to the login page


# ---------------------------------------------------------------------------------------------- the summary and folds


def groups_of(html: str) -> dict[str, tuple[str, list[str]]]:
    """group id -> (its header's counts, the severities of the findings folded under it)."""
    found = {}
    for block in re.findall(r'<details class="group-findings".*?</details>', html, re.S):
        group = re.search(r'data-group="([^"]+)"', block).group(1)
        counts = re.search(r'<span class="group-counts">(.*?)</span>', block, re.S).group(1)
        found[group] = (
            counts,
            re.findall(r'<article class="finding" id="finding-[^"]+" data-severity="([^"]+)"', block),
        )
    return found


def test_each_clause_group_folds_its_findings_under_a_count_by_grade(world):
    html = text_of(world.client().get(results_path(world.startup)))
    groups = groups_of(html)
    assert len(groups) > 3
    plural = {"major": "major", "minor": "minor", "observation": "observations", "improvement": "improvements"}
    order = list(plural)
    for group, (counts, severities) in groups.items():
        tally = sorted(Counter(severities).items(), key=lambda kv: order.index(kv[0]))
        expected = " · ".join(f"{n} {plural[s] if n > 1 else s}" for s, n in tally)
        assert counts == expected, group
        assert '<details class="group-findings" id="findings-group-' + group + '" data-group="' + group + '">' in html
    report = world.report(world.startup)
    assert sum(len(s) for _, s in groups.values()) == len(report["findings"])


def test_a_filter_opens_the_groups_it_keeps(world):
    html = text_of(world.client().get(results_path(world.startup, "?severity=major")))
    assert re.findall(r'<details class="group-findings"[^>]*>', html)
    assert all(tag.endswith(" open>") for tag in re.findall(r'<details class="group-findings"[^>]*>', html))


def test_the_documented_information_folds_behind_how_much_is_in_place(world):
    html = text_of(world.client().get(results_path(world.startup)))
    statuses = checklist(html)
    in_place = sum(s == "in_place" for s in statuses.values())
    missing = sum(s == "missing" for s in statuses.values())
    assert f"{in_place} of {len(statuses)} required documents and records in place" in html
    assert f"{missing} missing · {len(statuses) - in_place - missing} unknown" in html
    # What no answer has touched is folded once more, under its own count.
    not_known = html[
        html.index('id="checklist-not-known"') : html.index("</details>", html.index('id="checklist-not-known"'))
    ]
    untouched = re.findall(r'data-clause="([^"]+)" data-status="unknown"', not_known)
    assert untouched and f"{len(untouched)} not known yet" in not_known
    assert "No question answered so far covers it." in not_known


def test_the_first_actions_name_the_findings_they_close_with_their_grade(world):
    html = text_of(world.client().get(results_path(world.startup)))
    report = world.report(world.startup)
    findings = {f["id"]: f for f in report["findings"]}
    section = html[html.index('id="first-actions-heading"') : html.index('class="first-actions-more"')]
    lines = dict(
        re.findall(r'<li class="first-action" id="first-([^"]+)"(.*?)(?=<li class="first-action"|$)', section, re.S)
    )
    assert list(lines) == [item["id"] for item in report["plan"][:5]]
    badge = {"major": "Major", "minor": "Minor", "observation": "Observation", "improvement": "Improvement"}
    for item in report["plan"][:5]:
        closed = [findings[f] for f in item["closes"] if f in findings]
        shown = re.findall(
            r'<span class="badge badge-([a-z]+)">([A-Za-z]+)</span> <a href="#finding-([^"]+)">', lines[item["id"]]
        )
        assert sorted(f for _, _, f in shown) == sorted(f["id"] for f in closed)
        assert all(badge[findings[f]["severity"]] == label == badge[severity] for severity, label, f in shown)
        ranks = [list(badge).index(severity) for severity, _, _ in shown]
        assert ranks == sorted(ranks)  # gravest first


def test_an_interview_in_progress_says_how_far_it_is_and_links_to_the_next_question(world):
    client = world.client()
    with world.app.app_context():
        owner = user(world.owner)
        assessments.save_answers(owner, world.blank, {"people_in_scope": {"value": 8}, "scope_documented": "no"})
        relevant = evaluation.evaluate(db.session.get(Assessment, world.blank))
    html = text_of(client.get(results_path(world.blank)))
    progress = re.search(r"Interview in progress: (\d+) of (\d+) questions answered", html)
    assert progress and progress.group(1) == "2" and int(progress.group(2)) > 2
    assert f'href="/workspace/assessments/{world.blank}/chat#answer-input">Continue with the next question</a>' in html
    assert "These are the findings known so far" in html
    assert 'id="finding-scope-not-documented"' in html and relevant.findings
    with world.app.app_context():
        assessments.complete_assessment(user(world.owner), world.blank)
    assert "Interview in progress" not in text_of(client.get(results_path(world.blank)))


# ---------------------------------------------------------------------------------------------- the plan


def save(client, assessment_id: int, action: str, htmx: bool = True, **fields):
    token = csrf_from(client, plan_path(assessment_id))
    return client.post(
        plan_path(assessment_id, f"/{action}"), data={"csrf_token": token, **fields}, headers=HTMX if htmx else {}
    )


def action_article(html: str, action: str) -> str:
    return re.search(rf'<article class="plan-action" id="action-{action}".*?</article>', html, re.S).group(0)


def stored(world: World, assessment_id: int, action: str) -> dict:
    with world.app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        return next(i.to_dict() for i in assessments.plan_of(assessment) if i.id == action)


def test_the_plan_shows_three_phases_ranked_with_why_dependencies_effort_and_what_each_closes(world):
    html = text_of(world.client().get(plan_path(world.startup)))
    plan = world.report(world.startup)["plan"]
    phases = re.findall(r'<section class="phase" aria-labelledby="[^"]+" data-phase="([^"]+)"', html)
    assert phases == ["before Stage 1", "before Stage 2", "continual improvement"]
    assert re.findall(r'data-action="([^"]+)"', html) == [i["id"] for i in sorted(plan, key=lambda i: i["rank"])]
    scope = next(i for i in plan if i["id"] == "determine-context-and-scope")
    article = action_article(html, "determine-context-and-scope")
    assert f"#{scope['rank']}</span>" in article and "Why here:</strong> Blocks Stage 1" in article
    titles = {i["id"]: i["title"] for i in plan}
    assert re.findall(r'<ul class="depends-on"><li>(.*?)</li>', article) == [titles[d] for d in scope["depends_on"]]
    assert "#finding-scope-not-documented" in article and "effort M (medium)" in article
    assert '<li data-step="write-scope">' in article
    assert 'href="/clauses/4.3">4.3</a>' in article


def test_an_owner_saves_an_action_in_place_and_the_row_gets_its_new_version(world):
    client = world.client()
    action = "determine-context-and-scope"
    response = save(
        client, world.startup, action, owner="Dana", status="doing", due_date="2031-05-01", notes="draft", version="0"
    )
    html = text_of(response)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="result-determine-context-and-scope"' in html and "Saved." in html
    assert (
        '<input type="hidden" name="version" id="version-determine-context-and-scope" value="1" hx-swap-oob="true">'
        in html
    )
    item = stored(world, world.startup, action)
    assert (item["owner"], item["status"], item["due_date"], item["notes"], item["version"]) == (
        "Dana",
        "doing",
        "2031-05-01",
        "draft",
        1,
    )
    # without JavaScript: a plain post, then the page again
    plain = save(client, world.startup, action, htmx=False, owner="Eli", status="done", version="1")
    assert plain.status_code == 302 and plain.headers["Location"].endswith(
        f"{plan_path(world.startup)}#action-{action}"
    )
    page = text_of(client.get(plan_path(world.startup)))
    article = action_article(page, action)
    assert 'name="owner" value="Eli"' in article and '<option value="done" selected>' in article
    assert "Saved: " in page


def test_a_stale_version_is_a_conflict_and_the_row_is_reloaded(world):
    client = world.client()
    action = "determine-context-and-scope"
    assert save(client, world.startup, action, owner="Dana", version="0").status_code == 200
    stale = save(client, world.startup, action, owner="Someone else", version="0")
    html = text_of(stale)
    assert stale.status_code == 409
    assert stale.headers["HX-Retarget"] == f"#action-{action}" and stale.headers["HX-Reswap"] == "outerHTML"
    assert html.lstrip().startswith(f'<article class="plan-action" id="action-{action}"')
    assert "changed by someone else meanwhile, so it has been reloaded" in html
    assert 'name="owner" value="Dana"' in html and 'id="version-determine-context-and-scope" value="1"' in html
    assert stored(world, world.startup, action)["owner"] == "Dana"
    plain = save(client, world.startup, action, htmx=False, owner="Someone else", version="0")
    assert plain.status_code == 409 and "<html" in text_of(plain)
    assert "changed by someone else meanwhile" in action_article(text_of(plain), action)


def test_a_bad_date_is_refused_with_the_fields_message_and_nothing_is_saved(world):
    client = world.client()
    action = "determine-context-and-scope"
    refused = save(client, world.startup, action, owner="Dana", due_date="31/12/2027", version="0")
    html = text_of(refused)
    assert refused.status_code == 422 and html.lstrip().startswith(
        '<div class="action-result" id="result-determine-context-and-scope"'
    )
    assert "Due date: expected a date such as 2027-03-31" in html
    assert stored(world, world.startup, action)["version"] == 0
    plain = save(client, world.startup, action, htmx=False, owner="Dana", due_date="31/12/2027", version="0")
    article = action_article(text_of(plain), action)
    assert plain.status_code == 422 and "Due date: expected a date such as 2027-03-31" in article
    assert 'value="31/12/2027"' in article and 'name="owner" value="Dana"' in article  # what was typed stays


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CONTRIBUTOR])
def test_viewers_and_contributors_read_the_plan_but_cannot_edit_it(world, role):
    client = world.client(world.member(role))
    html = text_of(client.get(plan_path(world.startup)))
    assert 'class="action-edit"' not in html and '<input name="owner"' not in html
    assert "owners and consultants of Brightpath assign and update its actions" in html
    assert '<dd class="owner">nobody yet</dd>' in html
    refused = save(client, world.startup, "determine-context-and-scope", status="done", version="0")
    assert refused.status_code == 403
    assert stored(world, world.startup, "determine-context-and-scope")["status"] == "todo"


def test_a_consultant_can_edit_the_plan(world):
    client = world.client(world.member(Role.CONSULTANT))
    assert 'class="action-edit"' in text_of(client.get(plan_path(world.startup)))
    assert save(client, world.startup, "determine-context-and-scope", status="doing", version="0").status_code == 200


def test_an_overdue_action_stands_out_until_it_is_done(world):
    client = world.client()
    action = "determine-context-and-scope"
    saved = text_of(save(client, world.startup, action, due_date="2001-02-03", status="doing", version="0"))
    assert '<span class="badge badge-overdue">Overdue</span>' in saved and "was due 2001-02-03" in saved
    article = action_article(text_of(client.get(plan_path(world.startup))), action)
    assert "Overdue</span>" in article and "ago; status: In progress." in article
    done = text_of(save(client, world.startup, action, status="done", version="1"))
    assert "Overdue" not in done
    future = text_of(save(client, world.startup, action, status="todo", due_date="2999-01-01", version="2"))
    assert "Overdue" not in future
    assert "Overdue" not in action_article(text_of(client.get(plan_path(world.startup))), "set-policy-and-objectives")


def test_an_unknown_action_is_not_found(world):
    assert save(world.client(), world.startup, "no-such-action", status="done", version="0").status_code == 404


def test_user_text_in_the_plan_is_escaped(world):
    client = world.client()
    owner = '<script>alert("owner")</script>'
    notes = '<img src=x onerror="alert(1)"> & more'
    fragment = text_of(
        save(client, world.startup, "determine-context-and-scope", owner=owner, notes=notes, version="0")
    )
    for html in (fragment, text_of(client.get(plan_path(world.startup)))):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&#34;owner&#34;)&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; more" in html
    viewer = world.client(world.member(Role.VIEWER))
    read_only = text_of(viewer.get(plan_path(world.startup)))
    assert "<script>alert" not in read_only and "&lt;script&gt;alert(&#34;owner&#34;)&lt;/script&gt;" in read_only


# ---------------------------------------------------------------------------------------------- cached sections


def _findings_and_checklist(client, assessment_id: int) -> tuple[list[str], dict[str, str], list[str]]:
    """The findings and checklist of the whole page, and the findings the htmx fragment of the majors gives."""
    page = text_of(client.get(results_path(assessment_id)))
    majors = text_of(client.get(results_path(assessment_id, "?severity=major"), headers=HTMX))
    return [f for f, _ in findings_shown(page)], checklist(page), [f for f, _ in findings_shown(majors)]


def test_a_new_answer_shows_at_once_although_the_sections_are_cached(world):
    client = world.client()
    with world.app.app_context():
        owner = user(world.owner)
    for _ in range(2):  # the second read comes from the cache
        shown, listed, majors = _findings_and_checklist(client, world.startup)
        assert "scope-not-documented" in shown and "scope-not-documented" in majors
        assert listed["4.3"] == "missing"
    with world.app.app_context():
        assessments.save_answer(owner, world.startup, "scope_documented", "yes")
    shown, listed, majors = _findings_and_checklist(client, world.startup)
    assert "scope-not-documented" not in shown and "scope-not-documented" not in majors
    assert listed["4.3"] != "missing"
    with world.app.app_context():  # back to the earlier answer: the earlier sections again
        assessments.save_answer(owner, world.startup, "scope_documented", "no")
    shown, listed, majors = _findings_and_checklist(client, world.startup)
    assert "scope-not-documented" in shown and "scope-not-documented" in majors and listed["4.3"] == "missing"


def test_the_sections_are_worked_out_once_per_state_of_the_answers(world, monkeypatch):
    calls = []
    findings_view = pages.findings_view
    monkeypatch.setattr(pages, "findings_view", lambda *a, **k: calls.append(1) or findings_view(*a, **k))
    client = world.client()
    first = text_of(client.get(results_path(world.startup)))
    again = text_of(client.get(results_path(world.startup)))
    assert len(calls) == 1
    assert findings_shown(again) == findings_shown(first) and checklist(again) == checklist(first)
    client.get(results_path(world.startup, "?severity=minor"))  # another filter is another section
    assert len(calls) == 2
    with world.app.app_context():
        assessments.save_answer(user(world.owner), world.startup, "scope_documented", "yes")
    client.get(results_path(world.startup))
    assert len(calls) == 3


def test_a_snapshot_completed_anew_after_a_reopening_replaces_the_cached_sections(world):
    client = world.client()
    with world.app.app_context():
        assessments.complete_assessment(user(world.owner), world.startup)
    shown, _, _ = _findings_and_checklist(client, world.startup)
    assert "scope-not-documented" in shown
    with world.app.app_context():
        owner = user(world.owner)
        completion.reopen(owner, world.startup)
        assessments.save_answer(owner, world.startup, "scope_documented", "yes")
        assessments.complete_assessment(owner, world.startup)
    shown, listed, _ = _findings_and_checklist(client, world.startup)
    assert "scope-not-documented" not in shown and listed["4.3"] != "missing"
