"""`clausewise kb check` and `clausewise assess`: output formats, exit codes, and bad input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from app.cli import main

from ..kbfactory import make_kb, rules_with


@pytest.fixture
def run(monkeypatch, mini_kb_dir):
    monkeypatch.setenv("CLAUSEWISE_KB_DIR", str(mini_kb_dir))

    def invoke(*args):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def answers_file(tmp_path):
    def write(text: str):
        path = tmp_path / "answers.yaml"
        path.write_text(text)
        return str(path)

    return write


def test_kb_check_json_reports_counts_and_coverage(run):
    result = run("kb", "check", "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["ok"] is True and report["errors"] == []
    assert report["counts"] == {"questions": 8, "rules": 6, "practices": 2}
    assert report["clauses"]["4.3"]["questions"] == ["scope"]
    assert report["clauses"]["4.3"]["rules"] == ["no-scope"]
    assert report["clauses"]["9.2"]["title"] == "Internal audit"


def test_kb_check_fails_with_every_problem_listed(run, monkeypatch, tmp_path):
    broken = make_kb(
        tmp_path / "broken",
        rules=rules_with(
            {
                "id": "ghost",
                "when": {"all": [{"q": "nope", "eq": 1}]},
                "then": {"suggest": ["consider-29110"]},
            }
        ),
    )
    monkeypatch.setenv("CLAUSEWISE_KB_DIR", str(broken))
    result = run("kb", "check", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["ok"] is False
    assert report["errors"] == [
        {
            "file": "rules/mini/rules.yaml",
            "id": "ghost",
            "field": "when",
            "message": "unknown question 'nope'",
        }
    ]
    text = run("kb", "check")
    assert text.exit_code == 1 and "rules/mini/rules.yaml [ghost] when: unknown question 'nope'" in text.output


def test_the_app_refuses_an_invalid_knowledge_base_with_the_reason(run, monkeypatch, tmp_path):
    broken = make_kb(tmp_path / "broken", extra_files={"rules/mini/zz.yaml": "rules: [\n"})
    monkeypatch.setenv("CLAUSEWISE_KB_DIR", str(broken))
    result = run("routes")
    assert result.exit_code != 0
    assert "knowledge base is invalid" in result.output and "rules/mini/zz.yaml" in result.output


def test_assess_json_has_the_documented_shape(run, answers_file):
    path = answers_file("questionnaire: mini\norganisation: {name: Tiny Ltd}\nanswers:\n  scope: no\n  people: 6\n")
    result = run("assess", path, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) >= {
        "kb_version",
        "questionnaire",
        "readiness",
        "verdict",
        "findings",
        "plan",
        "suggestions",
        "unanswered",
    }
    assert report["verdict"]["level"] == "not_ready"
    assert [f["id"] for f in report["findings"]] == ["no-scope"]
    finding = report["findings"][0]
    assert set(finding) >= {
        "id",
        "rule",
        "clauses",
        "severity",
        "title",
        "explanation",
        "because",
        "recommendation",
        "practices",
    }
    assert finding["explanation"] == "You answered No."
    assert report["plan"][0] | {"why": None} == {
        "rank": 1,
        "id": "write-scope",
        "title": "Write the scope",
        "phase": "before Stage 1",
        "kind": "nonconformity",
        "clauses": ["4.3"],
        "closes": ["no-scope"],
        "effort": "S",
        "lead_time": False,
        "depends_on": [],
        "why": None,
        "steps": [],
    }
    assert [s["id"] for s in report["suggestions"]] == ["consider-29110"]


def test_assess_text_and_markdown(run, answers_file):
    path = answers_file("questionnaire: mini\nanswers: {scope: no, audit: no}\n")
    text = run("assess", path)
    assert text.exit_code == 0
    assert "VERDICT: Not ready" in text.output and "No scope" in text.output
    markdown = run("assess", path, "--format", "markdown")
    assert markdown.output.startswith("# ISO 9001 readiness")
    assert "## Verdict: Not ready" in markdown.output and "| 1 | before Stage 1 | Write the scope |" in markdown.output


@pytest.mark.parametrize(
    "content, expected",
    [
        ("questionnaire: mini\nanswers: {scope: [\n", "invalid YAML"),
        ("questionnaire: nope\nanswers: {}\n", "unknown questionnaire 'nope'"),
        (
            "questionnaire: mini\nanswers:\n  ghost: yes\n",
            "line 3: answers.ghost: no question 'ghost' in mini",
        ),
        (
            "questionnaire: mini\nanswers:\n  scope: maybe\n",
            "line 3: answers.scope: expected one of yes, partly",
        ),
        ("questionnaire: mini\nanswers:\n  notes: 42\n", "answers.notes: expected text, got int 42"),
        ("questionnaire: mini\nanswers:\n  people: lots\n", "answers.people: expected a number"),
        ("questionnaire: mini\nanswers:\n  people: 0\n", "answers.people: expected at least 1"),
        ("questionnaire: mini\nanswers:\n  tools: [ci, jira]\n", "answers.tools: 'jira' not among ci, wiki"),
        ("- just a list\n", "expected a mapping"),
        ("questionnaire: mini\nextra: 1\nanswers: {}\n", "line 2: extra: unknown key"),
    ],
)
def test_bad_answers_files_exit_2_with_the_location_and_no_traceback(run, answers_file, content, expected):
    result = run("assess", answers_file(content))
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output


def test_every_problem_is_listed_not_just_the_first(run, answers_file):
    result = run("assess", answers_file("questionnaire: mini\nanswers:\n  scope: maybe\n  people: lots\n  ghost: 1\n"))
    assert result.exit_code == 2
    assert "3 problem(s)" in result.output


def test_a_missing_answers_file_is_a_clear_error(run, tmp_path):
    result = run("assess", str(tmp_path / "nowhere.yaml"))
    assert result.exit_code == 2 and "cannot read the file" in result.output


@pytest.mark.parametrize(
    "content, expected",
    [
        (
            "questionnaire: mini\nlaugh: &a [x, x, x, x, x, x, x, x, x]\nanswers:\n  notes: *a\n",
            "line 4: file: invalid YAML: anchors and aliases (&name, *name) are not allowed",
        ),
        ("questionnaire: mini\nanswers:\n  notes: " + "[" * 20000 + "]" * 20000 + "\n", "nested deeper than 8 levels"),
        ("questionnaire: mini\nanswers:\n  people: " + "9" * 5000 + "\n", "a number has more than 4,300 digits"),
        ("questionnaire: mini\nanswers:\n  people: .nan\n", "answers.people: expected a finite number"),
        ("questionnaire: mini\nanswers:\n  people: -.inf\n", "answers.people: expected a finite number"),
        ("questionnaire: mini\nanswers:\n  people: 12345678901234567\n", "expected a number of at most"),
        ("questionnaire: mini\nanswers: {}\n#" + "x" * 1_000_000 + "\n", "an answers file has at most 1,000,000"),
    ],
)
def test_hostile_answers_files_are_refused_quickly_and_clearly(run, answers_file, content, expected):
    """A file of a few hundred bytes must not stand for billions of values, nor a deep or huge one hang the CLI."""
    result = run("assess", answers_file(content))
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output
