"""The HTML report as a file: self-contained, escaped, complete, and its waivers work when pasted."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from conftest import run_cli
from report_drafts import AS_OF, HOSTILE_NAME, document_blocks, parse, waivers_for, write_drafts

ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "a", "header", "p", "strong", "h1", "h2", "h3",
                "h4", "h5", "nav", "ul", "li", "main", "section", "dl", "div", "dt", "dd", "figure", "svg", "desc",
                "defs", "pattern", "rect", "line", "text", "g", "figcaption", "table", "caption", "thead", "tr", "th",
                "tbody", "td", "code", "span", "form", "label", "select", "option", "input", "button", "kbd",
                "footer", "script", "template", "details", "summary", "pre", "article", "mark"}


def check(folder: Path, *extra: str, output: str = "report.html"):
    return run_cli("check", "drafts", "--as-of", AS_OF, "--format", "html", "--output", output, *extra, cwd=folder)


def check_json(folder: Path) -> dict:
    result = run_cli("check", "drafts", "--as-of", AS_OF, "--format", "json", cwd=folder)
    assert result.code in (0, 1), result.stderr
    return result.json()


@pytest.fixture
def drafts(tmp_path):
    write_drafts(tmp_path)
    return tmp_path


def test_exit_code_and_counts_match_the_json_report(drafts):
    result = check(drafts)
    data = check_json(drafts)
    assert result.code == 1 and result.stdout == "", result.stderr
    page = parse(drafts / "report.html")
    assert page.get_element_by_id("count-open").text == str(data["summary"]["findings"])
    assert page.get_element_by_id("count-waived").text == str(data["summary"]["waived"])
    rows = page.xpath('//table[@id="document-table"]/tbody/tr')
    assert sorted(row.get("data-path") for row in rows) == sorted(f["path"] for f in data["files"])
    for row in rows:
        mine = [f for f in data["findings"] if f["path"] == row.get("data-path")]
        assert int(row.get("data-open")) == sum(1 for f in mine if f["waived"] is None)
        assert int(row.get("data-waived")) == sum(1 for f in mine if f["waived"] is not None)


def test_every_finding_is_marked_in_place_with_its_details(drafts):
    check(drafts)
    data = check_json(drafts)
    blocks = document_blocks(parse(drafts / "report.html"))
    assert set(blocks) == {f["path"] for f in data["findings"]}  # a document with no finding carries no text
    for path, block in blocks.items():
        findings = [f for f in data["findings"] if f["path"] == path]
        cards = block.xpath('.//section[contains(@class, "finding")]')
        assert len(cards) == len(findings)
        for number, (finding, card) in enumerate(zip(findings, cards), 1):
            text = card.text_content()
            assert finding["code"] in text and finding["rule"] in text and finding["message"] in text
            flag = block.xpath(f'.//a[@id="at-{card.get("id")}"]')[0]
            assert flag.text_content().endswith(f"{number} {finding['code']}" + (" waived" if finding["waived"] else ""))
            if finding["category"] != "meta":  # a waiver's own finding points at the waiver, not at words
                marked = flag.getnext()
                assert marked.tag == "mark"
                # The marked words are the words the rule matched, in place in the text.
                assert " ".join(marked.text_content().split()) == finding["match"]
            if finding["path"].endswith(".docx"):
                assert f"character {finding['column']}" in text and "paragraph" in text
            else:
                assert f"line {finding['line']}, column {finding['column']}" in text
            if finding["waived"]:
                assert "waived" in card.get("class") and finding["waived"]["approved_by"] in text
                assert finding["waived"]["expires"] in text


def test_page_is_self_contained_and_its_policy_allows_only_its_own_style_and_script(drafts):
    check(drafts)
    raw = (drafts / "report.html").read_text(encoding="utf-8")
    page = parse(drafts / "report.html")
    policy = page.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')[0]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'" and directives["img-src"] == "'none'"

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    scripts = [s for s in page.xpath("//script") if s.get("type") is None]
    assert len(scripts) == 1 and directives["script-src"] == digest(scripts[0].text)
    assert directives["style-src"] == digest(page.xpath("//style")[0].text)
    for attribute in ("src", "srcset", "action", "formaction", "data", "poster"):
        assert not page.xpath(f"//*[@{attribute}]"), attribute
    assert all(href.startswith("#") for href in page.xpath("//a/@href"))
    assert "http://" not in raw.replace("http://www.w3.org/2000/svg", "") and "https://" not in raw


def test_hostile_text_is_only_ever_text(drafts):
    check(drafts)
    page = parse(drafts / "report.html")
    path = f"drafts/{HOSTILE_NAME}"
    parts = [page, *document_blocks(page).values()]
    for part in parts:
        assert {element.tag for element in part.iter() if isinstance(element.tag, str)} <= ALLOWED_TAGS | {"div"}
        assert not part.xpath("//@*[starts-with(name(), 'on')]")
        assert not [href for href in part.xpath("//a/@href") if not href.startswith("#")]
    block = document_blocks(page)[path]
    shown = block.text_content()
    for hostile in ("<script>window.__pwned = 1;", 'onerror="window.__pwned = 2"', "javascript:window.__pwned=5",
                    "</textarea></template></script><!-- -->"):
        assert hostile in shown
    row = page.xpath(f'//tr[@data-path="{path}"]')[0]
    assert row.xpath(".//a")[0].text_content() == path


def test_the_waiver_offered_for_each_format_waives_the_finding(drafts):
    check(drafts)
    data = check_json(drafts)
    page = parse(drafts / "report.html")
    blocks = document_blocks(page)
    offered = {}
    for path, block in blocks.items():
        for finding, card in zip([f for f in data["findings"] if f["path"] == path],
                                 block.xpath('.//section[contains(@class, "finding")]')):
            if finding["waived"] is None and finding["category"] != "meta":
                offered.setdefault(path, (finding, waivers_for(page, card)))
    assert set(offered) == {f"drafts/{name}" for name in ("news.md", "release.rst", "notice.txt", "page.html",
                                                           "paper.docx", HOSTILE_NAME)}
    for path, (finding, waivers) in offered.items():
        assert waivers, path
        assert "expires=2024-05-02" in waivers[0] or "expires: 2024-05-02" in waivers[0]  # polling day
        assert finding["signoff"] in waivers[0]
        if path.endswith(".docx"):
            (drafts / "purdah-waivers.yaml").write_text(waivers[0] + "\n", encoding="utf-8")
        else:
            lines = (drafts / path).read_text(encoding="utf-8").split("\n")
            lines[finding["line"] - 1:finding["line"] - 1] = [waivers[0], ""] if path.endswith(".rst") else [waivers[0]]
            (drafts / path).write_text("\n".join(lines), encoding="utf-8")
    after = check_json(drafts)
    for path, (finding, _) in offered.items():
        same = [f for f in after["findings"] if f["path"] == path and f["code"] == finding["code"]
                and f["match"] == finding["match"]]
        assert same and all(f["waived"] for f in same), path
        assert not [f for f in after["findings"] if f["path"] == path and f["category"] == "meta"
                    and f["code"] == "PE003"], path  # every pasted waiver waives something


def test_front_matter_waiver_covers_the_whole_markdown_document(drafts):
    check(drafts)
    page = parse(drafts / "report.html")
    block = document_blocks(page)["drafts/news.md"]
    card = block.xpath('.//section[contains(@class, "finding")]')[1]  # PE201, the contract award
    inline, front_matter = waivers_for(page, card)
    news = drafts / "drafts" / "news.md"
    news.write_text(f"---\n{front_matter}\n---\n" + news.read_text(encoding="utf-8"), encoding="utf-8")
    after = [f for f in check_json(drafts)["findings"] if f["path"] == "drafts/news.md" and f["code"] == "PE201"]
    assert after and all(f["waived"] and f["waived"]["source"].startswith("front-matter") for f in after)


def test_report_notes_files_that_could_not_be_checked(drafts):
    (drafts / "drafts" / "broken.md").write_bytes(b"\xff\xfe\x00\x00binary\x00junk")
    result = check(drafts)
    assert result.code == 2
    page = parse(drafts / "report.html")
    assert page.get_element_by_id("count-errors").text == "1"
    block = document_blocks(page)["drafts/broken.md"]
    assert "could not be checked" in block.text_content()


def test_windows_timeline_and_totals(drafts):
    check(drafts)
    data = check_json(drafts)
    page = parse(drafts / "report.html")
    svg = page.xpath("//svg")[0]
    assert "local.2024-05-02" in svg.text_content() and "as of 15 Apr 2024" in svg.text_content()
    bars = svg.xpath('.//g[contains(@class, "window")]/rect')
    lead_in, window = (float(bars[0].get("width")), float(bars[1].get("width")))
    assert window / lead_in == pytest.approx(43 / 14, rel=0.05)  # 21 Mar to 2 May inclusive, 14-day lead-in
    as_of_x = float(svg.xpath(".//line[@stroke-dasharray]")[0].get("x1"))
    assert float(bars[1].get("x")) < as_of_x < float(bars[1].get("x")) + window
    categories = {row.xpath("th")[0].text: int(row.xpath("td")[0].text)
                  for row in page.get_element_by_id("totals-1").xpath("tbody/tr")}
    assert categories == data["summary"]["by_category"]


def test_output_to_an_unwritable_place_is_one_line(drafts):
    result = check(drafts, output="missing/report.html")
    assert result.code == 2 and result.stderr.count("\n") == 1 and "missing/report.html" in result.stderr


@pytest.mark.sphinx("purdah", testroot="basic", srcdir="html-report-basic", freshenv=True)  # its own copy
def test_sphinx_builder_writes_the_page_beside_the_json(app):
    app.build()
    data = json.loads((Path(app.outdir) / "purdah.json").read_text(encoding="utf-8"))
    page = parse(Path(app.outdir) / "purdah.html")
    blocks = document_blocks(page)
    assert set(blocks) == {f["path"] for f in data["findings"]}
    index = [f for f in data["findings"] if f["path"] == "index.rst" and f["line"] == 4][0]
    flag = blocks["index.rst"].xpath('.//a[contains(@class, "flag")]')[0]
    assert flag.getnext().text_content() == index["match"]  # the source read from the source folder


def test_a_very_large_document_shows_the_lines_around_its_findings(tmp_path):
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    filler = ["The library is open from 9am to 5pm on weekdays and 10am to 1pm on Saturdays."] * 8000
    filler[5000] = "Our consultation opens today and runs for twelve weeks."
    (drafts / "long.txt").write_text("\n\n".join(filler) + "\n", encoding="utf-8")
    result = run_cli("check", "drafts", "--in-window", "--format", "html", "--output", "report.html", cwd=tmp_path)
    assert result.code == 1, result.stderr
    block = document_blocks(parse(tmp_path / "report.html"))["drafts/long.txt"]
    numbers = [int(line.get("data-n")) for line in block.xpath('.//div[@class="l"]')]
    assert numbers == list(range(9999, 10004))  # the finding's line (10001) and two either side
    assert "only the lines around each finding" in block.text_content()
    assert block.xpath('.//mark')[0].text_content() == "consultation opens"
