"""A tiny, self-contained knowledge base written to a temporary directory, for tests that need exact control.

`make_kb(tmp_path, rules=[...], questions=[...])` writes a catalogue, practices, one questionnaire and one rule
file, and returns the directory. Tests change one piece at a time to see one behaviour.
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

CATALOGUE = {
    "id": "iso9001-2015",
    "title": "Test catalogue",
    "edition": "test",
    "status": "published",
    "source": "Written for the tests.",
    "groups": [{"id": "4", "title": "Context"}, {"id": "9", "title": "Evaluation"}],
    "clauses": [
        {
            "id": "4.3",
            "group": "4",
            "title": "Scope",
            "summary": "Say what is covered.",
            "weight": "blocker",
            "documented_information": "maintain",
            "gate": "G1",
            "not_applicable": "never",
        },
        {
            "id": "4.4",
            "group": "4",
            "title": "Processes",
            "summary": "Define processes.",
            "weight": "blocker",
            "documented_information": "both",
            "not_applicable": "never",
        },
        {
            "id": "9.2",
            "group": "9",
            "title": "Internal audit",
            "summary": "Audit yourself.",
            "weight": "blocker",
            "documented_information": "retain",
            "gate": "G6",
            "not_applicable": "allowed",  # not so in ISO 9001; here so that tests can exclude something
        },
        {
            "id": "9.3.1",
            "group": "9",
            "title": "Management review",
            "summary": "Review.",
            "weight": "blocker",
            "documented_information": "none",
            "not_applicable": "never",
        },
    ],
    "dependencies": [["4.3", "4.4"], ["4.4", "9.2"], ["9.2", "9.3.1"]],
    "gates": [
        {"id": "G1", "title": "Scope written", "blocks": "stage1"},
        {"id": "G6", "title": "Internal audit held", "blocks": "stage2"},
    ],
}
PRACTICES = {
    "practices": [
        {
            "id": "docs-as-code",
            "name": "Docs as code",
            "family": "devops",
            "description": "Docs in Git.",
            "clauses": [{"clause": "4.3", "relationship": "full", "rationale": "Versioned and reviewed."}],
        },
        {
            "id": "internal-audit-programme",
            "name": "Internal audit programme",
            "family": "quality",
            "description": "Peer audits.",
            "clauses": [{"clause": "9.2", "relationship": "full", "rationale": "It is one."}],
        },
    ]
}
QUESTIONS = [
    {
        "id": "people",
        "kind": "number",
        "text": "How many people?",
        "why": "Size matters.",
        "min": 1,
        "max": 100000,
        "unit": "people",
        "section": "profile",
    },
    {
        "id": "scope",
        "kind": "yes_no",
        "text": "Is the scope written down?",
        "why": "Auditors read it first.",
        "clauses": ["4.3"],
        "weight": 3,
    },
    {
        "id": "audit",
        "kind": "yes_no",
        "text": "Have you held an internal audit?",
        "why": "It is required.",
        "clauses": ["9.2"],
        "weight": 3,
    },
    {
        "id": "review",
        "kind": "yes_no",
        "text": "Has management reviewed the system?",
        "why": "It is required.",
        "clauses": ["9.3.1"],
        "weight": 3,
    },
    {
        "id": "tools",
        "kind": "multiple_choice",
        "text": "Which tools?",
        "why": "Evidence.",
        "clauses": ["4.4"],
        "options": [
            {"value": "ci", "label": "CI", "level": 3},
            {"value": "wiki", "label": "Wiki", "level": 2},
        ],
    },
    {"id": "maturity", "kind": "scale", "text": "How mature?", "why": "Levels.", "clauses": ["4.4"]},
    {"id": "notes", "kind": "text", "text": "Anything else?", "why": "Context.", "clauses": ["4.4"]},
    {
        "id": "audit_plan",
        "kind": "yes_no",
        "text": "Is an audit planned?",
        "why": "Follow-up.",
        "clauses": ["9.2"],
        "when": {"all": [{"q": "audit", "eq": "no"}]},
    },
]
RULES = {
    "facts": [
        {"id": "never_audited", "means": "the system has never been audited"},
        {"id": "never_reviewed", "means": "management has never reviewed the system"},
    ],
    "actions": [
        {"id": "write-scope", "title": "Write the scope", "effort": "S"},
        {"id": "hold-audit", "title": "Hold an internal audit", "effort": "M", "lead_time": True},
        {
            "id": "hold-review",
            "title": "Hold a management review",
            "effort": "M",
            "depends_on": ["hold-audit"],
        },
    ],
    "suggestions": [{"id": "consider-29110", "title": "Consider ISO/IEC 29110", "text": "Lighter for small teams."}],
    "rules": [
        {
            "id": "no-scope",
            "when": {"all": [{"q": "scope", "eq": "no"}]},
            "then": {
                "finding": {
                    "clauses": ["4.3"],
                    "severity": "major",
                    "basis": "requirement",
                    "requirement": "the element is in place",
                    "blocks": "stage1",
                    "title": "No scope",
                    "explanation": "You answered {scope}.",
                    "recommendation": "Write it.",
                    "practices": ["docs-as-code"],
                    "action": "write-scope",
                }
            },
        },
        {
            "id": "no-audit",
            "when": {"all": [{"q": "audit", "eq": "no"}]},
            "then": {
                "derive": ["never_audited"],
                "finding": {
                    "clauses": ["9.2"],
                    "severity": "major",
                    "basis": "requirement",
                    "requirement": "the element is in place",
                    "blocks": "stage2",
                    "title": "No audit",
                    "explanation": "No audit yet.",
                    "recommendation": "Hold one.",
                    "practices": ["internal-audit-programme"],
                    "action": "hold-audit",
                },
            },
        },
        {
            "id": "no-review",
            "when": {"all": [{"q": "review", "eq": "no"}]},
            "then": {
                "derive": ["never_reviewed"],
                "finding": {
                    "clauses": ["9.3.1"],
                    "severity": "major",
                    "basis": "requirement",
                    "requirement": "the element is in place",
                    "blocks": "stage2",
                    "title": "No review",
                    "explanation": "No review yet.",
                    "recommendation": "Hold one.",
                    "action": "hold-review",
                },
            },
        },
        {
            "id": "never-checked",
            "when": {"all": [{"fact": "never_audited"}, {"fact": "never_reviewed"}]},
            "then": {
                "finding": {
                    "clauses": ["9.2", "9.3.1"],
                    "severity": "major",
                    "basis": "requirement",
                    "requirement": "the element is in place",
                    "blocks": "stage2",
                    "title": "Never checked",
                    "explanation": "Neither.",
                    "recommendation": "Both.",
                    "action": "hold-audit",
                }
            },
        },
        {
            "id": "audited-but-no-review",
            "when": {"all": [{"q": "audit", "eq": "yes"}], "none": [{"fact": "never_reviewed"}]},
            "then": {
                "finding": {
                    "clauses": ["9.2"],
                    "severity": "improvement",
                    "basis": "good_practice",
                    "title": "Audit could go deeper",
                    "explanation": "Fine.",
                    "recommendation": "Sample more.",
                    "action": "hold-audit",
                }
            },
        },
        {
            "id": "small",
            "when": {"all": [{"q": "people", "lte": 25}]},
            "then": {"suggest": ["consider-29110"]},
        },
    ],
}


def _exclusion_finding(finding_id: str, severity: str, title: str, **extra) -> dict:
    return {
        "id": finding_id,
        "clauses": ["4.3"],
        "severity": severity,
        "requirement": "the scope excludes only what cannot apply",
        "title": title,
        "explanation": "You declared {questions} not applicable ({clauses}).",
        "recommendation": "Fix the scope.",
        "action": "correct-exclusions",
        **extra,
    }


# rules/shared/exclusions.yaml: the findings "not applicable" answers raise (see planning.exclusions).
EXCLUSIONS = {
    "actions": [{"id": "correct-exclusions", "title": "Correct the exclusions in the scope", "effort": "S"}],
    "exclusions": {
        "not_permitted": {
            "reason": "you answered “{answer}” to “{question}”, which cannot be excluded",
            "findings": [
                _exclusion_finding("excluded-stage1", "major", "Excluded, blocks Stage 1", blocks="stage1"),
                _exclusion_finding("excluded-stage2", "major", "Excluded, blocks Stage 2", blocks="stage2"),
                _exclusion_finding("excluded", "minor", "Excluded, blocks nothing", blocks="none"),
            ],
        },
        "unjustified": {
            "reason": "you answered “{answer}” to “{question}” without a reason",
            "finding": _exclusion_finding("excluded-without-reason", "minor", "Exclusion without a reason"),
        },
    },
}


def make_kb(root: Path, *, catalogue=None, practices=None, questions=None, rules=None, extra_files=None) -> Path:
    root = Path(root)
    (root / "rules" / "catalogue").mkdir(parents=True, exist_ok=True)
    (root / "rules" / "mini").mkdir(parents=True, exist_ok=True)
    (root / "questionnaires").mkdir(parents=True, exist_ok=True)
    _write(root / "rules" / "catalogue" / "iso9001-2015.yaml", catalogue or CATALOGUE)
    _write(root / "rules" / "practices.yaml", practices or PRACTICES)
    _write(root / "rules" / "mini" / "rules.yaml", rules or RULES)
    (root / "rules" / "shared").mkdir(parents=True, exist_ok=True)
    _write(root / "rules" / "shared" / "exclusions.yaml", EXCLUSIONS)
    _write(root / "questionnaires" / "mini.yaml", questionnaire(questions or QUESTIONS))
    for name, content in (extra_files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False))
    return root


def questionnaire(questions) -> dict:
    questions = copy.deepcopy(questions)
    profile = [q for q in questions if q.pop("section", None) == "profile"]
    body = [q for q in questions if q not in profile]
    sections = []
    if profile:
        sections.append({"id": "profile", "title": "Profile", "profile": True, "questions": profile})
    sections.append({"id": "main", "title": "Main", "questions": body})
    return {
        "id": "mini",
        "version": 1,
        "standard": "iso9001-2015",
        "title": "Mini",
        "rules": "mini",
        "sections": sections,
    }


def rules_with(*extra_rules, facts=(), base=None) -> dict:
    rules = copy.deepcopy(base or RULES)
    rules["rules"] += list(extra_rules)
    rules["facts"] += list(facts)
    return rules


def _write(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False))
