"""`clausewise evidence scan PATH`: propose answers from a local git repository, print them, or send them to an
assessment through the API (the same document the UI takes as an upload)."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

import click
import yaml

from .config import knowledge_base_dir
from .engine import load_knowledge_base
from .evidence_scan import Limits, RepositoryError, scan
from .knowledge.errors import KnowledgeBaseInvalid

SEND_TIMEOUT = 30


@click.group("evidence")
def evidence_group():
    """Evidence for the answers, found in the team's own records."""


@evidence_group.command("scan")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "yaml"]), default="json", show_default=True)
@click.option("--assessment", "assessment_id", type=int, help="Send the proposals to this assessment.")
@click.option("--url", envvar="CLAUSEWISE_URL", help="Where Clausewise runs (env CLAUSEWISE_URL), with --assessment.")
@click.option("--token", envvar="CLAUSEWISE_TOKEN", help="A personal API token (env CLAUSEWISE_TOKEN).")
@click.option("--max-commits", type=click.IntRange(1), default=Limits.max_commits, show_default=True)
@click.option("--timeout", "deadline", type=click.FloatRange(0.1), default=Limits.deadline_seconds, show_default=True)
def scan_command(path, fmt, assessment_id, url, token, max_commits, deadline):
    """Read the git repository at PATH (a working copy or a bare one) and propose answers with evidence.

    Nothing from the repository is run and no symbolic link is followed; what a clone cannot show (branch
    protection, required reviews, who approved) is listed under not_visible, never guessed."""
    if assessment_id is not None and not (url and token):
        raise click.UsageError("--assessment needs --url (or CLAUSEWISE_URL) and --token (or CLAUSEWISE_TOKEN)")
    if assessment_id is not None and not url.startswith(("http://", "https://")):
        raise click.UsageError("--url must start with http:// or https://")
    try:
        kb = load_knowledge_base(knowledge_base_dir())
    except KnowledgeBaseInvalid:
        click.echo("The knowledge base is invalid; run 'clausewise kb check'.", err=True)
        sys.exit(1)
    questions = {}
    for questionnaire in kb.questionnaires.values():
        for question in questionnaire.questions:
            questions.setdefault(question.id, question)
    try:
        result = scan(path, Limits(max_commits=max_commits, deadline_seconds=deadline), questions=questions)
    except RepositoryError as error:
        click.echo(f"clausewise evidence scan: {error}", err=True)
        sys.exit(2)
    document = result.as_dict()
    if fmt == "yaml":
        click.echo(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), nl=False)
    else:
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    if assessment_id is not None:
        _send(url, token, assessment_id, document)


def _send(url: str, token: str, assessment_id: int, document: dict) -> None:
    address = f"{url.rstrip('/')}/api/v1/assessments/{assessment_id}/proposals"
    request = urllib.request.Request(
        address,
        data=json.dumps(document).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=SEND_TIMEOUT) as response:  # noqa: S310 (scan_command checked the scheme)
            taken = json.load(response)
    except urllib.error.HTTPError as error:
        click.echo(f"Assessment {assessment_id} refused the proposals ({error.code}): {_message(error)}", err=True)
        sys.exit(1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        click.echo(f"Cannot reach {url}: {error}", err=True)
        sys.exit(1)
    skipped = taken.get("not_asked") or []
    click.echo(
        f"Sent {len(taken.get('proposals', []))} proposal(s) to assessment {assessment_id}; they count once someone "
        "confirms them in the interview."
        + (f" Not asked by its questionnaire: {', '.join(skipped)}." if skipped else ""),
        err=True,
    )


def _message(error: urllib.error.HTTPError) -> str:
    try:
        body = json.load(error)
    except ValueError:
        return error.reason
    details = [m for ms in (body.get("errors") or {}).values() for m in (ms if isinstance(ms, list) else [ms])]
    return "; ".join([body.get("message", ""), *map(str, details)]).strip("; ")
