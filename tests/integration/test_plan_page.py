"""The plan page as a compact list: one line per action, filters by phase, owner and status (with and without
htmx), overdue and unassigned marked in words, and a save that updates the action's line."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from app.config import PROJECT_ROOT
from app.services import assessments, evaluation

from .. import factories
from ..webclient import csrf_from, login

HTMX = {"HX-Request": "true"}


@dataclass
class Planned:
    app: object
    email: str
    assessment_id: int
    plan: list  # TrackedItem, in rank order

    def client(self):
        client = self.app.test_client()
        login(client, self.email)
        return client

    @property
    def path(self) -> str:
        return f"/workspace/assessments/{self.assessment_id}/plan"


@pytest.fixture
def planned(db_app) -> Planned:
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Brightpath")
        text = (PROJECT_ROOT / "examples" / "startup-scrum.yaml").read_text()
        assessment = assessments.import_answers(owner, organisation.id, text, "Gap analysis")
        first, second = evaluation.evaluate(assessment).plan[:2]
        assessments.update_plan_action(owner, assessment.id, first.id, {"owner": "Dana", "due_date": "2001-02-03"})
        assessments.update_plan_action(owner, assessment.id, second.id, {"owner": "Eli", "status": "doing"})
        return Planned(db_app, owner.email, assessment.id, assessments.plan_of(assessment))


def shown(html: str) -> list[str]:
    return re.findall(r'data-action="([^"]+)"', html)


def line(html: str, action: str) -> str:
    return re.search(rf'<span class="action-line" id="line-{action}".*?</span>\s*</span>\s*</summary>', html, re.S)[0]


def test_each_action_is_one_folded_line_with_rank_title_phase_owner_due_and_status(planned):
    html = planned.client().get(planned.path).get_data(as_text=True)
    assert shown(html) == [i.id for i in planned.plan]
    assert html.count('<details class="action-details">') == len(planned.plan)  # none open
    first, second, third = planned.plan[:3]
    first_line = line(html, first.id)
    assert f"#{first.rank}</span>" in first_line and first.title in first_line
    assert "Dana" in first_line and "2001-02-03" in first_line
    assert '<span class="badge badge-overdue">Overdue</span>' in first_line
    assert "In progress" in line(html, second.id) and "Overdue" not in line(html, second.id)
    assert '<span class="badge badge-unassigned">Unassigned</span>' in line(html, third.id)
    assert "To do" in line(html, third.id)
    assert 'class="action-edit"' in html  # the edit form is in the page, inside the folded details


def test_the_glance_counts_overdue_and_unassigned_actions_with_links_to_them(planned):
    html = planned.client().get(planned.path).get_data(as_text=True)
    assert f'href="{planned.path}?status=overdue"><span class="badge badge-overdue">Overdue</span> 1 action<' in html
    unassigned = len(planned.plan) - 2
    assert (
        f'href="{planned.path}?owner=nobody"><span class="badge badge-unassigned">Unassigned</span> {unassigned} '
        in html
    )


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"owner": "Dana"}, lambda plan: [plan[0].id]),
        ({"owner": "nobody"}, lambda plan: [i.id for i in plan if not i.owner]),
        ({"status": "doing"}, lambda plan: [plan[1].id]),
        ({"status": "overdue"}, lambda plan: [plan[0].id]),
        ({"phase": "before Stage 2"}, lambda plan: [i.id for i in plan if i.phase == "before Stage 2"]),
        (
            {"phase": "before Stage 1", "owner": "Eli"},
            lambda plan: [plan[1].id] if plan[1].phase == "before Stage 1" else [],
        ),
        ({"owner": "Someone gone", "status": "nonsense"}, lambda plan: [i.id for i in plan]),  # ignored
    ],
)
def test_filters_without_javascript_show_only_the_matching_actions(planned, query, expected):
    response = planned.client().get(planned.path, query_string=query)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    assert shown(html) == expected(planned.plan)


def test_a_phase_filter_leaves_the_other_phases_out_and_says_what_is_shown(planned):
    html = planned.client().get(planned.path, query_string={"phase": "before Stage 2"}).get_data(as_text=True)
    assert re.findall(r'data-phase="([^"]+)"', html) == ["before Stage 2"]
    count = sum(i.phase == "before Stage 2" for i in planned.plan)
    assert f"{count} of {len(planned.plan)} actions · before stage 2." in html
    assert '<option value="before Stage 2" selected>' in html
    assert f'<a href="{planned.path}">Show every action</a>' in html


def test_with_htmx_the_filters_get_only_the_list(planned):
    response = planned.client().get(planned.path, query_string={"owner": "Eli"}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert "<html" not in html and html.lstrip().startswith('<div id="plan-list"')
    assert shown(html) == [planned.plan[1].id]
    assert "HX-Request" in response.headers["Vary"]


def test_a_save_in_place_updates_the_actions_line_too(planned):
    client = planned.client()
    action = planned.plan[2]
    token = csrf_from(client, planned.path)
    response = client.post(
        f"{planned.path}/{action.id}",
        data={"csrf_token": token, "owner": "Fay", "due_date": "2999-01-01", "status": "doing", "version": "0"},
        headers=HTMX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Saved." in html
    updated = re.search(rf'<span class="action-line" id="line-{action.id}" hx-swap-oob="true">.*', html, re.S)[0]
    assert "Fay" in updated and "2999-01-01" in updated and "In progress" in updated and "Unassigned" not in updated


def test_a_save_without_a_csrf_token_is_refused(planned):
    response = planned.client().post(f"{planned.path}/{planned.plan[2].id}", data={"owner": "Fay", "version": "0"})
    assert response.status_code == 400


def test_a_saved_action_hidden_by_the_filters_still_answers(planned):
    # The form is posted from a filtered page; the save must find its action whatever the filters were.
    client = planned.client()
    token = csrf_from(client, planned.path)
    action = planned.plan[3]
    response = client.post(
        f"{planned.path}/{action.id}?owner=Dana", data={"csrf_token": token, "notes": "n", "version": "0"}, headers=HTMX
    )
    assert response.status_code == 200


def test_the_plan_page_links_every_tracker_file(planned):
    html = planned.client().get(planned.path).get_data(as_text=True)
    base = f"/workspace/assessments/{planned.assessment_id}/export"
    for what in ("plan-jira.csv", "plan-github.json", "plan-gitlab.csv", "plan-calendar.ics", "plan.csv"):
        assert f'href="{base}/{what}"' in html
