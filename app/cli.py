"""`clausewise`: the Flask CLI of the app (run, db, ...) plus the knowledge-base and assessment commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup, NoAppException

from .config import knowledge_base_dir
from .engine import load_knowledge_base
from .evidence_cli import evidence_group
from .factory import create_app
from .formats.markdown import to_markdown, to_text
from .knowledge.answer_file import MAX_FILE_CHARS, AnswerFileInvalid, parse_answer_file
from .knowledge.answers import Answer
from .knowledge.coverage import coverage
from .knowledge.errors import KnowledgeBaseInvalid
from .knowledge.rekey import default_edition, editions_of
from .planning.assess import assess
from .planning.transition import certified, transition_for
from .planning.transition import to_lines as transition_lines


def _create_app():
    try:
        return create_app()
    except KnowledgeBaseInvalid as error:
        # Flask reports NoAppException and goes on, so `kb check` and `--help` still work.
        raise NoAppException(f"Clausewise refuses to start: the knowledge base is invalid.\n{error.report()}") from None


main = FlaskGroup(create_app=_create_app, help="Clausewise: ISO 9001 readiness for software organisations.")
main.add_command(evidence_group)


@main.group("kb", cls=click.Group)
def kb_group():
    """The knowledge base: questionnaires, rules, practices."""


@kb_group.command("check")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--quiet", is_flag=True, help="Print only problems.")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Knowledge-base directory (default: CLAUSEWISE_KB_DIR or this checkout).",
)
def kb_check(fmt: str, quiet: bool, directory: Path | None) -> None:
    """Validate the knowledge base and show which questions and rules cover each clause."""
    try:
        kb = load_knowledge_base(directory or knowledge_base_dir())
    except KnowledgeBaseInvalid as error:
        if fmt == "json":
            click.echo(
                json.dumps(
                    {
                        "ok": False,
                        "errors": [p.as_dict() for p in error.problems],
                        "catalogues": [],
                        "crosswalks": [],
                        "mappings": [],
                        "counts": {},
                        "clauses": {},
                    },
                    indent=2,
                )
            )
        else:
            click.echo(error.report(), err=True)
        sys.exit(1)
    report = coverage(kb)
    if fmt == "json":
        click.echo(json.dumps({"ok": True, "errors": [], **report}, indent=2))
    elif not quiet:
        counts = report["counts"]
        click.echo(
            f"Knowledge base {kb.version} is valid: {counts['questions']} questions, "
            f"{counts['rules']} rules, {counts['practices']} practices."
        )
        for catalogue in report["catalogues"]:
            used = ", ".join(catalogue["used_by"]) or "reached through a crosswalk"
            click.echo(
                f"Catalogue {catalogue['id']} ({catalogue['edition']}, {catalogue['status']}): "
                f"{catalogue['clauses']} clauses; {used}."
            )
        for crosswalk in report["crosswalks"]:
            click.echo(f"Crosswalk {crosswalk['from']} -> {crosswalk['to']}: {crosswalk['changes']} clauses changed.")
        for mapping in report["mappings"]:
            click.echo(f"Mapping {mapping['from']} -> {mapping['to']}: {mapping['entries']} entries.")
        for clause_id, entry in report["clauses"].items():
            mark = " " if entry["questions"] and entry["rules"] else "!"
            click.echo(
                f" {mark} {clause_id:<6} {len(entry['questions']):>3} questions {len(entry['rules']):>3} rules"
                f"  {entry['title']}"
            )
        uncovered = [c for c, e in report["clauses"].items() if not (e["questions"] and e["rules"])]
        if uncovered:
            click.echo(f"{len(uncovered)} clause(s) (marked !) lack a question or a rule.")


@main.command("assess", with_appcontext=False)
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option(
    "--transition/--no-transition",
    "show_transition",
    default=None,
    help="Add what the next edition changes for this organisation (default: for certified organisations).",
)
@click.option(
    "--edition",
    default=None,
    help="The edition (catalogue id, e.g. iso9001-2026) the clauses are shown in; default: the answers file's "
    "`edition:`, else the newest published one.",
)
def assess_command(answers: Path, fmt: str, show_transition: bool | None, edition: str | None) -> None:
    """Assess the answers in ANSWERS.yaml: verdict, readiness, findings and the improvement plan; in JSON, the
    transition to the next edition too (`transition`, null when the knowledge base has none)."""
    try:
        kb = load_knowledge_base(knowledge_base_dir())
    except KnowledgeBaseInvalid as error:
        click.echo("The knowledge base is invalid; run 'clausewise kb check'.", err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    try:
        with answers.open(encoding="utf-8") as file:
            text = file.read(MAX_FILE_CHARS + 1)  # a longer file is refused without being read whole
    except (OSError, UnicodeDecodeError) as error:
        click.echo(f"{answers}: cannot read the file: {error}", err=True)
        sys.exit(2)
    try:
        parsed = parse_answer_file(text, kb)
    except AnswerFileInvalid as error:
        click.echo(f"{answers}: {len(error.problems)} problem(s):", err=True)
        for problem in error.problems:
            click.echo(f"  {answers}:{problem}", err=True)
        sys.exit(2)
    edition = edition or parsed.edition
    if edition is not None and edition not in editions_of(kb, parsed.questionnaire):
        known = ", ".join(editions_of(kb, parsed.questionnaire))
        click.echo(f"Unknown edition {edition!r} for {parsed.questionnaire}; known: {known}", err=True)
        sys.exit(2)
    edition = edition or default_edition(kb, parsed.questionnaire)
    report = assess(kb, parsed.questionnaire, parsed.answers, edition=edition)
    name = str(parsed.organisation.get("name", ""))
    values = {q: (a.value if isinstance(a, Answer) else a) for q, a in parsed.answers.items()}
    moving = transition_for(kb, parsed.questionnaire, values, report)
    if fmt == "json":
        document = {**report.to_dict(), "transition": moving.to_dict() if moving else None}
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    text = to_markdown(report, name) if fmt == "markdown" else to_text(report, name)
    if moving and (show_transition if show_transition is not None else certified(values)):
        text += "\n" + "\n".join(transition_lines(moving, markdown=fmt == "markdown"))
    click.echo(text, nl=False)


@main.group("user")
def user_group():
    """User accounts."""


@user_group.command("create")
@click.argument("email")
@click.option("--admin", is_flag=True, help="Make the user an administrator.")
@click.option("--name", default="", help="Display name.")
@click.password_option(help="Password (asked for when not given; at least 10 characters).")
def user_create(email: str, admin: bool, name: str, password: str) -> None:
    """Create a user who can log in with EMAIL."""
    from .services.accounts import create_user
    from .services.errors import ServiceError

    try:
        user = create_user(email, password, name=name, is_admin=admin)
    except ServiceError as refused:
        detail = "; ".join(m for messages in refused.fields.values() for m in messages) or refused.message
        raise click.ClickException(detail) from None
    click.echo(f"Created {'administrator' if admin else 'user'} {user.email}.")


@main.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing unless the database has no users yet.")
def demo_command(if_empty: bool) -> None:
    """Create a demo workspace: a consultant, two client organisations, three assessments."""
    from .services.demo import create_demo_workspace, database_is_empty

    if if_empty and not database_is_empty():
        click.echo("The database has users already; no demo data added.")
        return
    email, password = create_demo_workspace()
    click.echo("Demo workspace created. Log in at /login with")
    click.echo(f"  email:    {email}")
    click.echo(f"  password: {password}   (shown once; create real users with 'clausewise user create')")
