"""Evidence files: the content checks, and both storage backends (S3 against moto's server, over real HTTP)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from app.evidence_files import FolderStorage, Refused, S3Storage, accepted

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_pdf_is_recognised_from_its_content_whatever_its_name():
    found = accepted(PDF, "../../etc/review minutes.txt")
    assert found.content_type == "application/pdf"
    assert found.filename == "etc_review_minutes.pdf"
    assert found.sha256 == hashlib.sha256(PDF).hexdigest()
    assert found.size == len(PDF)


def test_png_text_csv_json_and_office_documents_are_taken():
    assert accepted(PNG, "board.png").content_type == "image/png"
    assert accepted(b"a,b\n1,2\n", "risks.csv").content_type == "text/csv"
    assert accepted(b"# Done\n", "dod.md").content_type == "text/markdown"
    assert accepted(json.dumps({"a": 1}).encode(), "x.json").content_type == "application/json"
    assert accepted(b"note", "notes").filename == "notes.txt"
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    assert accepted(docx, "policy.docx").content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b"MZ\x90\x00" + b"\x00" * 60, "report.pdf", "not taken as evidence"),  # an .exe named .pdf
        (_zip({"a.txt": b"x"}), "archive.docx", "application/zip"),  # a plain ZIP is no office document
        (b"{not json", "data.json", "not valid JSON"),
        (b"", "empty.txt", "empty"),
        (b"\xff\xfe\x00bin", "x.txt", "not a kind"),
    ],
    ids=["executable", "plain-zip", "bad-json", "empty", "binary"],
)
def test_other_kinds_are_refused_saying_why(data, name, says):
    with pytest.raises(Refused, match=says):
        accepted(data, name)


def test_the_size_limit_is_configurable_and_said():
    with pytest.raises(Refused, match="at most 0.0 MB"):
        accepted(b"x" * 2000, "big.txt", max_bytes=1000)
    assert accepted(b"x" * 1000, "fits.txt", max_bytes=1000).size == 1000


def _round_trip(storage):
    digest = storage.put(PDF)
    assert digest == hashlib.sha256(PDF).hexdigest()
    assert storage.put(PDF) == digest  # content-addressed: stored once
    assert storage.exists(digest)
    assert storage.get(digest) == PDF
    missing = "0" * 64
    assert not storage.exists(missing)
    with pytest.raises(KeyError):
        storage.get(missing)
    with pytest.raises(KeyError):
        storage.get("../../secrets")  # not a digest: never a path


def test_the_folder_backend_keeps_bytes_by_their_digest(tmp_path):
    storage = FolderStorage(tmp_path)
    _round_trip(storage)
    digest = hashlib.sha256(PDF).hexdigest()
    assert (tmp_path / digest[:2] / digest).read_bytes() == PDF


def test_the_s3_backend_keeps_bytes_by_their_digest(s3_endpoint):
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(Bucket="evidence")
    storage = S3Storage("evidence", client=client)
    _round_trip(storage)
    digest = hashlib.sha256(PDF).hexdigest()
    assert client.get_object(Bucket="evidence", Key=f"evidence/{digest}")["Body"].read() == PDF


def test_the_settings_choose_the_backend(tmp_path, s3_endpoint, monkeypatch):
    from app.evidence_files.storage import from_settings

    assert isinstance(from_settings({}, tmp_path), FolderStorage)
    assert from_settings({}, tmp_path).root == tmp_path / "evidence"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    chosen = from_settings({"EVIDENCE_S3_BUCKET": "shared", "EVIDENCE_S3_ENDPOINT": s3_endpoint}, tmp_path)
    assert isinstance(chosen, S3Storage)
    chosen.client.create_bucket(Bucket="shared")
    assert chosen.get(chosen.put(b"minutes")) == b"minutes"
