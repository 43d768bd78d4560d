"""``purdah-lint audit`` against a generated site served on 127.0.0.1, on a real Dask LocalCluster."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SCRIPT, WINDOW_CONFIG
from purdah_lint import __version__
from purdah_lint.cli import main
from test_html_browser import browser  # noqa: F401  (the headless Chromium fixture)
from website import CONSULTATION, STRATEGY, Site, docx_bytes

PAGES = int(os.environ.get("PURDAH_AUDIT_PAGES", "2000"))  # the site the issue asks for; smaller only to debug
LIMITS = ["--timeout", "4", "--max-page-bytes", "200000", "--per-host", "8", "--no-cache"]


@pytest.fixture(scope="module")
def site():
    with Site(PAGES, docx_bytes(CONSULTATION)) as served:
        yield served


@pytest.fixture(scope="module")
def cluster():
    from purdah_lint.audit.runner import local_cluster

    with local_cluster(2) as local:  # the LocalCluster the audit starts for itself
        yield local


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("audit")
    (folder / ".purdah-lint.toml").write_text(WINDOW_CONFIG + '\n[[tool.purdah-lint.owners]]\nurl = "*/pages/4?"\n'
                                              'team = "Teens team"\n', encoding="utf-8")
    return folder


def audit(workdir: Path, *args: str, store: str = "audit.sqlite", output: str = "audit.json") -> tuple[int, dict]:
    """Run the audit in-process (the CLI's own entry) and read its JSON report."""
    previous = os.getcwd()
    os.chdir(workdir)
    try:
        code = main(["audit", *args, "--store", store, "--format", "json", "--output", output, "--no-progress"])
    finally:
        os.chdir(previous)
    return code, json.loads((workdir / output).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def full(site, cluster, workdir):
    code, report = audit(workdir, site.base + "/sitemap_index.xml", "--scheduler", cluster.scheduler_address, *LIMITS)
    return code, report, dict(site.requests)


def by_url(report: dict) -> dict[str, dict]:
    return {entry["url"]: entry for entry in report["files"]}


def codes_by_url(report: dict, code: str) -> set[str]:
    return {f["url"] for f in report["findings"] if f["code"] == code and f["waived"] is None}


def test_every_url_ends_checked_skipped_or_failed(site, full):
    code, report, _ = full
    files = by_url(report)
    expected = set(site.sitemap_urls()) | {site.base + "/files/plan.docx"}  # the Word file linked from a page
    assert set(files) == expected
    assert len(files) >= PAGES
    for url, (state, reason) in site.fault_urls().items():
        assert (files[url]["state"], files[url]["reason"]) == (state, reason), url
    for number in range(PAGES):
        assert files[site.page_url(number)]["state"] == "checked"
    counts = report["summary"]["audit"]
    assert counts["urls"] == len(files)
    assert counts["checked"] == sum(1 for entry in files.values() if entry["state"] == "checked")
    assert counts["skipped"] == {"host": 1, "robots": 1, "size": 1, "type": 1}
    assert counts["failed"] == {"redirects": 1, "status": 2, "timeout": 1}
    assert counts["pending"] == 0
    assert code == 1  # findings at warning level


def test_seeded_problems_are_found_on_the_right_pages(site, full):
    _, report, _ = full
    assert codes_by_url(report, "PE301") == site.consultation_pages() | {site.base + "/files/plan.docx"}
    # A strategy launch on a page published before the window is existing content: not reported;
    # the same sentence on a page published inside it is new content: reported.
    assert codes_by_url(report, "PE101") == {site.page_url(n) for n in range(0, PAGES, 50) if site.is_new(n)}
    files = by_url(report)
    assert files[site.page_url(2)]["content"] == "new"
    assert files[site.page_url(2)]["as_of"] == "2024-04-01"
    assert files[site.page_url(3)]["content"] == "existing"
    assert files[site.page_url(3)]["published_source"] == "page metadata"
    assert all(f["path"] == f["url"] for f in report["findings"])


def test_owner_groups_are_in_the_report(site, full):
    _, report, _ = full
    files = by_url(report)
    assert files[site.page_url(45)]["owner"] == "Teens team"
    assert files[site.page_url(120)]["owner"] is None
    assert {f["owner"] for f in report["findings"] if f["url"] == site.page_url(40)} == {"Teens team"}


def test_robots_disallowed_pages_are_never_requested_and_the_agent_names_the_tool(site, full):
    _, _, requests = full
    assert requests.get("/private/secret", 0) == 0
    assert all(agent.startswith(f"purdah-lint/{__version__}") for agent in site.agents)


def test_no_page_is_fetched_twice(site, full):
    _, _, requests = full
    moved_to = 3  # /moved redirects here: two URLs, two fetches
    assert {n: requests[f"/pages/{n}"] for n in range(PAGES) if requests[f"/pages/{n}"] != 1} == {moved_to: 2}


def test_second_audit_with_the_cache_asks_only_what_changed(site, cluster, workdir):
    urls = workdir / "cached.txt"
    urls.write_text("\n".join(site.page_url(n) for n in range(40)) + "\n", encoding="utf-8")
    options = [str(urls), "--scheduler", cluster.scheduler_address, "--cache", "cache"]
    _, first = audit(workdir, *options, store="cache1.sqlite", output="cache1.json")
    before = sum(site.not_modified.values())
    _, second = audit(workdir, *options, store="cache2.sqlite", output="cache2.json")
    assert sum(site.not_modified.values()) - before == 40
    assert first["findings"] == second["findings"]
    assert {entry["state"] for entry in second["files"]} == {"checked"}


def finished(store: Path) -> int:
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:  # never creates the file itself
            return db.execute("SELECT COUNT(*) FROM pages WHERE state != 'pending'").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_audit_killed_half_way_and_resumed_equals_an_uninterrupted_one(site, cluster, workdir, full):
    urls = workdir / "resume.txt"
    chosen = [site.page_url(n) for n in range(400)]
    urls.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    store = workdir / "resume.sqlite"
    command = [str(SCRIPT), "audit", str(urls), "--scheduler", cluster.scheduler_address, "--store", str(store),
               "--per-host", "2", "--no-cache", "--format", "json", "--output", str(workdir / "killed.json")]
    before = dict(site.requests)
    errors = (workdir / "killed.err").open("w")
    process = subprocess.Popen(command, cwd=workdir, stdout=subprocess.DEVNULL, stderr=errors)
    deadline = time.monotonic() + 60
    while finished(store) < 100 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)  # a crashed client: nothing gets to tidy up
    process.wait()
    done_before = finished(store)
    errors.close()
    assert 100 <= done_before < 400, (workdir / "killed.err").read_text()
    with sqlite3.connect(store) as db:
        recorded = {row[0] for row in db.execute("SELECT url FROM pages WHERE state != 'pending'")}
    fetched_then = {path: site.requests[path] - before.get(path, 0) for path in site.requests}
    code, resumed = audit(workdir, str(urls), "--scheduler", cluster.scheduler_address, "--resume", "--no-cache",
                          store="resume.sqlite", output="resumed.json")
    for url in recorded:  # finished before the kill: never fetched again
        path = url.removeprefix(site.base)
        assert site.requests[path] - before.get(path, 0) == fetched_then[path] == 1, url
    _, uninterrupted, _ = full
    wanted = set(chosen) | {site.base + "/files/plan.docx"}  # linked from page 1
    assert {entry["url"] for entry in resumed["files"]} == wanted
    assert resumed["findings"] == [f for f in uninterrupted["findings"] if f["url"] in wanted]
    assert resumed["files"] == [by_url(uninterrupted)[entry["url"]] for entry in resumed["files"]]
    assert resumed["summary"]["audit"]["checked"] == sum(1 for entry in resumed["files"] if entry["state"] == "checked")


def test_a_worker_killed_mid_audit_loses_nothing(site, workdir, full, tmp_path):
    """The same audit through a separately started ``dask scheduler`` and workers, one of them killed."""
    dask = Path(sys.executable).parent / "dask"
    port_file = tmp_path / "scheduler.json"
    scheduler = subprocess.Popen([str(dask), "scheduler", "--host", "127.0.0.1", "--port", "0",
                                  "--no-dashboard", "--scheduler-file", str(port_file)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = []
    try:
        deadline = time.monotonic() + 60
        while not port_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(port_file.read_text())["address"]
        for _ in range(2):
            workers.append(subprocess.Popen([str(dask), "worker", address, "--nthreads", "2", "--no-nanny",
                                             "--host", "127.0.0.1", "--no-dashboard"],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from distributed import Client

        with Client(address) as client:
            client.wait_for_workers(2, timeout=60)
        urls = workdir / "killed-worker.txt"
        chosen = [site.page_url(n) for n in range(PAGES - 300, PAGES)]
        urls.write_text("\n".join(chosen) + "\n", encoding="utf-8")
        store = workdir / "killed-worker.sqlite"
        import threading

        outcome = {}
        runner = threading.Thread(target=lambda: outcome.update(result=audit(
            workdir, str(urls), "--scheduler", address, "--per-host", "4", "--no-cache",
            store="killed-worker.sqlite", output="killed-worker.json")))
        runner.start()
        deadline = time.monotonic() + 60
        while finished(store) < 60 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers[0].kill()
        runner.join(120)
        assert not runner.is_alive()
        _, report = outcome["result"]
        assert finished(store) == 300
        assert {entry["url"] for entry in report["files"]} == set(chosen)
        not_checked = [(entry["url"], entry["reason"], entry["detail"]) for entry in report["files"]
                       if entry["state"] != "checked"]
        assert not not_checked  # each with why: a lost worker's URLs must be audited again, not failed
        _, uninterrupted, _ = full
        assert report["findings"] == [f for f in uninterrupted["findings"] if f["url"] in set(chosen)]
    finally:
        for process in [*workers, scheduler]:
            process.kill()
            process.wait()


def test_a_source_that_cannot_be_read_is_a_one_line_error(workdir, capsys):
    code = main(["audit", str(workdir / "no-such-list.txt"), "--store", str(workdir / "none.sqlite")])
    assert code == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "no-such-list.txt" in error


def test_a_start_url_is_crawled_within_its_host_to_the_depth_limit(site, cluster, workdir):
    _, report = audit(workdir, site.page_url(10), "--max-depth", "2", "--scheduler", cluster.scheduler_address,
                      "--no-cache", store="crawl.sqlite", output="crawl.json")
    # page 10 links to the home page (none on this site: 404) and page 11; page 12 is two links deep
    states = {entry["url"]: entry["state"] for entry in report["files"]}
    assert states == {site.page_url(10): "checked", site.base + "/": "failed", site.page_url(11): "checked",
                      site.page_url(12): "checked"}


def test_local_exports_are_audited_like_pages(site, cluster, workdir):
    export = workdir / "export.jsonl"
    export.write_text("\n".join([
        json.dumps({"url": "https://example.org/new", "title": "New", "published": "2024-04-02",
                    "html": f"<main><p>{CONSULTATION}</p></main>"}),
        json.dumps({"url": "https://example.org/old", "title": "Old", "modified": "2024-01-05", "text": STRATEGY}),
        "{not json",
    ]) + "\n", encoding="utf-8")
    saved = workdir / "saved"
    saved.mkdir()
    (saved / "page.html").write_text(f"<html><body><main><p>{CONSULTATION}</p></main></body></html>",
                                     encoding="utf-8")
    _, report = audit(workdir, str(export), str(saved), "--scheduler", cluster.scheduler_address,
                      store="export.sqlite", output="export.json")
    files = by_url(report)
    assert files["https://example.org/new"]["content"] == "new"
    assert files["https://example.org/old"]["content"] == "existing"
    assert files["https://example.org/old"]["published_source"] == "export modified"
    broken = files[f"{export}#L3"]
    assert (broken["state"], broken["reason"]) == ("failed", "parse")
    assert {f["url"] for f in report["findings"]} == {"https://example.org/new", str(saved / "page.html")}


HOSTILE_TEAM = 'Web <b>team</b> & "press" ::error::'
HOSTILE_PATH = '/pages/"><script>window.hit=1</script>'


@pytest.fixture(scope="module")
def since(site, cluster, tmp_path_factory):
    """Two audits, the second with ``--since`` the first, reported as HTML and (resumed, so not run again) JSON."""
    folder = tmp_path_factory.mktemp("since")
    (folder / ".purdah-lint.toml").write_text(
        WINDOW_CONFIG + f'\n[[tool.purdah-lint.owners]]\nurl = "*/pages/4?"\nteam = {json.dumps(HOSTILE_TEAM)}\n',
        encoding="utf-8")
    (folder / "purdah-waivers.yaml").write_text(
        'waivers:\n  - codes: [PE301]\n    paths: ["*/pages/80"]\n    reason: "Statutory consultation"\n'
        '    approved-by: "Head of Communications"\n    expires: 2024-06-30\n', encoding="utf-8")
    first, second = folder / "first.txt", folder / "second.txt"
    first.write_text("\n".join(site.page_url(n) for n in range(0, 81)) + "\n", encoding="utf-8")
    faults = [site.base + path for path in ("/private/secret", "/missing", HOSTILE_PATH)]
    second.write_text("\n".join([*(site.page_url(n) for n in range(40, 121)), *faults]) + "\n", encoding="utf-8")
    common = ["--scheduler", cluster.scheduler_address, "--no-cache", "--select", "PE101,PE301"]
    audit(folder, str(first), *common, store="first.sqlite", output="first.json")
    previous = os.getcwd()
    os.chdir(folder)
    try:
        code = main(["audit", str(second), *common, "--since", "first.sqlite", "--store", "second.sqlite",
                     "--format", "html", "--output", "second.html", "--no-progress"])
    finally:
        os.chdir(previous)
    _, report = audit(folder, str(second), *common, "--since", "first.sqlite", "--resume", store="second.sqlite",
                      output="second.json")
    return code, folder / "second.html", report


def test_waivers_name_url_globs_and_since_compares_with_an_earlier_audit(site, since):
    _, _, report = since
    waived = {f["url"] for f in report["findings"] if f["waived"]}
    assert waived == {site.page_url(80)}
    since_of = {(f["url"], f["code"]): f["since"] for f in report["findings"] if not f["waived"]}
    assert since_of == {(site.page_url(40), "PE301"): "present", (site.page_url(50), "PE101"): "present",
                        (site.page_url(120), "PE301"): "new", (site.page_url(100), "PE101"): "new"}
    # resolved: page 0 (PE301; its PE101 too) and the Word file linked from page 1, audited the first time only
    assert report["summary"]["audit"]["since"] == {"new": 2, "present": 2, "resolved": 3}


def test_the_html_report_of_an_audit_agrees_with_its_json(site, since):
    from report_drafts import document_blocks, parse

    code, html_path, report = since
    assert code == 1
    page = parse(html_path)
    counts = report["summary"]["audit"]
    assert page.get_element_by_id("count-urls").text == str(counts["urls"])
    assert page.get_element_by_id("count-checked").text == str(counts["checked"])
    assert page.get_element_by_id("count-skipped").text == "1 (robots 1)"
    assert page.get_element_by_id("count-errors").text == "2 (status 2)"
    assert page.get_element_by_id("count-open").text == str(counts["findings"])
    assert page.get_element_by_id("count-content-new").text == str(counts["content"]["new"])
    assert [page.get_element_by_id(f"count-{key}").text for key in ("new", "present", "resolved")] == \
        [str(counts["since"][key]) for key in ("new", "present", "resolved")]
    resolved = {(row[0].text_content(), row[1].text_content())
                for row in page.xpath('//table[@id="resolved-table"]/tbody/tr')}
    assert resolved == {(site.page_url(0), "PE301"), (site.page_url(0), "PE101"),
                        (site.base + "/files/plan.docx", "PE301")}
    rows = {row.get("data-path"): row for row in page.xpath('//table[@id="document-table"]/tbody/tr')}
    assert set(rows) == {entry["url"] for entry in report["files"]}
    for entry in report["files"]:
        row = rows[entry["url"]]
        assert row.get("data-owner") == (entry["owner"] or "(no owner)")
        assert row.get("data-content") == (entry["content"] or "")
        assert row.get("data-state") == entry["state"] + (f": {entry['reason']}" if entry["reason"] else "")
    blocks = document_blocks(page)
    assert set(blocks) == {f["url"] for f in report["findings"]} | {
        entry["url"] for entry in report["files"] if entry["state"] == "failed"}
    block = blocks[site.page_url(40)]
    facts = {dt.text_content(): dt.getnext().text_content() for dt in block.xpath('.//dl[@class="facts"]/div/dt')}
    assert facts["Owner"] == HOSTILE_TEAM
    assert facts["Content"].startswith("new (published during the window")
    assert facts["Published or updated"] == "2024-04-01 (page metadata)"
    assert block.xpath('.//a[@class="page-link"]/@href') == [site.page_url(40)]
    card = block.xpath('.//section[contains(@class, "finding")]')[0]
    assert card.xpath('.//dd[@class="since"]')[0].text_content() == "still present since the previous audit"
    passage = [f["match"] for f in report["findings"] if f["url"] == site.page_url(40)]
    assert [card.xpath('.//dd[@class="passage"]')[0].text_content()] == passage


def test_the_html_report_of_an_audit_keeps_hostile_names_as_text(site, since):
    from report_drafts import parse

    _, html_path, _ = since
    text = html_path.read_text(encoding="utf-8")
    assert "<b>team</b>" not in text and "<script>window.hit" not in text and "::error::" not in text
    page = parse(html_path)
    hostile = site.base + HOSTILE_PATH
    row = page.xpath('//table[@id="document-table"]/tbody/tr[@data-path=$p]', p=hostile)[0]
    assert row[0].text_content() == hostile and row.get("data-state") == "failed: status"
    assert [len(page.xpath("//script[not(@type)]"))] == [1]  # the report's own script only


def test_owner_entries_are_validated_with_the_file_and_key_named(tmp_path):
    from purdah_lint.model import PurdahError
    from purdah_lint.run.config import load_config

    config = tmp_path / ".purdah-lint.toml"
    config.write_text('[[owners]]\nurl = "https://example.org/news/"\nteem = "Press office"\n', encoding="utf-8")
    with pytest.raises(PurdahError, match=r"\.purdah-lint\.toml: unknown key 'teem' in owners\[1\]; allowed: url, team"):
        load_config(config)
    config.write_text('[[owners]]\nurl = "https://example.org/news/"\nteam = "Press office"\n', encoding="utf-8")
    owners = load_config(config).owners
    from purdah_lint.audit.owners import owner_of

    assert owner_of("https://example.org/news/a", tuple((o.pattern, o.team) for o in owners)) == "Press office"
    assert owner_of("https://example.org/about", tuple((o.pattern, o.team) for o in owners)) is None


def test_the_console_script_starts_its_own_local_cluster_and_prints_the_text_summary(tmp_path):
    (tmp_path / ".purdah-lint.toml").write_text(WINDOW_CONFIG, encoding="utf-8")
    export = tmp_path / "site.jsonl"
    export.write_text(json.dumps({"url": "https://example.org/consult", "published": "2024-04-02",
                                  "html": f"<main><p>{CONSULTATION}</p></main>"}) + "\n", encoding="utf-8")
    done = subprocess.run([str(SCRIPT), "audit", str(export), "--workers", "1"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "CI": "true"})
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("https://example.org/consult:1:") and " PE301 warning [consultation] " in line
               and line.endswith("[new content]") for line in lines), done.stdout
    assert "Audited 1 URLs: 1 checked, 0 skipped, 0 failed." in lines
    assert "audit:" not in done.stderr  # no progress line in CI
    assert (tmp_path / "purdah-audit.sqlite").is_file()


def test_progress_shows_on_a_terminal_only_and_not_in_ci(monkeypatch):
    import io

    from purdah_lint.audit.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    def shown(stream) -> str:
        progress = Progress(stream)
        progress({"state": "failed", "findings": []})
        progress.close()
        return stream.getvalue()

    monkeypatch.delenv("CI", raising=False)
    assert "1 URLs done, 1 failed, 0 findings" in shown(Terminal())
    assert shown(io.StringIO()) == ""
    monkeypatch.setenv("CI", "true")
    assert shown(Terminal()) == ""


def test_urls_beyond_max_pages_are_counted_as_skipped(site, cluster, tmp_path):
    (tmp_path / ".purdah-lint.toml").write_text(WINDOW_CONFIG, encoding="utf-8")
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(site.page_url(n) for n in range(1000, 1030)) + "\n", encoding="utf-8")
    _, report = audit(tmp_path, str(urls), "--max-pages", "10", "--scheduler", cluster.scheduler_address, "--no-cache")
    counts = report["summary"]["audit"]
    assert (counts["urls"], counts["checked"], counts["skipped"]) == (30, 10, {"max-pages": 20})
    assert len(report["files"]) == 30


def test_the_html_report_of_an_audit_as_a_person_meets_it(site, since, browser):
    """In headless Chromium: filter by owner and content, open a page's findings, follow nothing, run nothing."""
    from selenium.webdriver.support.ui import Select

    import test_html_browser as chromium

    _, html_path, report = since
    chromium.open_report(browser, html_path)
    assert browser.find_element("id", "count-urls").text == str(report["summary"]["audit"]["urls"])
    Select(browser.find_element("id", "filter-owner")).select_by_value(HOSTILE_TEAM)
    owned = sorted(entry["url"] for entry in report["files"] if entry["owner"] == HOSTILE_TEAM)
    assert sorted(chromium.visible_paths(browser)) == owned and len(owned) == 10
    every = len(report["files"])
    assert browser.find_element("id", "shown-count").text == f"Showing 10 of {every} pages."
    Select(browser.find_element("id", "filter-content")).select_by_value("new")
    assert sorted(chromium.visible_paths(browser)) == [url for url in owned if int(url.rsplit("/", 1)[1]) % 2 == 0]
    browser.find_element("id", "filter-clear").click()
    chromium.wait_until(browser, lambda b: len(chromium.visible_paths(b)) == len(report["files"]))
    assert browser.find_element("id", "shown-count").text == f"Showing {every} of {every} pages."
    chromium.open_document(browser, site.page_url(40), noun="Page")
    assert browser.find_element("css selector", "#reader-body a[href='#documents']").text == "Back to the pages"
    shown = chromium.js(browser, """
        var reader = document.getElementById('reader-body');
        return {link: reader.querySelector('a.page-link').href,
                since: Array.from(reader.querySelectorAll('.finding .since')).map(e => e.textContent),
                owner: Array.from(reader.querySelectorAll('.facts dt')).find(d => d.textContent === 'Owner')
                       .nextElementSibling.textContent};""")
    assert shown == {"link": site.page_url(40), "since": ["still present since the previous audit"],
                     "owner": HOSTILE_TEAM}
    assert chromium.js(browser, "return [window.hit, window.__violations]") == [None, []]
    assert not [entry for entry in browser.get_log("performance") if "Network.requestWillBeSent" in entry["message"]
                and '"url":"http' in entry["message"]]


def test_the_central_waiver_file_is_judged_on_the_urls_audited(site, cluster, tmp_path):
    (tmp_path / ".purdah-lint.toml").write_text(WINDOW_CONFIG, encoding="utf-8")
    entry = ('  - codes: [PE301]\n    paths: ["{glob}"]\n    reason: "Statutory notice"\n'
             '    approved-by: "Head of Communications"\n    expires: {expires}\n')
    (tmp_path / "purdah-waivers.yaml").write_text("waivers:\n" + "".join(entry.format(glob=glob, expires=expires) for glob, expires in (
        ("*/pages/1?", "2024-06-30"),  # audited, waives nothing there: unused
        ("*/pages/9999", "2024-06-30"),  # names no URL audited: says nothing about this audit
        ("*/pages/12", "2024-01-01"),  # expired before the audit date
    )), encoding="utf-8")
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(site.page_url(n) for n in range(10, 20)) + "\n", encoding="utf-8")
    code, report = audit(tmp_path, str(urls), "--scheduler", cluster.scheduler_address, "--no-cache")
    governance = sorted((f["code"], f["line"], f["severity"]) for f in report["findings"] if f["category"] == "meta")
    assert governance == [("PE002", 12, "error"), ("PE003", 2, "suggestion")]
    assert all(f["path"] == "purdah-waivers.yaml" and f["url"] is None for f in report["findings"])
    assert code == 1  # the expired waiver is an error, as for check
