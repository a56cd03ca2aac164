"""The knowledge-base browser: the first page `make run` serves."""

from __future__ import annotations

import re

from markupsafe import escape

from app.extensions import KB_KEY

from ..conftest import make_app
from ..kbfactory import QUESTIONS, make_kb


def test_index_lists_every_clause_group_with_counts(client, app):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    catalogue = next(iter(app.extensions[KB_KEY].catalogues.values()))
    for clause in catalogue.clauses:
        assert f'href="/clauses/{clause.id}"' in page
    assert 'src="/static/vendor/htmx-2.0.11.min.js"' in page


def test_search_as_an_htmx_request_returns_only_the_fragment(client):
    response = client.get("/?q=audit", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert page.lstrip().startswith('<div id="clause-list"')
    assert "<html" not in page
    assert 'href="/clauses/9.2"' in page and 'href="/clauses/4.1"' not in page
    assert "HX-Request" in response.headers["Vary"]


def test_search_without_javascript_returns_the_whole_page(client):
    page = client.get("/?q=audit").get_data(as_text=True)
    assert "<html" in page and 'href="/clauses/9.2"' in page and 'href="/clauses/4.1"' not in page


def test_clause_page_shows_questions_rules_and_practices(client, app):
    kb = app.extensions[KB_KEY]
    page = client.get("/clauses/9.2").get_data(as_text=True)
    assert "9.2" in page
    questions = [q for qn in kb.questionnaires.values() for q in qn.questions if "9.2" in q.clauses]
    assert questions and all(q.id in page for q in questions)
    practice = next(p for p in kb.practices.values() if any(c.clause == "9.2" for c in p.clauses))
    assert practice.name in page


def rests_on(spec) -> str:
    if spec.basis == "good_practice":
        return "a good practice: no requirement is breached."
    return f"what is required: {escape(spec.requirement)}."


def test_clause_page_says_what_each_rule_rests_on(client, app):
    kb = app.extensions[KB_KEY]
    for clause in ("9.2", "10.1"):
        page = client.get(f"/clauses/{clause}").get_data(as_text=True)
        shown = re.findall(r'<p class="basis"><em>Rests on</em> ([^<]*)</p>', page)
        specs = [
            r.finding for rs in kb.rulesets.values() for r in rs.rules if r.finding and clause in r.finding.clauses
        ]
        assert sorted(shown) == sorted(rests_on(f) for f in specs)
    assert "a good practice: no requirement is breached." in shown  # 10.1: retrospective follow-up


def test_unknown_clause_and_questionnaire_are_404_pages(client):
    response = client.get("/clauses/99.9")
    assert response.status_code == 404 and "no clause 99.9" in response.get_data(as_text=True)
    assert client.get("/questionnaires/nope").status_code == 404


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_knowledge_base_text_and_search_terms_are_escaped(tmp_path, monkeypatch):
    questions = [dict(q) for q in QUESTIONS]
    questions[1]["text"] = "<script>alert(1)</script> Is the scope written?"
    monkeypatch.setenv("CLAUSEWISE_KB_DIR", str(make_kb(tmp_path / "kb", questions=questions)))
    app = make_app(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    client = app.test_client()
    page = client.get("/clauses/4.3").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    search = client.get("/?q=<b>zzz</b>").get_data(as_text=True)
    assert "<b>zzz</b>" not in search and "&lt;b&gt;zzz&lt;/b&gt;" in search


def test_questionnaire_page_explains_when_a_follow_up_is_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAUSEWISE_KB_DIR", str(make_kb(tmp_path / "kb")))
    app = make_app(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    page = app.test_client().get("/questionnaires/mini").get_data(as_text=True)
    assert "Asked only when “Have you held an internal audit?” is “No”" in page


def test_the_browser_reads_the_2026_edition_when_asked_and_says_it_is_a_draft(client):
    page = client.get("/?edition=iso9001-2026").get_data(as_text=True)
    assert 'href="/clauses/6.1.2?edition=iso9001-2026"' in page and 'href="/clauses/6.1?' not in page
    assert "ISO 9001:2026 is not published yet" in page
    assert 'aria-current="page">ISO 9001:2026 (draft)' in page
    default = client.get("/").get_data(as_text=True)
    assert 'href="/clauses/6.1"' in default and "not published yet" not in default
    assert 'href="/?edition=iso9001-2026"' in default  # the selector


def test_a_2026_clause_shows_what_changed_and_the_questions_and_rules_that_land_on_it(client, app):
    kb = app.extensions[KB_KEY]
    page = client.get("/clauses/6.1.2?edition=iso9001-2026").get_data(as_text=True)
    assert "What changed since ISO 9001:2015" in page and "6.1 split into 6.1.1, 6.1.2, 6.1.3" in page
    # 6.1 questions land in 6.1.2 (risks) unless the crosswalk sends them elsewhere: the same split an assessment
    # read in 2026 makes.
    from app.knowledge import rekey

    view = rekey.view(kb, "iso9001-software", "iso9001-2026")
    landing = [q.id for q in view.questionnaire.questions if "6.1.2" in q.clauses]
    elsewhere = [q.id for q in view.questionnaire.questions if "6.1.3" in q.clauses and "6.1.2" not in q.clauses]
    assert landing and all(f"<code>{q}</code>" in page for q in landing)
    assert elsewhere and not any(f"<code>{q}</code>" in page for q in elsewhere)
    assert "What changed since" not in client.get("/clauses/6.1").get_data(as_text=True)


def test_a_clause_only_the_newer_edition_has_opens_in_that_edition(client):
    response = client.get("/clauses/6.1.2")
    assert response.status_code == 302 and response.headers["Location"].endswith("/clauses/6.1.2?edition=iso9001-2026")
    assert client.get("/clauses/6.1.2?edition=iso9001-2015").status_code == 404
    assert client.get("/clauses/9.9").status_code == 404
