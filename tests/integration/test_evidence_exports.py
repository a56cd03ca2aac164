"""Evidence in the exports (issue 16 item 3): the workbook's Evidence sheet, the PDF's evidence by clause, and the
evidence pack (a ZIP of the files by clause with an index in CSV and HTML), each downloaded and read back."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

import openpyxl
import pytest
import sqlalchemy as sa
from flask import render_template

from app.exports import views
from app.exports.views import report_context
from app.extensions import db, evidence_storage, knowledge_base
from app.formats.evidence_pack import PackEntry, safe_part, write_zip
from app.models import Evidence, User
from app.services import accounts, assessments, tenancy
from app.services import evidence as service
from app.services.evidence import Subject
from app.services.exports import export_data

from .. import factories
from ..apiclient import Caller
from ..webclient import login
from .test_exports import pdf_text

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOTES = b"# Training records\n\nEveryone on the team, 2026.\n"
SCRIPT = "<script>alert('pack')</script> Skills matrix"
LINK = "https://wiki.example.test/audits/2026?x=1&y=<2>"


@dataclass
class World:
    email: str
    assessment_id: int
    stranger: str
    matrix: int  # the PDF on competence_records (7.2), whose title is a script tag
    shared: int  # the same PDF bytes on context_and_parties (4.1 and 4.2)
    notes: int  # a Markdown file on competence_records, carried over and to be confirmed
    link: int  # a link on internal_audit_held (9.2)
    action: int  # a file on the plan action write-scope
    gone: int  # deleted: in no export


@pytest.fixture
def world(db_app) -> World:
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Brightpath <Labs>")
        assessment = factories.assessment(owner, organisation.id, title="Gap analysis")
        _, stranger = factories.organisation(name="Other")
        for question in ("competence_records", "context_and_parties", "internal_audit_held"):
            assessments.save_answer(owner, assessment.id, question, "yes")
        assessments.save_answer(owner, assessment.id, "scope_documented", "no")  # puts write-scope in the plan
        matrix = service.add_file(owner, assessment.id, Subject.answer("competence_records"), PDF, "matrix.pdf", SCRIPT)
        shared = service.add_file(owner, assessment.id, Subject.answer("context_and_parties"), PDF, "../../ctx.pdf")
        notes = service.add_file(owner, assessment.id, Subject.answer("competence_records"), NOTES, "training.md")
        notes.to_confirm = True  # as a repeat leaves what it carried over
        link = service.add_link(owner, assessment.id, Subject.answer("internal_audit_held"), LINK, "Audit programme")
        action = service.add_file(owner, assessment.id, Subject.action("write-scope"), NOTES, "scope.md", "Scope")
        gone = service.add_link(owner, assessment.id, Subject.answer("competence_records"), "https://x.test/", "Old")
        service.delete(owner, assessment.id, Subject.answer("competence_records"), gone.id)
        db.session.commit()
        return World(
            owner.email, assessment.id, stranger.email, matrix.id, shared.id, notes.id, link.id, action.id, gone.id
        )


def owner_of(world: World) -> User:
    return db.session.scalars(sa.select(User).where(User.email == world.email)).one()


def fetch(db_app, email: str, assessment_id: int, what: str, status: int = 200):
    client = db_app.test_client()
    login(client, email)
    response = client.get(f"/workspace/assessments/{assessment_id}/export/{what}")
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response


def open_pack(response) -> zipfile.ZipFile:
    assert response.mimetype == "application/zip"
    disposition = response.headers["Content-Disposition"]
    assert (
        disposition.startswith('attachment; filename="brightpath-labs-assessment-') and "-evidence-pack-" in disposition
    )
    assert "no-store" in response.headers["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(response.data))


def index_csv(archive: zipfile.ZipFile) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))


def test_the_pack_holds_every_live_file_byte_for_byte_under_each_clause_it_serves(db_app, world):
    archive = open_pack(fetch(db_app, world.email, world.assessment_id, "evidence-pack.zip"))
    assert archive.testzip() is None
    names = sorted(archive.namelist())
    context = f"context_and_parties/{world.shared}-ctx.pdf"  # the file serves two clauses: in the pack twice
    assert names == sorted(
        [
            "index.csv",
            "index.html",
            f"4.1 Understanding the organization and its context/{context}",
            f"4.2 Understanding the needs and expectations of interested parties/{context}",
            f"7.2 Competence/competence_records/{world.matrix}-matrix.pdf",
            f"7.2 Competence/competence_records/{world.notes}-training.md",
            f"plan/write-scope/{world.action}-scope.md",
        ]
    ), names
    for name in names:
        assert not name.startswith("/") and ".." not in name.split("/")
    for name in (n for n in names if n.endswith(".pdf")):
        assert archive.read(name) == PDF
    assert archive.read(f"plan/write-scope/{world.action}-scope.md") == NOTES


def test_the_pack_index_lists_files_links_and_status_with_their_digests(db_app, world):
    archive = open_pack(fetch(db_app, world.email, world.assessment_id, "evidence-pack.zip"))
    rows = index_csv(archive)
    assert list(rows[0]) == [
        "Clause", "Question or action", "Answer or status", "Title", "Kind", "Path in the pack or address", "SHA-256",
        "Added by", "Added at (UTC)", "Status",
    ]  # fmt: skip
    by_place = {(r["Clause"], r["Title"]): r for r in rows}
    assert [r["Clause"].split(" ")[0] for r in rows] == ["4.1", "4.2", "7.2", "7.2", "9.2", "plan"]
    matrix = by_place[("7.2 Competence", SCRIPT)]
    assert matrix["Kind"] == "file" and matrix["Answer or status"] == "Yes" and matrix["Added by"] == world.email
    assert matrix["SHA-256"] == hashlib.sha256(PDF).hexdigest() == hashlib.sha256(archive.read(matrix[
        "Path in the pack or address"])).hexdigest()  # fmt: skip
    assert matrix["Status"] == "backs the answer" and matrix["Added at (UTC)"]
    notes = by_place[("7.2 Competence", "training.md")]
    assert notes["Status"] == "carried over, to confirm"
    assert hashlib.sha256(archive.read(notes["Path in the pack or address"])).hexdigest() == notes["SHA-256"]
    link = next(r for r in rows if r["Kind"] == "link")
    assert link["Path in the pack or address"] == LINK and link["SHA-256"] == "" and link["Clause"].startswith("9.2 ")
    action = next(r for r in rows if r["Clause"] == "plan")
    assert action["Title"] == "Scope" and action["Status"] == "for the plan action"
    assert action["Answer or status"] == "To do"
    assert "Old" not in {r["Title"] for r in rows}  # deleted evidence is in no export


def test_the_pack_html_index_is_self_contained_and_escapes_what_users_typed(db_app, world):
    archive = open_pack(fetch(db_app, world.email, world.assessment_id, "evidence-pack.zip"))
    html = archive.read("index.html").decode()
    assert "<script" not in html.lower()  # the title is shown as text, no script of ours either
    assert "&lt;script&gt;alert(&#39;pack&#39;)&lt;/script&gt; Skills matrix" in html
    assert "Brightpath &lt;Labs&gt;" in html and "y=&lt;2&gt;" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # nothing loaded from anywhere
    assert "<link" not in html and "@import" not in html and "<style>" in html
    assert f'href="7.2%20Competence/competence_records/{world.matrix}-matrix.pdf"' in html  # opens the file
    assert html.count("<tr>") == 1 + 6  # the header and one row per index entry


def test_a_stored_file_is_read_once_however_many_times_it_is_attached(db_app, world, monkeypatch):
    reads: list[str] = []
    with db_app.app_context():
        storage = evidence_storage()
        original = storage.get

        def counting(digest):
            reads.append(digest)
            return original(digest)

        monkeypatch.setattr(storage, "get", counting)
    fetch(db_app, world.email, world.assessment_id, "evidence-pack.zip")
    assert sorted(reads) == sorted([hashlib.sha256(PDF).hexdigest(), hashlib.sha256(NOTES).hexdigest()])


def test_an_assessment_without_evidence_gets_a_pack_of_its_index_saying_so(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Brightpath <Labs>")
        assessment = factories.assessment(owner, organisation.id)
        email, assessment_id = owner.email, assessment.id
    archive = open_pack(fetch(db_app, email, assessment_id, "evidence-pack.zip"))
    assert sorted(archive.namelist()) == ["index.csv", "index.html"]
    assert index_csv(archive) == []
    assert archive.read("index.csv").decode("utf-8-sig").startswith("Clause,Question or action,")
    assert "No evidence has been added to this assessment" in archive.read("index.html").decode()


def test_a_file_the_storage_no_longer_has_is_said_missing_in_the_index(db_app, world):
    with db_app.app_context():
        stored = evidence_storage()._path(hashlib.sha256(NOTES).hexdigest())
        stored.unlink()
    archive = open_pack(fetch(db_app, world.email, world.assessment_id, "evidence-pack.zip"))
    missing = [r for r in index_csv(archive) if r["SHA-256"] == hashlib.sha256(NOTES).hexdigest()]
    assert len(missing) == 2 and {r["Path in the pack or address"] for r in missing} == {
        "missing from the evidence storage"
    }
    assert not [n for n in archive.namelist() if n.endswith(".md")]
    assert [n for n in archive.namelist() if n.endswith("matrix.pdf")]


def test_another_organisations_member_gets_404_for_every_evidence_export(db_app, world):
    for what in ("evidence-pack.zip", "workbook.xlsx", "report.pdf"):
        response = fetch(db_app, world.stranger, world.assessment_id, what, status=404)
        assert b"Skills matrix" not in response.data and b"PK\x03\x04" not in response.data[:4]


def test_names_in_the_pack_cannot_climb_out_or_be_absolute():
    for hostile in ("../../etc/passwd", "/etc/passwd", "..", ".", "a/../../b", "C:\\Windows\\x", "\x00\x1f.pdf", ""):
        part = safe_part(hostile)
        assert part and "/" not in part and "\\" not in part and not part.startswith(".") and part not in (".", "..")
    assert safe_part("Évaluation (v2) + notes.pdf") == "Évaluation (v2) + notes.pdf"
    assert len(safe_part("a" * 300 + ".pdf")) <= 80 and safe_part("a" * 300 + ".pdf").endswith(".pdf")

    @dataclass
    class Row:
        sha256: str = hashlib.sha256(PDF).hexdigest()
        kind: str = "file"

    with pytest.raises(ValueError, match="unsafe name"):  # the last guard, should a path ever be made elsewhere
        write_zip(io.BytesIO(), [PackEntry("", Row(), "a/../../b.pdf")], {}, lambda digest: PDF)
    with pytest.raises(ValueError, match="other bytes"):  # never a file under a digest that is not its own
        write_zip(io.BytesIO(), [PackEntry("", Row(), "a/b.pdf")], {}, lambda digest: b"tampered")


def test_the_workbook_has_an_evidence_sheet_with_every_live_record(db_app, world):
    workbook = openpyxl.load_workbook(io.BytesIO(fetch(db_app, world.email, world.assessment_id, "workbook.xlsx").data))
    assert workbook.sheetnames[-1] == "Evidence"
    sheet = list(workbook["Evidence"].iter_rows(values_only=True))
    header = list(sheet[0])
    assert header == [
        "Clauses", "Question id", "Action", "Question or action", "Answer or status", "Title", "Kind", "File or link",
        "SHA-256", "Size (bytes)", "Added by", "Added at (UTC)", "Status",
    ]  # fmt: skip
    rows = {r[header.index("Title")]: dict(zip(header, r, strict=True)) for r in sheet[1:]}
    with db_app.app_context():
        live = [e for e in db.session.query(Evidence).filter_by(assessment_id=world.assessment_id) if not e.deleted]
        questions = {q.id: q.text for q in knowledge_base().questionnaire("quick-scan").questions}
        assert sorted(rows) == sorted(e.title for e in live)
        for item in live:
            row = rows[item.title]
            assert row["SHA-256"] == (item.sha256 or None) and row["Size (bytes)"] == item.size
            assert row["File or link"] == (item.url or item.filename)
            assert row["Kind"] == item.kind.value and row["Added by"] == world.email
            assert row["Added at (UTC)"] == item.added_at.replace(tzinfo=None, microsecond=0)
            if item.question_id:
                assert (
                    row["Question id"] == item.question_id and row["Question or action"] == questions[item.question_id]
                )
    matrix = rows[SCRIPT]
    assert (matrix["Clauses"], matrix["Answer or status"], matrix["Status"]) == ("7.2", "Yes", "backs the answer")
    assert rows["ctx.pdf"]["Clauses"] == "4.1, 4.2"
    assert rows["training.md"]["Status"] == "carried over, to confirm"
    assert (rows["Scope"]["Action"], rows["Scope"]["Question id"], rows["Scope"]["Status"]) == (
        "write-scope", None, "for the plan action"
    )  # fmt: skip
    assert "Old" not in rows


def test_the_pdf_lists_each_clauses_evidence_and_still_renders(db_app, world):
    with db_app.test_request_context():
        owner = owner_of(world)
        html = render_template(
            "exports/report.html", **report_context(export_data(owner, world.assessment_id, with_evidence=True))
        )
    section = html[html.index('id="evidence-heading"') :]
    headings = re.findall(r"<h3>(.*?)</h3>", section)
    assert headings[:4] == [
        "4.1 Understanding the organization and its context",
        "4.2 Understanding the needs and expectations of interested parties",
        "7.2 Competence",
        "9.2 Internal audit",
    ]
    assert headings[-1] == "Plan actions"
    competence = section[section.index("<h3>7.2 Competence</h3>") : section.index("<h3>9.2 Internal audit</h3>")]
    assert "&lt;script&gt;alert(&#39;pack&#39;)&lt;/script&gt; Skills matrix" in competence
    assert "matrix.pdf" in competence and hashlib.sha256(PDF).hexdigest()[:12] in competence
    assert hashlib.sha256(PDF).hexdigest()[:13] not in competence  # short digests only
    assert "training.md" in competence and "carried over, to confirm" in competence
    assert LINK.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in section
    assert "<script" not in html
    assert "Old" not in re.sub(r"<[^>]+>", " ", section).split()

    pdf = fetch(db_app, world.email, world.assessment_id, "report.pdf").data
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Evidence by clause" in text and "7.2 Competence" in text and "matrix.pdf" in text


def test_the_assessment_page_links_the_evidence_pack(db_app, world):
    client = db_app.test_client()
    login(client, world.email)
    page = client.get(f"/workspace/assessments/{world.assessment_id}").get_data(as_text=True)
    assert f'href="/workspace/assessments/{world.assessment_id}/export/evidence-pack.zip"' in page


def test_a_reference_from_the_repository_is_listed_with_its_path(db_app, world):
    with db_app.app_context():
        owner = owner_of(world)
        assessment = tenancy.assessment_for(owner, world.assessment_id)
        service.add_reference(owner, assessment, "internal_audit_held", "team/app", "docs/audit.md", "c" * 40)
        db.session.commit()
    rows = index_csv(open_pack(fetch(db_app, world.email, world.assessment_id, "evidence-pack.zip")))
    reference = next(r for r in rows if r["Kind"] == "reference")
    assert reference["Path in the pack or address"] == "docs/audit.md"
    assert reference["Title"] == f"docs/audit.md in team/app at commit {'c' * 12}"


def test_the_api_serves_the_same_pack_to_members_only(db_app, world):
    with db_app.app_context():
        _, owner_token = accounts.create_api_token(owner_of(world), "pack")
        stranger = db.session.scalars(sa.select(User).where(User.email == world.stranger)).one()
        _, stranger_token = accounts.create_api_token(stranger, "pack")
    path = f"/assessments/{world.assessment_id}/evidence-pack"
    response = Caller(db_app.test_client(), owner_token).get(path)
    assert response.status_code == 200
    archive = open_pack(response)
    web = open_pack(fetch(db_app, world.email, world.assessment_id, "evidence-pack.zip"))
    assert sorted(archive.namelist()) == sorted(web.namelist())
    assert archive.read(f"7.2 Competence/competence_records/{world.matrix}-matrix.pdf") == PDF
    refused = Caller(db_app.test_client(), stranger_token).get(path)
    assert refused.status_code == 404 and refused.is_json and b"Skills matrix" not in refused.data
    assert db_app.test_client().get(f"/api/v1{path}").status_code == 401


def test_a_pack_larger_than_memory_allows_is_built_on_disk_and_streamed_whole(db_app, world, monkeypatch):
    monkeypatch.setattr(views, "PACK_IN_MEMORY", 256)  # the spooled file moves to disk after 256 bytes
    spooled: list = []
    original = views.tempfile.SpooledTemporaryFile

    def spy(*args, **kwargs):
        spooled.append(original(*args, **kwargs))
        return spooled[-1]

    monkeypatch.setattr(views.tempfile, "SpooledTemporaryFile", spy)
    response = fetch(db_app, world.email, world.assessment_id, "evidence-pack.zip")
    assert response.is_streamed and int(response.headers["Content-Length"]) == len(response.data)
    assert spooled[0]._rolled and spooled[0].closed  # on disk while built, closed once sent
    assert open_pack(response).read(f"7.2 Competence/competence_records/{world.matrix}-matrix.pdf") == PDF


def test_the_workbook_and_the_pdf_give_readiness_as_claimed_and_as_evidenced(db_app, world):
    with db_app.app_context():  # a policy claimed, with no record of it attached
        assessments.save_answer(owner_of(world), world.assessment_id, "quality_policy", "yes")
    workbook = openpyxl.load_workbook(io.BytesIO(fetch(db_app, world.email, world.assessment_id, "workbook.xlsx").data))
    assert workbook.sheetnames[-3:] == ["Readiness", "Claims", "Evidence"]
    with db_app.test_request_context():
        owner = owner_of(world)
        data = export_data(owner, world.assessment_id, with_evidence=True)
        report = data.report
        html = render_template("exports/report.html", **report_context(data))
    readiness = list(workbook["Readiness"].iter_rows(values_only=True))
    assert readiness[0] == ("Clause group", "Claimed", "Evidenced")
    assert readiness[1] == ("Overall", report.readiness.overall, report.evidenced.readiness.overall)
    assert report.evidenced.readiness.overall < report.readiness.overall  # the policy counts as "don't know"
    claims = list(workbook["Claims"].iter_rows(values_only=True))
    header = claims[0]
    backed = {r[header.index("Question id")]: r[header.index("Backed by evidence")] for r in claims[1:]}
    # Backed by a live record (a carried-over one waiting to be confirmed would not count); the policy is not;
    # every claim is listed once.
    assert backed["competence_records"] == "yes" and backed["internal_audit_held"] == "yes"
    assert backed["quality_policy"] == "no"
    assert len(backed) == len(claims) - 1 == len(report.evidenced.claims)
    assert {q for q, b in backed.items() if b == "no"} == {c.question for c in report.evidenced.unevidenced}
    line = re.sub(r"\s+", " ", html[html.index('class="evidenced"') :].split("</p>")[0])
    assert f"Evidenced <strong>{report.evidenced.readiness.overall}/100</strong>" in line
    assert f"{len(report.evidenced.unevidenced)} of {len(report.evidenced.claims)} claims" in line
    policy = next(c for c in report.evidenced.unevidenced if c.question == "quality_policy")
    assert "Claims without a record" in html and policy.text in html
