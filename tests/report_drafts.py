"""Drafts in every format, a hostile one among them, and helpers to read the HTML report they give."""

from __future__ import annotations

import base64
import zlib
from pathlib import Path

import lxml.html

AS_OF = "2024-04-15"
CONFIG = """\
[tool.purdah-lint]
[[tool.purdah-lint.windows]]
id = "local.2024-05-02"
name = "Local elections"
start = 2024-03-21
end = 2024-05-02
"""
HOSTILE_NAME = "<img src=x onerror=window.__pwnedByName=1>.md"


def hostile_markdown(port: int) -> str:
    """A draft whose text tries to run script and load from a server on ``port``."""
    return f"""\
# Have your say on the new hospital plan

<script>window.__pwned = 1; fetch("http://127.0.0.1:{port}/script")</script>
<img src="http://127.0.0.1:{port}/img" onerror="window.__pwned = 2">
<link rel="stylesheet" href="http://127.0.0.1:{port}/css">
<iframe src="http://127.0.0.1:{port}/frame"></iframe>
<svg onload="window.__pwned = 3"><script>window.__pwned = 4</script></svg>
[Read more](javascript:window.__pwned=5) and <a href="javascript:window.__pwned=6">click</a>
</textarea></template></script><!-- --><b onmouseover="window.__pwned=7">hover</b>

Our consultation opens today <script>window.__pwned = 8</script> and runs for twelve weeks.
"""


def write_drafts(folder: Path, port: int = 9) -> dict[str, Path]:
    """One draft per format, plus the hostile one, with the config that dates their window."""
    import docx

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    drafts = folder / "drafts"
    drafts.mkdir(exist_ok=True)
    files = {
        "md": ("news.md", "# Hospital news\n\nOur consultation opens today and runs for twelve weeks.\n\n"
                          "The council awards a £40m contract to the preferred bidder.\n\n"
                          "<!-- purdah-lint: allow PE301 reason=\"Statutory consultation\" approved-by=\"Head of "
                          "Communications\" expires=2024-05-02 -->\nHave your say on the statutory budget.\n\n"
                          "The flu vaccination clinic is open on Saturdays.\n"),
        "rst": ("release.rst", "Press release\n=============\n\nWe are launching a new strategy for community care."
                               "\n\n.. purdah-lint: allow PE401 reason=\"Old\" approved-by=\"Head of Communications\" "
                               "expires=2024-01-01\n\nJoin our new awareness campaign this spring.\n"),
        "txt": ("notice.txt", "Council launches new parking policy\n\n"
                              "The council awards a £40m contract to the preferred bidder.\n"),
        "html": ("page.html", "<html><body><main>\n<h1>News</h1>\n<p>Have your say on the new hospital plan.</p>\n"
                              "<p>The MP will visit the new ward with the candidate.</p>\n</main></body></html>\n"),
        "clean": ("clean.md", "# Opening hours\n\nThe clinic is open from 9am to 5pm.\n"),
        "hostile": (HOSTILE_NAME, hostile_markdown(port)),
    }
    paths = {}
    for key, (name, text) in files.items():
        paths[key] = drafts / name
        paths[key].write_text(text, encoding="utf-8")
    document = docx.Document()
    document.add_heading("Board paper", level=1)
    document.add_paragraph("We are launching a new strategy for community care.")
    document.add_paragraph("The council awards a £40m contract to the preferred bidder.")
    paths["docx"] = drafts / "paper.docx"
    document.save(paths["docx"])
    return paths


def parse(path: Path):
    """The report page, parsed."""
    return lxml.html.fromstring(path.read_bytes())


def document_blocks(page) -> dict[str, object]:
    """Each document's markup (unpacked as the page's script does) by its path, parsed."""
    blocks = {}
    for block in page.xpath('//script[@class="document-data"]'):
        markup = zlib.decompress(base64.b64decode(block.text), -15).decode("utf-8")
        fragment = lxml.html.fragment_fromstring(markup, create_parent="div")
        title = fragment.xpath('.//h3[contains(@class, "doc-title")]')[0].text_content()
        blocks[title.removeprefix("Document: ").removeprefix("Page: ")] = fragment  # an audit's are pages
    return blocks


def waivers_for(page, card) -> list[str]:
    """The ready-to-copy waivers shown for a finding card."""
    number = card.xpath('.//div[@class="rule-info"]/@data-info')[0]
    info = page.xpath(f'//template[@id="info-{number}"]')[0]
    return [pre.text_content() for pre in info.xpath('.//pre[@class="snippet"]')]
