"""PDF documents: reading order, page furniture, hyphens and ligatures, places by page and line, hostile files."""

from __future__ import annotations

import io
import subprocess
import sys
import zlib

import pytest
from fpdf import FPDF
from PIL import Image

from conftest import run_cli, snapshot
from pdfmaker import HEADER, draft, lines, one_page, raw_pdf, save, stream, text_ops


def check(path, *options, cwd=None):
    result = run_cli("check", "--in-window", "--format", "json", *options, str(path), cwd=cwd)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def places(report) -> set[tuple]:
    return {(f["code"], f["line"], f["location"], f["match"]) for f in report["findings"]}


def two_columns(path):
    """Page 1: a title across the page, then two columns; page 2: one column with a finding on line 3."""
    pdf = draft()
    pdf.add_page()
    lines(pdf, ["Spring update for residents"])                          # page 1, line 2 (after the header)
    top = pdf.get_y() + 4
    pdf.set_xy(10, top)
    pdf.multi_cell(85, 5, "The parks service has been reviewed this year.\nGrass is cut every two weeks.\n"
                          "Paths are swept on Mondays.\nBins are emptied daily.", new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(110, top)
    pdf.multi_cell(85, 5, "Libraries keep their hours.\nOur consultation opens today.\nThe mobile library visits "
                          "on Fridays.", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    lines(pdf, ["Notes on contracts", "The council has awarded a contract to Greenacre."])
    return save(path, pdf)


def test_two_columns_read_column_by_column_and_located_by_page_and_line(tmp_path):
    path = two_columns(tmp_path / "update.pdf")
    before = snapshot([path])
    report = check(path).json()
    assert report["files"][0]["format"] == "pdf" and report["files"][0]["error"] is None
    # Page 1: header 1, title 2, left column 3-6, right column 7-9, footer 10. Page 2 starts at line 11.
    assert places(report) == {("PE301", 8, "page 1, line 8", "consultation opens"),
                              ("PE201", 13, "page 2, line 3", "awarded a contract")}
    assert snapshot([path]) == before
    from purdah_lint.inputs.formats import read_document

    text = " ".join(segment.text for segment in read_document(str(path)).segments)
    assert text.index("Bins are emptied daily.") < text.index("Libraries keep their hours.")
    assert text.index("Spring update") < text.index("The parks service")


def test_location_in_text_github_and_sarif_output(tmp_path):
    path = two_columns(tmp_path / "update.pdf")
    text = run_cli("check", "--in-window", "--select", "PE201", path).stdout
    assert f"{path}:13:" in text and "(page 2, line 3)" in text
    github = run_cli("check", "--in-window", "--select", "PE201", "--format", "github", path).stdout
    assert "line=13" in github and "(page 2, line 3)" in github
    sarif = run_cli("check", "--in-window", "--select", "PE201", "--format", "sarif", path).json()
    result = sarif["runs"][0]["results"][0]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 13 and region["message"]["text"] == "page 2, line 3"
    assert result["properties"]["location"] == "page 2, line 3"


def test_running_header_and_footer_are_read_once(tmp_path):
    pdf = draft()
    pdf.set_title("Leisure strategy")
    for number in range(1, 5):
        pdf.add_page()
        lines(pdf, [f"Chapter {number} sets out the changes to the plan.", f"Nothing to flag on page {number}."])
    path = save(tmp_path / "furniture.pdf", pdf)
    from purdah_lint.inputs.formats import read_document

    texts = [segment.text for segment in read_document(str(path)).segments]
    assert texts.count(HEADER) == 1 and sum(text.startswith("Page ") for text in texts) == 1
    assert sum(text.startswith("Chapter ") for text in texts) == 4  # body lines that differ are all read
    # A phrase in the running header is reported once, at its first appearance.
    pdf = draft()
    pdf.header = lambda: (pdf.set_font("Helvetica", size=9), pdf.cell(0, 8, "Have your say on the bus plan"),
                          pdf.ln(12), pdf.set_font("Helvetica", size=11))
    for number in range(3):
        pdf.add_page()
        lines(pdf, [f"Section {number + 1} text."])
    report = check(save(tmp_path / "header.pdf", pdf)).json()
    assert [(f["code"], f["location"]) for f in report["findings"]] == [("PE301", "page 1, line 1")]


def test_hyphenated_line_ends_are_joined_and_real_hyphens_kept(tmp_path):
    pdf = draft()
    pdf.add_page()
    lines(pdf, ["We will hold a public consul-", "tation on the parks plan.",
                "Guidance for the pre-election period applies. Read the pre-", "election guidance first."])
    path = save(tmp_path / "hyphens.pdf", pdf)
    from purdah_lint.inputs.formats import read_document

    text = " ".join(segment.text for segment in read_document(str(path)).segments)
    assert "public consultation on the parks plan" in text
    assert "Read the pre-election guidance" in text
    # The joined word is found, and reported where it starts.
    pdf = draft()
    pdf.add_page()
    lines(pdf, ["The parks team says the consul-", "tation opens today."])
    report = check(save(tmp_path / "broken.pdf", pdf), "--select", "PE301").json()
    # Line 1 is the running header; the match starts on line 2 and ends on line 3.
    assert [(f["line"], f["column"], f["end_line"], f["location"]) for f in report["findings"]] == \
        [(2, 25, 3, "page 1, line 2")]
    assert report["findings"][0]["match"].startswith("consultation")


def test_ligatures_and_compatibility_characters_are_normalised(tmp_path):
    # A Type 1 font whose codes 1 and 2 draw the "fi" and "ff" ligature glyphs, as TeX and InDesign write them.
    font = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
            b"/BaseEncoding /WinAnsiEncoding /Differences [1 /fi 2 /ff] >> >>")
    content = text_ops(b"The council has con\x01rmed a new strategy for sta\x02 parking.")
    path = save(tmp_path / "ligatures.pdf", one_page(content, font=font))
    from purdah_lint.inputs.formats import read_document

    text = read_document(str(path)).segments[0].text
    assert "confirmed a new strategy for staff parking" in text and "\ufb01" not in text
    report = check(path, "--select", "PE101").json()
    assert [f["match"] for f in report["findings"]] == ["confirmed a new strategy"]  # "con\ufb01rmed" matched


def test_table_cells_read_row_by_row(tmp_path):
    pdf = draft()
    pdf.add_page()
    lines(pdf, ["Budget summary for the year ahead."])
    with pdf.table(col_widths=(30, 70)) as table:
        for row in (("Item", "Detail"), ("Parks", "Grass cutting continues as before."),
                    ("Contract", "The council has awarded a contract to Greenacre.")):
            cells = table.row()
            for cell in row:
                cells.cell(cell)
    lines(pdf, ["After the table."])
    path = save(tmp_path / "table.pdf", pdf)
    from purdah_lint.inputs.formats import read_document

    texts = [segment.text for segment in read_document(str(path)).segments]
    assert texts[1:9] == ["Budget summary for the year ahead.", "Item", "Detail", "Parks",
                          "Grass cutting continues as before.", "Contract",
                          "The council has awarded a contract to Greenacre.", "After the table."]
    assert places(check(path, "--select", "PE201").json()) == {("PE201", 8, "page 1, line 8", "awarded a contract")}


def test_javascript_attachments_and_form_fields_are_never_read(tmp_path):
    javascript = b"<< /S /JavaScript /JS (app.alert\\('Our consultation opens today'\\);) >>"
    attachment = stream(b"Our consultation opens today.", b"/Type /EmbeddedFile")
    content = text_ops(b"Opening hours are unchanged.")
    data = one_page(
        content,
        catalog_extra=b"/OpenAction 6 0 R /Names << /EmbeddedFiles << /Names [(notes.txt) 8 0 R] >> >> "
                      b"/AcroForm << /Fields [9 0 R] >>",
        page_extra=b"/Annots [9 0 R]",
        more=[javascript, attachment,
              b"<< /Type /Filespec /F (notes.txt) /EF << /F 7 0 R >> >>",
              b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (q) /V (Have your say on buses) /Rect [72 600 300 620] "
              b"/Contents (The council has awarded a contract) >>"])
    report = check(save(tmp_path / "active.pdf", data)).json()
    assert report["files"][0]["error"] is None and report["findings"] == []
    assert sorted(tmp_path.iterdir()) == [tmp_path / "active.pdf"]  # nothing extracted beside it


def test_document_title_is_checked_and_dates_give_the_as_of_date(tmp_path):
    pdf = draft()
    pdf.set_title("Have your say on buses")
    import datetime as dt

    pdf.set_creation_date(dt.datetime(2024, 4, 15, 9, 0, tzinfo=dt.timezone.utc))
    pdf.add_page()
    lines(pdf, ["Bus times are unchanged."])
    report = check(save(tmp_path / "titled.pdf", pdf)).json()
    assert [(f["code"], f["location"]) for f in report["findings"]] == [("PE301", "document title")]
    config = tmp_path / "c.toml"
    config.write_text('[[windows]]\nid = "local.2024-05-02"\nstart = 2024-03-21\nend = 2024-05-02\n', encoding="utf-8")
    dated = run_cli("check", "--config", config, "--format", "json", tmp_path / "titled.pdf").json()
    assert (dated["files"][0]["as_of"], dated["files"][0]["as_of_source"]) == ("2024-04-15", "document:date")


def test_central_waiver_and_baseline_cover_pdf_findings(tmp_path):
    two_columns(tmp_path / "update.pdf")
    (tmp_path / "purdah-waivers.yaml").write_text(
        "waivers:\n  - codes: [PE301]\n    paths: ['*.pdf']\n    match: consultation opens\n"
        "    reason: Statutory consultation\n    approved-by: Head of Communications\n    expires: 2099-05-02\n",
        encoding="utf-8")
    report = check("update.pdf", "--waivers", "purdah-waivers.yaml", cwd=tmp_path).json()
    waived = {f["code"]: f["waived"] is not None for f in report["findings"]}
    assert waived == {"PE301": True, "PE201": False}
    made = run_cli("baseline", "--in-window", "update.pdf", "-o", "base.json", cwd=tmp_path)
    assert made.code == 0, made.stderr
    again = check("update.pdf", "--baseline", "base.json", cwd=tmp_path)
    assert again.code == 0 and [f for f in again.json()["findings"] if f["waived"] is None] == []


def scanned(tmp_path) -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(picture, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(picture, x=10, y=10, w=150)
    return bytes(pdf.output())


def encrypted(tmp_path) -> bytes:
    pdf = draft()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    lines(pdf, ["Our consultation opens today."])
    return bytes(pdf.output())


def bomb(tmp_path) -> bytes:
    # After a full flush a deflate stream forgets its history, so the compressed form of one
    # megabyte of zeros can be repeated: 300 copies stand for 300 MB without making them.
    squeezer = zlib.compressobj(9)
    first = squeezer.compress(b"\0" * (1 << 20)) + squeezer.flush(zlib.Z_FULL_FLUSH)
    block = squeezer.compress(b"\0" * (1 << 20)) + squeezer.flush(zlib.Z_FULL_FLUSH)
    inner = first + block * 299 + squeezer.flush()
    twice = zlib.compress(inner, 9)  # two rounds of deflate: a few kilobytes standing for 300 MB
    content = b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(twice) + twice + b"\nendstream"
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>", content])


def nested(tmp_path) -> bytes:
    depth = 50_000  # page-tree nodes inside each other
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    objects += [b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (number + 1) for number in range(2, depth + 2)]
    objects.append(b"<< /Type /Page /MediaBox [0 0 595 842] >>")
    return raw_pdf(objects)


def many_pages(tmp_path) -> bytes:
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                    b"<< /Type /Pages /Kids [%s] /Count 6000 >>" % b" ".join([b"3 0 R"] * 6_000),
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"])


def many_pages_counted_wrong(tmp_path) -> bytes:
    kids = b" ".join(b"%d 0 R" % number for number in range(3, 6003))
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count 1 >>" % kids,
                    *[b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * 6_000])


def no_fonts_map(tmp_path) -> bytes:
    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /Mystery /Encoding /Identity-H /DescendantFonts [6 0 R] >>")
    descendant = b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Mystery /CIDSystemInfo << /Registry (X) " \
                 b"/Ordering (Y) /Supplement 0 >> /FontDescriptor 7 0 R >>"
    descriptor = b"<< /Type /FontDescriptor /FontName /Mystery /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 " \
                 b"/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>"
    return one_page(b"BT /F1 12 Tf 72 760 Td <0011002200330044> Tj ET", font=font, more=[descendant, descriptor])


def reference_loop(tmp_path) -> bytes:
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>", b"5 0 R", b"4 0 R"])


def run_length_bomb(tmp_path) -> bytes:
    runs = b"\x81\x00" * 2_100_000  # each pair stands for 128 bytes: 4 MB for 269 MB, past the budget
    content = b"<< /Length %d /Filter /RunLengthDecode >>\nstream\n" % len(runs) + runs + b"\nendstream"
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>", content])


def same_text_drawn_endlessly(tmp_path) -> bytes:
    return one_page(b"BT /F1 1 Tf " + b"(a) Tj 0.01 0 Td " * 150_000 + b"ET")


HOSTILE = {
    "zero.pdf": (lambda tmp: b"", "not a PDF"),
    "loop.pdf": (reference_loop, "refer to each other in a loop"),
    "runlength.pdf": (run_length_bomb, "decompression bomb"),
    "endless.pdf": (same_text_drawn_endlessly, "draws more than 100,000 characters"),
    "encrypted.pdf": (encrypted, "encrypted PDF that needs a password"),
    "scanned.pdf": (scanned, "needs OCR"),
    "nofontmap.pdf": (no_fonts_map, "needs OCR"),
    "truncated.pdf": (lambda tmp: bytes(two_columns(tmp / "whole.pdf").read_bytes())[:1500], "truncated PDF"),
    "corrupt.pdf": (lambda tmp: b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n", "PDF"),
    "notpdf.pdf": (lambda tmp: b"<html><body>Our consultation opens today.</body></html>", "not a PDF"),
    "bomb.pdf": (bomb, "decompression bomb"),
    "nested.pdf": (nested, "nested too deeply"),
    "pages.pdf": (many_pages, "pages, over the limit"),
    "uncounted.pdf": (many_pages_counted_wrong, "more than 5,000 pages"),
    "empty.pdf": (lambda tmp: raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]),
                  "PDF has no pages"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_pdfs_give_one_line_errors_and_other_files_are_checked(tmp_path, name):
    make, words = HOSTILE[name]
    (tmp_path / name).write_bytes(make(tmp_path))
    (tmp_path / "good.md").write_text("Our consultation opens today.\n", encoding="utf-8")
    for extra in tmp_path.glob("whole.pdf"):
        extra.unlink()
    before = snapshot([tmp_path])
    result = run_cli("check", "--in-window", "--format", "json", name, "good.md", cwd=tmp_path, timeout=120)
    assert result.code == 2 and "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith(f"{name}: error: ")]
    assert len(errors) == 1 and words in errors[0], result.stderr
    assert [f["path"] for f in result.json()["findings"]] == ["good.md"]
    assert snapshot([tmp_path]) == before


def test_a_pdf_with_only_an_owner_password_is_checked(tmp_path):
    from fpdf.enums import EncryptionMethod

    pdf = draft()
    pdf.set_encryption(owner_password="owner", encryption_method=EncryptionMethod.AES_256)  # restricts copying only
    pdf.add_page()
    lines(pdf, ["Our consultation opens today."])
    report = check(save(tmp_path / "restricted.pdf", pdf)).json()
    assert report["files"][0]["error"] is None
    assert places(report) == {("PE301", 2, "page 1, line 2", "consultation opens")}


def test_a_scanned_page_among_text_pages_is_a_notice(tmp_path):
    from purdah_lint.inputs.formats import read_document

    picture = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(picture, format="PNG")
    bare = FPDF()
    bare.add_page()
    bare.set_font("Helvetica", size=11)
    bare.cell(0, 6, "Our consultation opens today.")
    bare.add_page()
    bare.image(picture, x=10, y=40, w=100)
    document = read_document(str(save(tmp_path / "mixed.pdf", bare)))
    assert document.notices == ["page 2 of the PDF has no text layer (scanned images); those pages need OCR to be checked"]
    report = check(tmp_path / "mixed.pdf").json()
    assert report["files"][0]["error"] is None and len(report["findings"]) == 1


def test_pdf_is_found_when_walking_folders_and_is_in_the_hook_pattern(tmp_path):
    (tmp_path / "drafts").mkdir()
    two_columns(tmp_path / "drafts" / "a.pdf")
    report = check(tmp_path / "drafts").json()
    assert [f["path"] for f in report["files"]] == [str(tmp_path / "drafts" / "a.pdf")]


def test_diff_base_counts_a_changed_pdf_as_wholly_changed(tmp_path):
    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=tmp_path,
                       check=True, capture_output=True)

    two_columns(tmp_path / "changed.pdf")
    two_columns(tmp_path / "same.pdf")
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "drafts")
    pdf = draft()
    pdf.add_page()
    lines(pdf, ["Our consultation opens today."])
    save(tmp_path / "changed.pdf", pdf)
    report = check(".", "--diff-base", "HEAD", cwd=tmp_path).json()
    assert {(f["path"], f["code"]) for f in report["findings"]} == {("changed.pdf", "PE301")}


def test_checking_markdown_does_not_import_pdfminer(tmp_path):
    (tmp_path / "a.md").write_text("Hello.\n", encoding="utf-8")
    probe = "import sys; from purdah_lint.cli import main; main(['check', 'a.md']); print('pdfminer' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True).stdout
    assert output.strip().endswith("False")
