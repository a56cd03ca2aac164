"""planning.comparison on hand-written reports: no database, no Flask."""

from __future__ import annotations

from datetime import UTC, datetime

from app.planning.comparison import AlignmentChange, Change, ClauseChange, Facts, compare

MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)
LATER = datetime(2026, 9, 7, 9, tzinfo=UTC)


def finding(id_: str, *clauses: str, severity: str = "major") -> dict:
    return {"id": id_, "clauses": list(clauses), "severity": severity, "title": id_.replace("-", " ")}


def report(clauses: dict, findings: list, plan=(), overall=None, kb_version="kb1") -> dict:
    return {
        "kb_version": kb_version,
        "readiness": {"overall": overall, "clauses": {c: {"score": s} for c, s in clauses.items()}},
        "findings": findings,
        "plan": list(plan),
    }


def facts(id_, started_at, rep, done=(), alignment=None) -> Facts:
    return Facts(id_, started_at, rep, frozenset(done), alignment)


def test_findings_are_resolved_new_regressed_or_persisting():
    before = report({"4.3": 50, "5.2": 80, "9.2": 40}, [finding("no-scope", "4.3"), finding("no-audit", "9.2")])
    after = report(
        {"4.3": 60, "5.2": 30, "9.2": 40},
        [finding("no-scope", "4.3", severity="minor"), finding("no-policy", "5.2"), finding("no-review", "9.3")],
    )
    result = compare(facts(1, MONDAY, before), facts(2, LATER, after))
    ids = {name: [f["id"] for f in getattr(result.findings, name)] for name in ("resolved", "new", "regressed")}
    assert ids == {"resolved": ["no-audit"], "new": ["no-review"], "regressed": ["no-policy"]}  # 5.2 dropped
    assert [f["severity"] for f in result.findings.persisting] == ["minor"]  # as the later assessment words it
    assert {f["id"] for f in result.findings.every()} == {"no-scope", "no-audit", "no-policy", "no-review"}


def test_a_finding_merged_into_another_since_is_neither_resolved_nor_new():
    # Earlier, two findings; later, one of them stands for both (planning.merging).
    before = report({"6.2": 0, "9.1.1": 0}, [finding("no-objectives", "6.2"), finding("no-history", "9.1.1")])
    merged = {**finding("no-objectives", "6.2", "9.1.1"), "merged": [{"id": "no-history", "title": "no history"}]}
    after = report({"6.2": 0, "9.1.1": 0}, [merged])
    result = compare(facts(1, MONDAY, before), facts(2, LATER, after))
    assert (result.findings.resolved, result.findings.new) == ((), ())
    assert [f["id"] for f in result.findings.persisting] == ["no-objectives"]
    # ... and the other way round: a later knowledge base that no longer merges them finds nothing new either.
    back = compare(facts(1, MONDAY, after), facts(2, LATER, before))
    assert (back.findings.resolved, back.findings.new) == ((), ())
    # The target resolved, what was merged into it still raised: resolved, and the rest stands as its own.
    later = report({"9.1.1": 0}, [finding("no-history", "9.1.1")])
    split = compare(facts(1, MONDAY, after), facts(2, LATER, later))
    assert [f["id"] for f in split.findings.resolved] == ["no-objectives"] and split.findings.new == ()
    plan = [{"id": "keep-history", "closes": ["no-history"]}]
    done = compare(facts(1, MONDAY, report({}, [], plan), done={"keep-history"}), facts(2, LATER, after))
    assert [(d.action, d.findings) for d in done.done_but_persisting] == [("keep-history", ("no-objectives",))]


def test_clauses_follow_the_later_assessment_with_a_delta_only_when_both_are_scored():
    before = report({"4.3": 50, "5.2": None}, [])
    after = report({"4.3": 75, "5.2": 20, "7.1": 10}, [])
    clauses = compare(facts(1, MONDAY, before), facts(2, LATER, after)).clauses
    assert clauses == {
        "4.3": ClauseChange(50, 75, 25),
        "5.2": ClauseChange(None, 20, None),
        "7.1": ClauseChange(None, 10, None),
    }


def test_the_earlier_assessment_is_before_whatever_the_order_given():
    early = facts(7, MONDAY, report({"4.3": 10}, [], overall=10))
    late = facts(3, LATER, report({"4.3": 90}, [], overall=90))
    for first, second in ((early, late), (late, early)):
        result = compare(first, second)
        assert (result.before.id, result.after.id) == (7, 3)
        assert result.overall == Change(10, 90)
        assert result.before.started_at == MONDAY
    # Started at the same moment: the lower id came first.
    same = facts(2, MONDAY, report({}, []))
    assert compare(same, early).before.id == 2


def test_actions_done_whose_finding_is_still_raised_are_listed():
    plan = [{"id": "write-scope", "closes": ["no-scope"]}, {"id": "hold-audit", "closes": ["no-audit", "no-review"]}]
    before = report({}, [finding("no-scope", "4.3"), finding("no-audit", "9.2")], plan)
    after = report({}, [finding("no-scope", "4.3"), finding("no-review", "9.3")], plan)
    result = compare(facts(1, MONDAY, before, done={"hold-audit"}), facts(2, LATER, after, done={"write-scope"}))
    assert [(d.action, d.findings) for d in result.done_but_persisting] == [
        ("hold-audit", ("no-review",)),
        ("write-scope", ("no-scope",)),
    ]
    resolved = compare(facts(1, MONDAY, before, done={"write-scope"}), facts(2, LATER, report({}, [], plan)))
    assert resolved.done_but_persisting == ()


def test_alignment_is_none_without_several_respondents_and_per_clause_in_clause_order_otherwise():
    plain = compare(facts(1, MONDAY, report({}, [])), facts(2, LATER, report({}, [])))
    assert plain.alignment is None
    aligned = {"overall": {"score": 50}, "clauses": {"10.2": {"score": 100}, "9.2": {"score": 0}}}
    result = compare(facts(1, MONDAY, report({}, []), alignment=aligned), facts(2, LATER, report({}, [])))
    assert result.alignment == AlignmentChange(
        overall=Change(50, None), clauses={"9.2": Change(0, None), "10.2": Change(100, None)}
    )
    assert list(result.alignment.clauses) == ["9.2", "10.2"]


def test_a_changed_knowledge_base_is_noted():
    same = compare(facts(1, MONDAY, report({}, [])), facts(2, LATER, report({}, [])))
    assert same.notes == ()
    changed = compare(facts(1, MONDAY, report({}, [])), facts(2, LATER, report({}, [], kb_version="kb2")))
    assert len(changed.notes) == 1 and "kb1 -> kb2" in changed.notes[0]
    assert (changed.before.kb_version, changed.after.kb_version) == ("kb1", "kb2")
