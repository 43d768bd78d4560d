"""Word documents: text from every place a writer puts it, locations a Word user can find, hostile files."""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from conftest import run_cli, snapshot

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSMAP = f'xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml"'
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def xml(fragment: str):
    return etree.fromstring(f"<w:wrap {NSMAP}>{fragment}</w:wrap>")[0]


def add_footnote(document, text: str) -> None:
    body = (f'<w:footnotes {NSMAP}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
            f'</w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote></w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                body.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def build(path, modified=dt.datetime(2024, 4, 15, 9, 0)):
    """A draft with text in every place the reader looks, each carrying a known phrase."""
    document = docx.Document()
    document.core_properties.title = "Have your say on buses"
    document.core_properties.modified = modified
    document.add_heading("Bus strategy", level=1)                                   # block 1
    document.add_paragraph("")                                                     # empty: not counted
    document.add_paragraph("Our consultation opens today.")                         # block 2
    document.add_paragraph("Greenacre is the preferred bidder.", style="List Bullet")  # block 3: a list
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Item"                                                  # block 4
    table.cell(0, 1).text = "Detail"                                                # block 5
    table.cell(1, 0).text = "Contract"                                              # block 6
    inner = table.cell(1, 1).add_table(rows=1, cols=1)
    table.cell(1, 1).paragraphs[0].text = "See below"                               # block 7
    inner.cell(0, 0).text = "The council has awarded a contract."                   # block 8
    tracked = document.add_paragraph("Tenants ")                                     # block 9: paragraph 4
    tracked._p.append(xml('<w:ins w:id="1" w:author="A"><w:r><w:t>can still have your say</w:t></w:r></w:ins>'))
    tracked._p.append(xml('<w:del w:id="2" w:author="A"><w:r><w:delText> awarded the contract</w:delText></w:r></w:del>'))
    boxed = document.add_paragraph("Box follows.")                                   # block 10: paragraph 5
    boxed._p.append(xml('<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r>'
                        '<w:t>There is still time to respond.</w:t></w:r></w:p></w:txbxContent></v:textbox>'
                        '</v:shape></w:pict></w:r>'))                                 # block 11: its text box
    picture = document.add_paragraph().add_run().add_picture(io.BytesIO(PNG))      # no text: not numbered
    picture._inline.docPr.set("descr", "Poster: tell us what you think")            # block 12
    commented = document.add_paragraph("Final words.")                              # block 13: paragraph 6
    document.add_comment(commented.runs, text="Have your say is fine here", author="Editor")  # block 17
    # After the body: header (14), footer (15), footnotes (16), comments (17), properties (18).
    document.sections[0].header.paragraphs[0].text = "Leisure contract awarded to Active Trust"
    document.sections[0].footer.paragraphs[0].text = "Outsourcing of catering"
    add_footnote(document, "A call for evidence ran alongside.")
    document.save(path)
    return path


def findings(path, *options):
    result = run_cli("check", "--in-window", "--format", "json", *options, path)
    assert "Traceback" not in result.stderr
    return result


def test_every_location_kind(tmp_path):
    path = build(tmp_path / "draft.docx")
    before = snapshot([path])
    report = findings(path).json()
    assert report["files"][0]["format"] == "docx" and report["files"][0]["error"] is None
    got = {(f["line"], f["column"], f["code"], f["location"]) for f in report["findings"]}
    assert got == {
        (2, 5, "PE301", "paragraph 2"),
        (3, 18, "PE202", "paragraph 3"),
        (8, 17, "PE201", "table 1, row 2, cell 2, table, row 1, cell 1"),
        (9, 19, "PE301", "paragraph 4"),
        (11, 10, "PE302", "text box in paragraph 5"),
        (12, 9, "PE301", "image 1 description"),
        (14, 9, "PE201", "header"),
        (15, 1, "PE203", "footer"),
        (16, 3, "PE301", "footnote 1"),
        (17, 1, "PE301", "comment 0"),
        (18, 1, "PE301", "document title"),
    }
    assert snapshot([path]) == before


def test_location_shows_in_text_output(tmp_path):
    path = build(tmp_path / "draft.docx")
    output = run_cli("check", "--in-window", "--select", "PE202", path).stdout
    assert f"{path}:3:18: PE202 warning [procurement] This names a preferred bidder or provider ('preferred bidder'). " \
           "(paragraph 3) (window: in-window)" in output


def test_deleted_text_is_not_read_and_inserted_text_is(tmp_path):
    path = build(tmp_path / "draft.docx")
    report = findings(path, "--select", "PE201").json()
    assert {f["location"] for f in report["findings"]} == {"table 1, row 2, cell 2, table, row 1, cell 1", "header"}


def test_document_modified_date_is_the_as_of_date(tmp_path):
    path = build(tmp_path / "draft.docx", modified=dt.datetime(2024, 4, 15))
    config = tmp_path / "c.toml"
    config.write_text('[[windows]]\nid = "local.2024-05-02"\nstart = 2024-03-21\nend = 2024-05-02\n', encoding="utf-8")
    report = run_cli("check", "--config", config, "--format", "json", path).json()
    assert (report["files"][0]["as_of"], report["files"][0]["as_of_source"]) == ("2024-04-15", "document:date")
    assert report["findings"]
    later = build(tmp_path / "later.docx", modified=dt.datetime(2024, 6, 1))
    assert run_cli("check", "--config", config, "--format", "json", later).json()["findings"] == []


def valid_bytes(tmp_path) -> bytes:
    return build(tmp_path / "source.docx").read_bytes()


def zip_with(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


HOSTILE = {
    "random.docx": lambda tmp: b"this is not a zip archive at all",
    "truncated.docx": lambda tmp: valid_bytes(tmp)[:2000],
    "protected.docx": lambda tmp: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le"),
    "old.docx": lambda tmp: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
    "bomb.docx": lambda tmp: zip_with({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<" + b" " * 300_000_000}),
    "many.docx": lambda tmp: zip_with({f"part{i}.xml": b"x" for i in range(2_100)}),
    "macros.docx": lambda tmp: zip_with({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<x/>",
                                         "word/vbaProject.bin": b"\0"}),
    "macros.docm": lambda tmp: valid_bytes(tmp),
    "notword.docx": lambda tmp: zip_with({"hello.txt": b"hi"}),
    "badxml.docx": lambda tmp: zip_with({name: (b"<w:document" if name == "word/document.xml" else data)
                                        for name, data in _entries(valid_bytes(tmp)).items()}),
}
WORDS = {
    "random.docx": "corrupt or truncated .docx", "truncated.docx": "corrupt or truncated .docx",
    "protected.docx": "password-protected Word document", "old.docx": "old binary Word format (.doc)",
    "bomb.docx": "would expand to", "many.docx": "parts, over the limit", "macros.docx": "macro-enabled",
    "macros.docm": "macro-enabled", "notword.docx": "not a Word document", "badxml.docx": "corrupt .docx",
}


def _entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_word_files_give_one_line_errors(tmp_path, name):
    (tmp_path / name).write_bytes(HOSTILE[name](tmp_path))
    (tmp_path / "good.md").write_text("Our consultation opens today.\n", encoding="utf-8")
    before = snapshot([tmp_path])
    result = run_cli("check", "--in-window", "--format", "json", name, "good.md", cwd=tmp_path)
    assert result.code == 2 and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith(f"{name}: error: ")]
    assert len(errors) == 1 and WORDS[name] in errors[0], result.stderr
    assert [f["path"] for f in result.json()["findings"]] == ["good.md"]
    assert snapshot([tmp_path]) == before


def test_docx_is_found_when_walking_folders(tmp_path):
    (tmp_path / "drafts").mkdir()
    build(tmp_path / "drafts" / "a.docx")
    report = findings(tmp_path / "drafts").json()
    assert [f["path"] for f in report["files"]] == [str(tmp_path / "drafts" / "a.docx")]


def test_checking_markdown_does_not_import_python_docx(tmp_path):
    import subprocess
    import sys

    (tmp_path / "a.md").write_text("Hello.\n", encoding="utf-8")
    probe = "import sys; from purdah_lint.cli import main; main(['check', 'a.md']); print('docx' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True).stdout
    assert output.strip().endswith("False")


def test_list_and_heading_styles_set_the_scope(tmp_path):
    from purdah_lint.inputs.formats import read_document

    document = read_document(str(build(tmp_path / "draft.docx")))
    scopes = {segment.location: segment.scope for segment in document.segments}
    assert (scopes["paragraph 1"], scopes["paragraph 2"], scopes["paragraph 3"]) == ("heading", "paragraph", "list")
