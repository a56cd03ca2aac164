"""Reading the knowledge base from disk: every file parsed, validated and cross-checked, or nothing at all."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml
from marshmallow import Schema, ValidationError

from . import schemas
from .conditions import as_group
from .cross_checks import check_crosswalk, check_mapping
from .crosswalk import CrosswalkSchema, crosswalk_of
from .errors import KnowledgeBaseInvalid, Problem
from .exclusions import check_exclusions
from .mapping import MappingSchema, mapping_of
from .model import (
    Action,
    Catalogue,
    Clause,
    ClauseGroup,
    ExclusionFindings,
    Fact,
    FindingSpec,
    Gate,
    GlossaryTerm,
    KnowledgeBase,
    Myth,
    NumberRange,
    Option,
    Practice,
    PracticeClause,
    Question,
    Questionnaire,
    Rule,
    RuleSet,
    Section,
    Suggestion,
    Transition,
    WorkProduct,
)
from .validate import cross_check
from .ways import WaysFileSchema, ways_of

Check = Callable[[KnowledgeBase], list[Problem]]
# rules/shared/*.yaml: facts, actions and suggestions every questionnaire's rules can use, so that the quick scan
# and the full questionnaire speak one vocabulary.
SHARED = "shared"


def read_knowledge_base(root: str | Path, extra_checks: Iterable[Check] = ()) -> KnowledgeBase:
    """Read `rules/` and `questionnaires/` below `root`; raise KnowledgeBaseInvalid listing every problem.

    Uncached and without the engine's limits: the application loads through app.engine.load_knowledge_base."""
    reader = _Reader(Path(root))
    kb = reader.read()
    problems = list(reader.problems)
    if not problems:
        problems += cross_check(kb) + check_exclusions(kb)
    if not problems:
        for check in extra_checks:
            problems += check(kb)
    if problems:
        raise KnowledgeBaseInvalid(problems)
    return kb


class _Reader:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.digest = hashlib.sha256()

    def read(self) -> KnowledgeBase:
        rules_dir = self.root / "rules"
        catalogues = {}
        for path in self._files(rules_dir / "catalogue"):
            data = self._load(path, schemas.CatalogueSchema())
            if data is not None:
                catalogue = _catalogue(data)
                catalogues[catalogue.id] = catalogue

        practices: dict[str, Practice] = {}
        data = self._load(rules_dir / "practices.yaml", schemas.PracticesFileSchema())
        if data is not None:
            for item in data["practices"]:
                if item["id"] in practices:
                    self._problem(rules_dir / "practices.yaml", item["id"], "id", "duplicate practice id")
                practices[item["id"]] = _practice(item)

        terms: tuple[GlossaryTerm, ...] = ()
        myths: tuple[Myth, ...] = ()
        glossary_path = rules_dir / "glossary.yaml"
        if glossary_path.exists():
            data = self._load(glossary_path, schemas.GlossarySchema())
            if data is not None:
                terms = tuple(GlossaryTerm(**{**t, "clauses": tuple(t["clauses"])}) for t in data["terms"])
                myths = tuple(Myth(**{**m, "clauses": tuple(m["clauses"])}) for m in data["myths"])

        ways = ()
        ways_path = rules_dir / "ways-of-working.yaml"
        if ways_path.exists():
            data = self._load(ways_path, WaysFileSchema())
            if data is not None:
                ways = ways_of(data)

        questionnaires = {}
        questionnaire_files = self._files(self.root / "questionnaires")
        for path in questionnaire_files:
            data = self._load(path, schemas.QuestionnaireSchema())
            if data is None:
                continue
            if data["id"] != path.stem:
                self._problem(path, data["id"], "id", f"the id must match the file name '{path.stem}'")
            label = self._label(path)
            questionnaires[data["id"]] = _questionnaire(
                {**data, "sections": [{**section, "file": label} for section in data["sections"]]}, catalogues
            )
        directories = sorted(p for p in (self.root / "questionnaires").glob("*/") if p.is_dir())
        for directory in directories:
            data = self._questionnaire_directory(directory)
            if data is not None:
                questionnaires[data["id"]] = _questionnaire(data, catalogues)
        questionnaire_files += directories

        rulesets = {}
        for name in sorted({q.rules for q in questionnaires.values()}):
            rulesets[name] = self._ruleset(rules_dir / name, name, questionnaires)

        crosswalks = []
        for path in self._files(rules_dir / "crosswalks"):
            data = self._load(path, CrosswalkSchema())
            if data is not None:
                crosswalk = crosswalk_of(data)
                crosswalks.append(crosswalk)
                older = [qn for qn in questionnaires.values() if qn.standard == crosswalk.source]
                asked = {q.id for qn in older for q in qn.questions}
                # What may say where its reference to a split clause lands: the older edition's questions and rules.
                references = {
                    **{r.id: r.finding.clauses for qn in older for r in rulesets[qn.rules].rules if r.finding},
                    **{q.id: q.clauses for qn in older for q in qn.questions},
                }
                self.problems += check_crosswalk(crosswalk, catalogues, asked, self._label(path), references)

        mappings = []
        for path in self._files(rules_dir / "mappings"):
            data = self._load(path, MappingSchema())
            if data is not None:
                mapping = mapping_of(data)
                mappings.append(mapping)
                asked = {q.id for qn in questionnaires.values() if qn.standard == mapping.target for q in qn.questions}
                self.problems += check_mapping(mapping, catalogues, asked, self._label(path))

        if not self._files(rules_dir / "catalogue"):
            self._problem(rules_dir / "catalogue", "", "", "no clause catalogue found (expected *.yaml files)")
        if not questionnaire_files:
            self._problem(self.root / "questionnaires", "", "", "no questionnaire found (expected *.yaml files)")
        return KnowledgeBase(
            version=self.digest.hexdigest()[:12],
            catalogues=catalogues,
            practices=practices,
            questionnaires=questionnaires,
            rulesets=rulesets,
            terms=terms,
            myths=myths,
            crosswalks=tuple(crosswalks),
            ways=ways,
            mappings=tuple(mappings),
        )

    def _questionnaire_directory(self, directory: Path) -> dict[str, Any] | None:
        """A long questionnaire as a directory: questionnaire.yaml, then one file per section in name order."""
        header_path = directory / "questionnaire.yaml"
        header = self._load(header_path, schemas.QuestionnaireHeaderSchema())
        sections = []
        for path in self._files(directory):
            if path.name != "questionnaire.yaml":
                section = self._load(path, schemas.SectionSchema())
                if section is not None:
                    sections.append({**section, "file": self._label(path)})
        if header is None or len(sections) != len(self._files(directory)) - 1:
            return None
        if header["id"] != directory.name:
            self._problem(header_path, header["id"], "id", f"the id must match the directory name '{directory.name}'")
        if header["sections"]:
            self._problem(header_path, header["id"], "sections", "list sections in their own files, not here")
        if not sections:
            self._problem(directory, header["id"], "sections", "no section files beside questionnaire.yaml")
            return None
        return {**header, "sections": sections}

    def _ruleset(self, directory: Path, name: str, questionnaires: dict[str, Questionnaire]) -> RuleSet:
        rules: list[Rule] = []
        facts: dict[str, Fact] = {}
        actions: dict[str, Action] = {}
        suggestions: dict[str, Suggestion] = {}
        exclusions: list[ExclusionFindings] = []
        shared = self._files(directory.parent / SHARED)
        if name == SHARED:
            self._problem(directory, "", "", f"'{SHARED}' holds the shared vocabulary; a questionnaire cannot use it")
        elif not directory.is_dir():
            self._problem(directory, "", "", f"rule directory '{name}' named by a questionnaire does not exist")
        for path in shared + self._files(directory):
            data = self._load(path, schemas.RuleFileSchema())
            if data is None:
                continue
            label = self._label(path)
            if path in shared and data["rules"]:
                self._problem(path, "", "rules", "shared files hold facts, actions and suggestions only")
                continue
            for kind, target, build in (
                ("fact", facts, lambda d: Fact(**d)),
                ("action", actions, _action),
                ("suggestion", suggestions, _suggestion),
            ):
                for item in data[kind + "s"]:
                    if item["id"] in target:
                        self._problem(path, item["id"], "id", f"duplicate {kind} id (also defined elsewhere)")
                    target[item["id"]] = build(item)
            for item in data["rules"]:
                rules.append(_rule(item, label))
            if data["exclusions"] is not None:
                exclusions.append(_exclusions(data["exclusions"], label))
        # Follow-up questions become rules of their own, so the engine decides relevance with everything else.
        for questionnaire in questionnaires.values():
            if questionnaire.rules != name:
                continue
            for question in questionnaire.questions:
                if question.when is not None:
                    rules.append(
                        Rule(
                            id=f"follow-up:{question.id}",
                            file=questionnaire.file_of(question.id),
                            when=question.when,
                            ask=(question.id,),
                            generated=True,
                        )
                    )
        if len(exclusions) > 1:
            files = ", ".join(e.file for e in exclusions)
            self._problem(directory, "", "exclusions", f"the findings on exclusions are written twice ({files})")
        return RuleSet(
            id=name,
            rules=tuple(rules),
            facts=facts,
            actions=actions,
            suggestions=suggestions,
            exclusions=exclusions[0] if exclusions else None,
        )

    # ------------------------------------------------------------------------------------------ files

    def _files(self, directory: Path) -> list[Path]:
        if not directory.is_dir():
            return []
        return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())

    def _label(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def _problem(self, path: Path, item_id: str, field: str, message: str) -> None:
        self.problems.append(Problem(self._label(path), item_id, field, message))

    def _load(self, path: Path, schema: Schema) -> dict[str, Any] | None:
        try:
            raw_text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self._problem(path, "", "", "file not found")
            return None
        except (OSError, UnicodeDecodeError) as error:
            self._problem(path, "", "", f"cannot read the file: {error}")
            return None
        self.digest.update(self._label(path).encode() + b"\0" + raw_text.encode() + b"\0")
        try:
            raw = yaml.safe_load(raw_text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            problem = getattr(error, "problem", None) or str(error)
            self._problem(path, "", "", f"invalid YAML: {where}{problem}")
            return None
        if not isinstance(raw, dict):
            self._problem(path, "", "", "expected a mapping at the top of the file")
            return None
        try:
            return schema.load(raw)
        except ValidationError as error:
            for item_id, field, message in flatten_errors(error.messages, raw):
                self._problem(path, item_id, field, message)
            return None


def flatten_errors(messages: Any, raw: Any, item_id: str = "", field: str = ""):
    """Marshmallow's nested error dict as (item id, field path, message), naming items by their `id`."""
    if isinstance(messages, list | tuple):
        for message in messages:
            if isinstance(message, dict | list):
                yield from flatten_errors(message, raw, item_id, field)
            else:
                yield item_id, field, str(message)
        return
    for key, value in messages.items():
        if isinstance(key, int):
            element = raw[key] if isinstance(raw, list) and key < len(raw) else None
            if isinstance(element, dict) and isinstance(element.get("id"), str):
                yield from flatten_errors(value, element, element["id"], "")
            else:
                yield from flatten_errors(value, element, item_id, f"{field}[{key}]")
        else:
            child = raw.get(key) if isinstance(raw, dict) else None
            name = "" if key == "_schema" else str(key)
            path = f"{field}.{name}" if field and name else (field or name)
            yield from flatten_errors(value, child, item_id, path)


# ---------------------------------------------------------------------------------------------- builders


def _catalogue(data: dict) -> Catalogue:
    return Catalogue(
        id=data["id"],
        title=data["title"],
        edition=data["edition"],
        groups=tuple(ClauseGroup(**g) for g in data["groups"]),
        clauses=tuple(Clause(**{**c, "records": tuple(c["records"])}) for c in data["clauses"]),
        dependencies=tuple((a, b) for a, b in data["dependencies"]),
        gates=tuple(Gate(**g) for g in data["gates"]),
        status=data["status"],
        source=data["source"],
        transition=Transition(**data["transition"]) if data["transition"] else None,
    )


def _action(data: dict) -> Action:
    return Action(**{**data, "depends_on": tuple(data["depends_on"]), "steps": tuple(data["steps"])})


def _suggestion(data: dict) -> Suggestion:
    """The advice's text ends with its work-product mapping, so every channel that shows the advice shows it."""
    products = tuple(WorkProduct(p["name"], p["process"], tuple(p["clauses"])) for p in data["work_products"])
    text = data["text"]
    if products:
        by_process: dict[str, list[str]] = {}
        for product in products:
            by_process.setdefault(product.process, []).append(f"{product.name} ({', '.join(product.clauses)})")
        parts = "; ".join(f"{process}: {', '.join(items)}" for process, items in by_process.items())
        text = f"{text} Where its work products serve ISO 9001 later, by clause: {parts}."
    return Suggestion(data["id"], data["title"], text, products)


def _practice(data: dict) -> Practice:
    return Practice(
        id=data["id"],
        name=data["name"],
        family=data["family"],
        description=data["description"],
        evidence=tuple(data["evidence"]),
        clauses=tuple(PracticeClause(**c) for c in data["clauses"]),
        in_place=data["in_place"],
    )


def _questionnaire(data: dict, catalogues: dict[str, Catalogue]) -> Questionnaire:
    catalogue = catalogues.get(data["standard"])  # an unknown standard is reported by cross_check
    never = {c.id for c in catalogue.clauses if c.not_applicable == "never"} if catalogue else set()
    sections = []
    for section in data["sections"]:
        questions = tuple(
            Question(
                **{
                    **q,
                    "section": section["id"],
                    "profile": section["profile"],
                    "clauses": tuple(q["clauses"]),
                    "evidence": tuple(q["evidence"]),
                    "options": tuple(Option(**o) for o in q["options"]),
                    "labels": tuple(q["labels"]),
                    "ranges": tuple(NumberRange(**r) for r in q["ranges"]),
                    "when": as_group(q["when"]) if q["when"] is not None else None,
                    # A question cannot be excluded when one of its clauses cannot.
                    "not_applicable": "never" if never.intersection(q["clauses"]) else "allowed",
                }
            )
            for q in section["questions"]
        )
        sections.append(Section(section["id"], section["title"], section["profile"], questions, section["file"]))
    return Questionnaire(
        id=data["id"],
        version=data["version"],
        standard=data["standard"],
        title=data["title"],
        description=data["description"],
        rules=data["rules"],
        sections=tuple(sections),
    )


def _rule(data: dict, file: str) -> Rule:
    then = data["then"]
    finding = then["finding"]
    return Rule(
        id=data["id"],
        file=file,
        when=as_group(data["when"]),
        derive=tuple(then["derive"]),
        ask=tuple(then["ask"]),
        suggest=tuple(then["suggest"]),
        finding=FindingSpec(
            **{
                **finding,
                "clauses": tuple(finding["clauses"]),
                "practices": tuple(finding["practices"]),
                "evidence": tuple(finding["evidence"]),
                "recommendation_for": tuple(sorted(finding["recommendation_for"].items())),
            }
        )
        if finding
        else None,
    )


def _exclusions(data: dict, file: str) -> ExclusionFindings:
    def spec(finding: dict, blocks: str) -> tuple[str, FindingSpec]:
        fields = {k: v for k, v in finding.items() if k not in ("id", "blocks")}
        return finding["id"], FindingSpec(
            **{
                **fields,
                "blocks": blocks,
                "clauses": tuple(fields["clauses"]),
                "practices": tuple(fields["practices"]),
                "evidence": tuple(fields["evidence"]),
            }
        )

    not_permitted, unjustified = data["not_permitted"], data["unjustified"]
    return ExclusionFindings(
        not_permitted={f["blocks"]: spec(f, f["blocks"]) for f in not_permitted["findings"]},
        not_permitted_reason=" ".join(not_permitted["reason"].split()),
        unjustified=spec(unjustified["finding"], "none"),
        unjustified_reason=" ".join(unjustified["reason"].split()),
        file=file,
    )
