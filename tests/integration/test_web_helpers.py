"""What every page blueprint shares (app/web.py): members only, sent to the login page with `next`; and htmx
fragments where a page has them, with a history restore (htmx reloading an address it has no copy of, which
replaces the whole document) given the whole page like a browser."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import url_for

from app.config import PROJECT_ROOT
from app.services import assessments
from app.web import fragment_wanted

from .. import factories
from ..webclient import csrf_from, login

HTMX = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
AUDIT = "internal_audit_held"  # quick-scan, clause 9.2
ACTION = "determine-context-and-scope"  # in the plan of examples/startup-scrum.yaml
PROTECTED = ("chat", "exports", "progress", "consolidation", "results", "workspace")


# ---------------------------------------------------------------------------------------------- members only


def anonymous_pages(app, blueprint: str) -> list[str]:
    """Every address `blueprint` serves to GET, its arguments filled with 1 (a valid int and a valid string)."""
    with app.test_request_context():
        return [
            url_for(rule.endpoint, **{name: 1 for name in rule.arguments})
            for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith(f"{blueprint}.") and "GET" in rule.methods
        ]


@pytest.mark.parametrize("blueprint", PROTECTED)
def test_an_anonymous_visitor_is_sent_to_log_in_and_then_back(app, blueprint):
    client = app.test_client()
    pages = anonymous_pages(app, blueprint)
    assert pages, f"{blueprint} serves no page"
    for page in pages + [pages[0] + "?q=a%20b&sort=name"]:
        for headers in ({}, HTMX):
            response = client.get(page, headers=headers)
            assert response.status_code == 302, page
            assert response.headers["Location"] == f"/login?next={quote(page, safe='')}", page


def test_the_account_page_is_for_members_only_too(app):
    response = app.test_client().get("/account")
    assert response.status_code == 302 and response.headers["Location"] == "/login?next=%2Faccount"


def test_the_knowledge_base_browser_stays_open_to_anyone(app):
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/?q=audit", headers=HTMX).status_code == 200


# ---------------------------------------------------------------------------------------------- fragment_wanted


@pytest.mark.parametrize(
    "headers, wanted",
    [
        ({}, False),
        (HTMX, True),
        (RESTORE, False),
        ({"HX-History-Restore-Request": "true"}, False),
        ({"HX-Request": "false"}, False),
    ],
)
def test_a_fragment_is_wanted_by_htmx_but_not_by_a_history_restore(app, headers, wanted):
    with app.test_request_context("/", headers=headers):
        assert fragment_wanted() is wanted


# ---------------------------------------------------------------------------------------------- pages


@dataclass
class World:
    app: object
    owner: str
    organisation_id: int
    assessment_id: int  # quick-scan; the owner says yes to AUDIT, a respondent no
    startup: int  # examples/startup-scrum.yaml, whose plan has ACTION

    def client(self):
        client = self.app.test_client()
        assert login(client, self.owner).status_code == 302
        return client


@pytest.fixture
def world(db_app) -> World:
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Brightpath Labs")
        assessment = factories.assessment(owner, organisation.id, title="Workshop")
        assessments.save_answer(owner, assessment.id, AUDIT, "yes")
        ann, _ = factories.respondent(owner, assessment.id, name="Ann")
        assessments.save_answer(ann, assessment.id, AUDIT, "no")
        example = (Path(PROJECT_ROOT) / "examples" / "startup-scrum.yaml").read_text()
        startup = assessments.import_answers(owner, organisation.id, example, title="startup").id
        return World(db_app, owner.email, organisation.id, assessment.id, startup)


def text_of(response) -> str:
    return response.get_data(as_text=True)


def assert_whole_page(response, marker: str) -> None:
    html = text_of(response)
    assert response.status_code == 200
    assert html.lstrip().startswith("<!doctype html>") and "<html" in html and marker in html
    assert_varies(response)


def assert_fragment(response, start: str) -> None:
    html = text_of(response)
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith(start), html[:200]
    assert_varies(response)


def assert_varies(response) -> None:
    """A cache keys the page on both headers it was chosen by, or a restore could get a cached fragment."""
    assert {"HX-Request", "HX-History-Restore-Request"} <= set(response.vary)


GET_PAGES = [
    # address, what only the whole page has, how the fragment starts
    pytest.param("/?q=audit", '<form role="search"', '<div id="clause-list"', id="kb-search"),
    pytest.param("/workspace/portfolio?q=bright", 'id="portfolio-q"', '<div id="portfolio-table"', id="portfolio"),
    pytest.param(
        "/workspace/assessments/{startup}/results?severity=major",
        'id="verdict-heading"',
        '<div id="findings"',
        id="results",
    ),
    pytest.param(
        "/workspace/assessments/{startup}/results/groups/9",
        'id="verdict-heading"',
        '<section class="group-detail" id="group-9"',
        id="results-group",
    ),
]


@pytest.mark.parametrize("address, page_marker, fragment_start", GET_PAGES)
def test_a_page_with_a_fragment_gives_htmx_the_fragment_and_a_history_restore_the_page(
    world, address, page_marker, fragment_start
):
    client = world.client()
    address = address.format(startup=world.startup)
    assert_whole_page(client.get(address), page_marker)
    fragment = client.get(address, headers=HTMX)
    assert_fragment(fragment, fragment_start)
    assert page_marker not in text_of(fragment)
    assert_whole_page(client.get(address, headers=RESTORE), page_marker)


# A form posted by htmx gets the piece it swaps in; posted by a browser, the page again (a redirect). The same helper
# decides, so a post that carries the restore header is answered as a browser's.


def test_a_chat_message_gives_htmx_the_new_turn_and_a_browser_the_chat_again(world):
    client = world.client()
    chat = f"/workspace/assessments/{world.assessment_id}/chat"

    def send(headers):
        token = csrf_from(client, chat)
        return client.post(chat, data={"csrf_token": token, "text": "help", "after": "0"}, headers=headers)

    for headers in ({}, RESTORE):
        plain = send(headers)
        assert plain.status_code == 302 and plain.headers["Location"] == f"{chat}#composer"
    turn = send(HTMX)
    assert_fragment(turn, '<li class="bubble')
    assert 'id="composer"' in text_of(turn) and 'hx-swap-oob="true"' in text_of(turn)


def test_resolving_a_disagreement_gives_htmx_the_question_and_a_browser_the_page_again(world):
    client = world.client()
    page = f"/workspace/assessments/{world.assessment_id}/respondents"
    resolve = f"/workspace/assessments/{world.assessment_id}/consolidation/{AUDIT}"

    def pick(headers):
        token = csrf_from(client, page)
        return client.post(resolve, data={"value": '"yes"', "note": "we read it", "csrf_token": token}, headers=headers)

    for headers in ({}, RESTORE):
        plain = pick(headers)
        assert plain.status_code == 302 and plain.headers["Location"] == f"{page}#q-{AUDIT}"
    resolved = pick(HTMX)
    assert_fragment(resolved, f'<article class="consolidated status-resolved" id="q-{AUDIT}"')


def test_saving_a_plan_action_gives_htmx_the_row_result_and_a_browser_the_plan_again(world):
    client = world.client()
    plan = f"/workspace/assessments/{world.startup}/plan"

    def save(headers, version: int):
        token = csrf_from(client, plan)
        data = {"csrf_token": token, "owner": f"Dana {version}", "version": str(version)}
        return client.post(f"{plan}/{ACTION}", data=data, headers=headers)

    for version, headers in enumerate(({}, RESTORE)):
        plain = save(headers, version)
        assert plain.status_code == 302 and plain.headers["Location"] == f"{plan}#action-{ACTION}"
    saved = save(HTMX, 2)
    assert_fragment(saved, f'<div class="action-result" id="result-{ACTION}"')

    stale = save(HTMX, 0)  # a conflict: htmx gets the reloaded row in place of the old one
    assert stale.status_code == 409 and stale.headers["HX-Retarget"] == f"#action-{ACTION}"
    restored = save(RESTORE, 0)
    assert restored.status_code == 409 and "HX-Retarget" not in restored.headers
    assert "<html" in text_of(restored)
