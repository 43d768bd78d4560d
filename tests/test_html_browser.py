"""The HTML report as a person meets it: opened from disk in real headless Chromium.

Chromium and its driver come from Debian (apt-get install chromium chromium-driver), axe-core from
npm into tests/browser (npm install --prefix tests/browser); .ci/run installs all three. Outside
CI the tests skip when they are missing; in CI (CI=true) a missing one is a failure.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, SHARED, run_cli
from report_drafts import AS_OF, HOSTILE_NAME, write_drafts

IN_CI = os.environ.get("CI") == "true"
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1280,1000")
# Records what the page tries before the page's own script runs: blocked loads and script.
WATCH_POLICY = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def require(present, what: str) -> None:
    """Skip without ``what`` on a developer's machine; fail in CI, which must install it."""
    if present:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing in CI; .ci/run installs it")
    pytest.skip(f"needs {what}")


class RecordingServer(http.server.ThreadingHTTPServer):
    """A server on 127.0.0.1 that notes every request: the report must make none."""

    def __init__(self):
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture(scope="module")
def server():
    recording = RecordingServer()
    thread = threading.Thread(target=recording.serve_forever, daemon=True)
    thread.start()
    yield recording
    recording.shutdown()
    recording.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    require(chromium and driver, "Debian's chromium and chromium-driver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        require(False, "selenium (pip install -e '.[test]')")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    session = webdriver.Chrome(service=Service(driver), options=options)  # a driver path: no Selenium Manager
    session.set_page_load_timeout(120)
    session.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_POLICY})
    yield session
    session.quit()


@pytest.fixture(scope="module")
def report(tmp_path_factory, server):
    """The drafts (one hostile, its loads aimed at the recording server), their report and JSON."""
    folder = tmp_path_factory.mktemp("report")
    write_drafts(folder, server.server_address[1])
    made = run_cli("check", "drafts", "--as-of", AS_OF, "--format", "html", "--output", "report.html", cwd=folder)
    assert made.code == 1, made.stderr
    data = run_cli("check", "drafts", "--as-of", AS_OF, "--format", "json", cwd=folder).json()
    return folder / "report.html", data


def open_report(browser, path: Path):
    browser.get(path.as_uri())
    browser.get_log("performance")  # start the network record afresh
    return browser


def js(browser, script: str, *args):
    return browser.execute_script(script, *args)


def wait_until(browser, condition, seconds: float = 30):
    """Wait for ``condition(browser)``: documents are built after the click, not during it."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, seconds, poll_frequency=0.05).until(condition)


def open_document(browser, path: str, noun: str = "Document"):
    """Follow the documents table's link for ``path``, as a reader would, and wait for it to be built."""
    link = browser.find_element("xpath", f'//table[@id="document-table"]//a[text()={json.dumps(path)}]')
    link.click()
    title = f"{noun}: {path}"  # an audit's report reads "Page"
    wait_until(browser, lambda b: js(b, "var t = document.querySelector('#reader-body h3');"
                                        "return t && t.textContent === arguments[0] && document.activeElement === t",
                                     title))
    return link


def visible_paths(browser) -> list[str]:
    return js(browser, "return Array.from(document.querySelectorAll('#document-table tbody tr'))"
                       ".filter(r => !r.hidden).map(r => r.dataset.path)")


def focused(browser) -> dict:
    return js(browser, "var e = document.activeElement; return {id: e.id, tag: e.tagName, text: e.textContent,"
                       " outline: getComputedStyle(e).outlineStyle, shadow: getComputedStyle(e).boxShadow}")


def test_counts_and_marks_in_place(browser, report):
    path, data = report
    open_report(browser, path)
    assert browser.find_element("id", "count-open").text == str(data["summary"]["findings"])
    assert js(browser, "return document.querySelectorAll('#reader-body .finding').length") == 0
    for document in sorted({f["path"] for f in data["findings"]}):
        findings = [f for f in data["findings"] if f["path"] == document]
        open_document(browser, document)
        seen = js(browser, """
            return Array.from(document.querySelectorAll('#reader-body .finding')).map(function (card) {
              var flag = document.getElementById('at-' + card.id), mark = flag.nextElementSibling;
              var style = mark && getComputedStyle(mark);
              return {code: card.querySelector('h5 code').textContent,
                      marked: mark && mark.tagName === 'MARK' ? mark.textContent : null,
                      background: style && style.backgroundColor, underline: style && style.borderBottomStyle,
                      guidance: card.querySelector('.rule-info').textContent};
            });""")
        assert [card["code"] for card in seen] == [f["code"] for f in findings]
        for finding, card in zip(findings, seen):
            assert finding["guidance"] in card["guidance"] and finding["signoff"] in card["guidance"]
            if finding["category"] != "meta":
                assert " ".join(card["marked"].split()) == finding["match"]
                # Marked by colour and by an underline, so colour is never the only signal.
                assert card["background"] != "rgba(0, 0, 0, 0)" and card["underline"] != "none"


def test_filters_and_sorting(browser, report):
    from selenium.webdriver.support.ui import Select

    path, data = report
    open_report(browser, path)
    every = sorted(f["path"] for f in data["files"])

    def having(test) -> list[str]:
        return sorted({f["path"] for f in data["findings"] if test(f)})

    Select(browser.find_element("id", "filter-category")).select_by_value("procurement")
    assert sorted(visible_paths(browser)) == having(lambda f: f["category"] == "procurement")
    assert browser.find_element("id", "shown-count").text == f"Showing {len(visible_paths(browser))} of {len(every)} documents."
    Select(browser.find_element("id", "filter-category")).select_by_value("")
    Select(browser.find_element("id", "filter-severity")).select_by_value("error")
    assert sorted(visible_paths(browser)) == having(lambda f: f["severity"] == "error") == ["drafts/release.rst"]
    Select(browser.find_element("id", "filter-severity")).select_by_value("")
    Select(browser.find_element("id", "filter-state")).select_by_value("waived")
    assert sorted(visible_paths(browser)) == having(lambda f: f["waived"] is not None) == ["drafts/news.md"]
    Select(browser.find_element("id", "filter-state")).select_by_value("none")
    assert visible_paths(browser) == sorted(set(every) - {f["path"] for f in data["findings"]})
    browser.find_element("id", "filter-clear").click()
    browser.find_element("id", "filter-path").send_keys("docx")
    assert visible_paths(browser) == ["drafts/paper.docx"]
    browser.find_element("id", "filter-clear").click()
    time.sleep(0.1)
    assert sorted(visible_paths(browser)) == every

    button = browser.find_element("css selector", 'button[data-sort="open"]')
    button.click()
    counts = js(browser, "return Array.from(document.querySelectorAll('#document-table tbody tr'))"
                         ".map(r => Number(r.dataset.open))")
    assert counts == sorted(counts)
    button.click()
    counts = js(browser, "return Array.from(document.querySelectorAll('#document-table tbody tr'))"
                         ".map(r => Number(r.dataset.open))")
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    assert button.find_element("xpath", "..").get_attribute("aria-sort") == "descending"


def test_keyboard_reaches_every_control_and_jumps_to_findings(browser, report):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    path, data = report
    open_report(browser, path)
    keys = ActionChains(browser)
    reached, outlines = set(), set()
    for _ in range(60):
        keys.send_keys(Keys.TAB).perform()
        now = focused(browser)
        if now["tag"] == "BODY":
            continue  # past the last control, focus leaves the page
        reached.add(now["id"] or now["text"].strip())
        outlines.add(True if now["outline"] != "none" or now["shadow"] != "none" else now["id"] or now["text"])
    controls = {"filter-state", "filter-category", "filter-severity", "filter-path", "filter-clear",
                "Document", "Needing sign-off", "Most serious", "Skip to main content", "Go to the first finding"}
    assert controls <= reached, controls - reached
    assert {f["path"] for f in data["findings"]} <= reached  # every document's link
    assert outlines == {True}  # focus is always visible

    js(browser, "document.activeElement.blur()")
    first_path = js(browser, "return Array.from(document.querySelectorAll('#document-table tbody tr'))"
                             ".find(r => r.dataset.findings).dataset.path")
    firsts = [f for f in data["findings"] if f["path"] == first_path]
    keys.send_keys("f").perform()
    now = wait_until(browser, lambda b: focused(b) if focused(b)["id"].startswith("at-") else None)
    assert now["id"].endswith("f1") and firsts[0]["code"] in now["text"]
    keys.send_keys("n").perform()
    assert focused(browser)["id"].endswith("f2") and firsts[1]["code"] in focused(browser)["text"]
    keys.send_keys("p").perform()
    assert focused(browser)["id"].endswith("f1")
    keys.send_keys(Keys.ENTER).perform()  # a passage's flag leads to its finding
    now = wait_until(browser, lambda b: focused(b) if focused(b)["tag"] == "SECTION" else None)
    assert firsts[0]["message"] in now["text"]

    shortcuts = browser.find_element("id", "shortcuts")
    shortcuts.send_keys(Keys.SPACE)  # single-key shortcuts can be turned off (WCAG 2.1.4)
    assert not shortcuts.is_selected()
    before = focused(browser)
    keys.send_keys("f").perform()
    assert focused(browser) == before
    shortcuts.send_keys(Keys.SPACE)
    search = browser.find_element("id", "filter-path")
    search.send_keys("f")  # typing in a field is typing, not a shortcut
    assert focused(browser)["id"] == "filter-path" and search.get_attribute("value") == "f"


def run_axe(browser) -> list[dict]:
    js(browser, AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script("""
        var done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})
          .then(function (r) { done(r.violations.map(function (v) {
            return {id: v.id, impact: v.impact, nodes: v.nodes.map(function (n) { return n.target.join(' '); })};
          })); }, function (e) { done([{id: 'axe failed', impact: 'critical', nodes: [String(e)]}]); });""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_no_serious_accessibility_violations(browser, report):
    require(AXE.is_file(), "axe-core (npm install --prefix tests/browser)")
    path, data = report
    open_report(browser, path)
    browser.set_script_timeout(120)
    assert run_axe(browser) == []
    open_document(browser, "drafts/news.md")
    js(browser, "document.querySelectorAll('#reader-body details').forEach(d => d.open = true)")
    assert run_axe(browser) == []
    open_document(browser, "drafts/paper.docx")
    assert run_axe(browser) == []


def test_hostile_draft_shows_as_text_and_runs_nothing(browser, report, server, tmp_path):
    path, data = report
    open_report(browser, path)
    hostile = f"drafts/{HOSTILE_NAME}"
    open_document(browser, hostile)
    for flag in browser.find_elements("css selector", "#reader-body a.flag"):
        flag.click()
    for hover in browser.find_elements("xpath", '//*[@id="reader-body"]//*[contains(text(), "hover")]'):
        hover.click()
    browser.save_screenshot(str(tmp_path / "hostile.png"))
    time.sleep(0.5)  # room for any stray load to reach the server
    text = browser.find_element("id", "reader-body").text
    for shown in ("<script>window.__pwned = 1;", '<img src="http://127.0.0.1:', 'onerror="window.__pwned = 2">',
                  "[Read more](javascript:window.__pwned=5)", "</textarea></template></script><!-- -->"):
        assert shown in text
    assert js(browser, "return [window.__pwned, window.__pwnedByName]") == [None, None]
    assert js(browser, "return document.querySelectorAll('img, iframe, link, object, embed, svg script, "
                       "#reader-body script, #reader-body [onerror], #reader-body [onload]').length") == 0
    assert js(browser, "return document.querySelectorAll('script:not([type])').length") == 1
    assert js(browser, "return Array.from(document.querySelectorAll('a[href]')).filter("
                       "a => !a.getAttribute('href').startsWith('#')).length") == 0
    assert js(browser, "return window.__violations") == []  # nothing even tried to load or run
    assert server.requests == []
    requested = [json.loads(entry["message"])["message"]["params"]["request"]["url"]
                 for entry in browser.get_log("performance")
                 if json.loads(entry["message"])["message"]["method"] == "Network.requestWillBeSent"]
    assert all(url.startswith(("file:", "data:")) for url in requested), requested
    assert (tmp_path / "hostile.png").read_bytes().startswith(b"\x89PNG")


def test_waiver_copy_button(browser, report):
    path, _ = report
    open_report(browser, path)
    open_document(browser, "drafts/notice.txt")
    details = browser.find_element("css selector", "#reader-body .finding details")
    details.find_element("tag name", "summary").click()
    snippet = details.find_element("css selector", "pre.snippet").text
    details.find_element("css selector", "button[data-copy]").click()
    status = browser.find_element("id", "shown-count").text
    assert snippet.startswith("[purdah-lint: allow PE101 ") and "expires=2024-05-02]" in snippet
    assert status == "Waiver copied to the clipboard." or (
        status.startswith("Waiver selected") and js(browser, "return window.getSelection().toString()") == snippet)


def test_large_report_builds_only_the_document_asked_for(browser, tmp_path):
    generator = SHARED / "bench" / "make_corpus.py"
    require(generator.is_file(), "the shared benchmark generator")
    subprocess.run([sys.executable, str(generator), "--out", str(tmp_path / "corpus"), "-n", "300"], check=True,
                   capture_output=True, timeout=300)
    made = run_cli("check", "corpus", "--in-window", "--as-of", AS_OF, "--format", "html", "--output", "big.html",
                   cwd=tmp_path)
    assert made.code == 1, made.stderr
    data = run_cli("check", "corpus", "--in-window", "--as-of", AS_OF, "--format", "json", cwd=tmp_path).json()
    open_report(browser, tmp_path / "big.html")
    assert js(browser, "return document.querySelectorAll('#document-table tbody tr').length") == len(data["files"])
    assert js(browser, "return document.querySelectorAll('.finding, .l, mark').length") == 0  # nothing built yet
    busiest = max(data["files"], key=lambda f: sum(1 for x in data["findings"] if x["path"] == f["path"]))["path"]
    browser.find_element("id", "filter-path").send_keys(busiest)
    assert visible_paths(browser) == [busiest]
    open_document(browser, busiest)
    lines = (tmp_path / busiest).read_text(encoding="utf-8").count("\n") + 1
    assert js(browser, "return document.querySelectorAll('.finding').length") == sum(
        1 for x in data["findings"] if x["path"] == busiest)
    assert js(browser, "return document.querySelectorAll('.l').length") == lines  # this document alone


def test_screenshot_of_a_document_with_findings(browser, report, tmp_path):
    path, _ = report
    open_report(browser, path)
    open_document(browser, "drafts/news.md")
    shot = tmp_path / "report.png"
    browser.save_screenshot(str(shot))
    data = shot.read_bytes()
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert data.startswith(b"\x89PNG") and width >= 1000 and height >= 600 and len(data) > 20_000
