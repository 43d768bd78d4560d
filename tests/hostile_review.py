"""The hostile-input review of issue 23, reproducible: generated cases run through the installed command.

Each case is a folder of files and a command line. It runs in a child process with a memory
limit, a timeout and its own process group, and fails if the run exits other than 0, 1 or 2
(unless the case expects an interruption), dies of a signal, prints a Python traceback, changes
any file that was there before it, prints (or writes into a report) a raw control character, a
line that starts with ``::`` or holds ``##[``, peaks above 2 GB of resident memory, or outlasts
its time limit.

    python tests/hostile_review.py              # every case; a few minutes per hundred cases
    python tests/hostile_review.py --quick      # the representative few dozen the test suite runs
    python tests/hostile_review.py --only yaml  # one category (see --list)

Run it under ``nice -n 10`` on a shared machine; cases run two at a time (``--parallel``).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import itertools
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent
SCRIPT = BIN / "purdah-lint"
SPHINX_BUILD = BIN / "sphinx-build"
PEAK_LIMIT = 2 * 1024 ** 3  # the bar: resident memory above this is a blow-up
ADDRESS_LIMIT = 4 * 1024 ** 3  # a runaway case dies here rather than take the machine down
GOOD = "Our consultation opens today.\n"
CHECK = ("check", "--in-window", "--fail-level", "never")
FORMATS = ("text", "json", "sarif", "github", "html")
# Raw control characters (other than tab and line breaks), and GitHub workflow commands.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
_COMMAND = re.compile(r"^\s*::|##\[", re.MULTILINE)
# The github format's own annotations: a command, then its file and position, ':' and ',' escaped.
_OWN_ANNOTATION = re.compile(r"::(?:error|warning|notice) file=[^:,\r\n]*(?:,[a-zA-Z]+=[^:,\r\n]*)*::")
# Strings GitHub Actions would run as workflow commands, or a terminal would act on.
INJECTIONS = ("::error file=x::owned", "\n::set-output name=a::b", "##[group]owned", "\x1b[31mred\x1b[0m",
              "a\rb::warning::c", "\x07bell\x9bC1", "%0A::error::encoded", "<script>alert(1)</script>")


@dataclass
class Case:
    """One hostile input: the files it starts from, the command it runs, what it may exit with."""

    category: str
    name: str
    files: dict[str, bytes]
    args: tuple[str, ...]
    codes: frozenset = frozenset({0, 1, 2})
    timeout: float = 120
    links: dict[str, str] = field(default_factory=dict)  # name -> target of a symbolic link
    fifos: tuple[str, ...] = ()
    reports: tuple[str, ...] = ()  # files the run writes, checked for injection like its output
    interrupt: bool = False  # Ctrl-C once the workers run
    command: Path = SCRIPT
    quick: bool = False


def _text(value) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8")


def _case(category, name, files, args, **options) -> Case:
    return Case(category, name, {path: _text(content) for path, content in files.items()}, tuple(args), **options)


# ---------------------------------------------------------------- documents of every format

TEXT_SHAPES = {
    "empty": b"",
    "only a byte-order mark": b"\xef\xbb\xbf",
    "NUL bytes": b"Our consultation\x00 opens today.\n",
    "invalid UTF-8": b"Our consultation opens \xff\xfe\xc3 today.\n",
    "UTF-16 with BOM": "\ufeffOur consultation opens today.\n".encode("utf-16-le"),
    "UTF-16, odd length": b"\xff\xfeO\x00u\x00r",
    "control characters": "Our \x1b[31mconsultation\x07 opens\x0b today\x85.\n",
    "bidi and zero-width": "Our \u202econsultation\u200b opens\u2066 today\u2069.\n",
    "mixed line endings": "Our\r\nconsultation\ropens\ntoday.\u2028\n",
    "lone surrogate escapes": b"Our consultation \xed\xa0\x80 opens today.\n",
    "1 MB single line": ("Our consultation opens today. " * 35_000).encode(),
    "1 MB single word": b"a" * 1_000_000,
    "unmatched inline marks": b"*a " * 30_000,
    "nested quotes": b">" * 20_000 + b" Our consultation opens today.\n",
    "nested lists": "".join("  " * depth + "- item\n" for depth in range(3_000)).encode(),
    "open brackets": b"[" * 100_000 + b"Our consultation opens today.",
    "nested unclosed HTML": b"<i>" * 100_000 + b"Bins." + b"</x>" * 100_000,
    "unclosed comment": b"<!-- purdah-lint: allow PE301 reason=r\n" + b"Our consultation opens today.\n" * 1000,
    "many headings": b"# Heading\n\n" * 20_000,
    "unclosed code fence": b"```\n" + b"Our consultation opens today.\n" * 1000,
    "entity flood": b"&#x110000;&#0;&amp;&#xD800;&nbsp;" * 20_000,
    "hyphen chains": b"a-" * 100_000,
    "many addresses": " ".join(f"https://example.org/{n} a{n}@example.org" for n in range(5_000)).encode(),
    "tabs and spaces": b"\t \t" * 50_000 + b"Our consultation opens today.\n",
    "binary noise": bytes(range(256)) * 200,
}
TEXT_FORMATS = ("md", "rst", "html", "txt")
QUICK_SHAPES = {("md", "NUL bytes"), ("rst", "unmatched inline marks"), ("html", "nested unclosed HTML"),
                ("txt", "1 MB single line"), ("rst", "nested lists")}
FORMAT_SPECIFIC = {
    "rst": {
        "include outside": b".. include:: /etc/passwd\n\n.. literalinclude:: ../../etc/shadow\n\n" + GOOD.encode(),
        "raw directive": b".. raw:: html\n\n   <script>alert(1)</script>\n\n" + GOOD.encode(),
        "substitution chain": b"".join(b".. |s%d| replace:: |s%d| |s%d|\n" % (n, n + 1, n + 1) for n in range(60))
                              + b"\n|s0|\n",
        "deep indentation": b"".join(b" " * depth + b"Para.\n\n" for depth in range(0, 6000, 3)),
        "huge grid table": b"+" + b"---+" * 2000 + b"\n|" + b" a |" * 2000 + b"\n+" + b"---+" * 2000 + b"\n",
        "unknown directives": b".. foo:: bar\n   :baz: \xff\n\n" * 2000,
    },
    "html": {
        "huge script": b"<script>" + b"var a=1;" * 200_000 + b"</script><p>Our consultation opens today.</p>",
        "charset nonsense": b"<meta charset=\"x-unknown-\xff\"><p>Our consultation opens today.</p>",
        "deep tables": b"<table><tr><td>" * 20_000 + b"Our consultation opens today.",
        "external entities": b"<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><p>&e; Our consultation opens today.</p>",
        "many attributes": b"<p " + b"".join(b"a%d=\"x\" " % n for n in range(50_000)) + b">Bins.</p>",
    },
    "md": {
        "reference definitions": b"".join(b"[r%d]: http://x/%d\n" % (n, n) for n in range(50_000)),
        "huge table": b"|a|b|\n|-|-|\n" + b"|x|y|\n" * 100_000,
        "link nesting": b"[" * 5_000 + b"a" + b"](b)" * 5_000,
    },
}


def document_cases() -> list[Case]:
    """Every text shape in every text format, format-specific shapes, Word and PDF files."""
    cases = []
    for (shape, content), suffix in itertools.product(TEXT_SHAPES.items(), TEXT_FORMATS):
        cases.append(_case("files", f"{suffix}: {shape}", {f"draft.{suffix}": content, "good.md": GOOD},
                           (*CHECK, "--format", "json", f"draft.{suffix}", "good.md"),
                           quick=(suffix, shape) in QUICK_SHAPES))
    for suffix, shapes in FORMAT_SPECIFIC.items():
        for shape, content in shapes.items():
            cases.append(_case("files", f"{suffix}: {shape}", {f"draft.{suffix}": content, "good.md": GOOD},
                               (*CHECK, f"draft.{suffix}", "good.md")))
    for shape, content in docx_shapes().items():
        cases.append(_case("files", f"docx: {shape}", {"draft.docx": content, "good.md": GOOD},
                           (*CHECK, "draft.docx", "good.md"), quick=shape == "zip bomb"))
    for shape, content in pdf_shapes().items():
        # 200 MB of decoded page content, within the decoding budget, lexed at about 1 MB/s: it ends
        # on the per-file time limit (300 s by default), so it may take that long.
        cases.append(_case("files", f"pdf: {shape}", {"draft.pdf": content, "good.md": GOOD},
                           (*CHECK, "draft.pdf", "good.md"), quick=shape == "reference loop",
                           timeout=330 if shape == "deflate bomb" else 120))
    return cases


def _docx(paragraphs=(GOOD,), extra: dict[str, bytes] | None = None, document_xml: bytes | None = None,
          compression=zipfile.ZIP_DEFLATED) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    members = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               b'content-types"><Default Extension="xml" ContentType="application/xml"/><Override '
                               b'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                               b'officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                       b'relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/'
                       b'2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": document_xml or (
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>").encode(),
        **(extra or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _flag_headers(data: bytes, flag_offsets, value_or) -> bytes:
    data = bytearray(data)
    for signature, offset in flag_offsets:
        start = 0
        while (found := data.find(signature, start)) != -1:
            value_or(data, found + offset)
            start = found + 4
    return bytes(data)


def docx_shapes() -> dict[str, bytes]:
    """Word files: good, broken, bombs, entity and path tricks."""
    good = _docx()
    xxe = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><w:document xmlns:w='
           b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&e;</w:t></w:r>'
           b"</w:p></w:body></w:document>")
    laughs = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
              + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + n]), (b"&%s;" % bytes([97 + n])) * 10) for n in range(8))
              + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                b"<w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>")
    return {
        "good": good,
        "truncated": good[: len(good) // 2],
        "not a zip": b"PK\x03\x04 this is not an archive",
        "empty file": b"",
        "zip bomb": _docx(extra={"word/media/bomb.bin": b"\0" * 300_000_000}),
        "huge paragraph": _docx(["Our consultation opens today. " * 100_000]),
        "many members": _docx(extra={f"word/m{n}.xml": b"<a/>" for n in range(5_000)}),
        "external entity": _docx(document_xml=xxe),
        "entity expansion": _docx(document_xml=laughs),
        "path traversal member": _docx(extra={"../../evil.xml": b"<a/>", "/abs.xml": b"<a/>"}),
        "encrypted flag": _flag_headers(good, ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)),
                                        lambda data, at: data.__setitem__(at, data[at] | 1)),
        "unknown compression": _flag_headers(good, ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)),
                                             lambda data, at: data.__setitem__(at, 99)),
        "stored, no compression": _docx(compression=zipfile.ZIP_STORED),
        "no document part": _docx(document_xml=b"", extra={}),
        "deep XML nesting": _docx(document_xml=b"<w:document xmlns:w='x'>" + b"<a>" * 100_000 + b"</a>" * 100_000
                                  + b"</w:document>"),
    }


def pdf_shapes() -> dict[str, bytes]:
    """PDF files built by hand: good, broken, loops and decompression bombs."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from pdfmaker import one_page, raw_pdf, stream, text_ops

    good = one_page(text_ops(b"Our consultation opens today."))
    loop = raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])
    return {
        "good": good,
        "truncated": good[: len(good) // 2],
        "not a PDF": b"%PDF-1.7\nnothing here",
        "empty file": b"",
        "reference loop": loop,
        "deflate bomb": one_page(b"", more=[stream(b"\0" * 200_000_000, deflate=True)])
        .replace(b"/Contents 4 0 R", b"/Contents 6 0 R"),
        "millions of characters": one_page(b"BT /F1 1 Tf " + b"(aaaaaaaaaaaaaaaaaaaa) Tj " * 200_000 + b"ET"),
        "garbage cross-reference": good.replace(b"xref", b"xref\n9999999999 9999999999\n"),
        "huge page count": raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                    b"<< /Type /Pages /Kids [" + b"3 0 R " * 100_000 + b"] /Count 100000 >>",
                                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1 1] >>"]),
        "deep arrays": one_page(text_ops(b"Bins."), page_extra=b"/X " + b"[" * 100_000 + b"]" * 100_000),
        "encrypted": good.replace(b"trailer\n<<", b"trailer\n<< /Encrypt << /Filter /Standard /V 5 >>"),
    }


# ---------------------------------------------------------------- YAML: front matter, waivers, packs, labels

YAML_SHAPES = {
    "alias bomb": "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                  "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                  "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n",
    "recursive alias": "a: &a [*a]\n",
    "python tag": "a: !!python/object/apply:os.system ['touch pwned']\n",
    "complex key": "? [a, b]\n: c\n",
    "deep nesting": "a: " + "[" * 500 + "]" * 500 + "\n",
    "impossible date": "date: 2024-02-30\n",
    "impossible time": "date: 2024-02-01 25:61:00\n",
    "huge offset": "date: 2024-02-01T10:00:00+99:00\n",
    "a list, not a mapping": "- a\n- b\n",
    "a scalar": "just words\n",
    "binary tag": "a: !!binary AAAA\n",
    "tab indentation": "a:\n\t- b\n",
    "duplicate keys": "a: 1\na: 2\n",
    "NUL byte": "a: b\x00c\n",
    "invalid UTF-8": b"a: \xff\xfe\n",
    "10,000 keys": "".join(f"k{n}: {n}\n" for n in range(10_000)),
    "long string": "a: " + "x" * 2_000_000 + "\n",
    "unknown tag": "a: !secret x\n",
    "merge key bomb": "a: &a {x: 1}\nb: {<<: [*a, *a, *a, *a]}\n",
}


def _waiver_entry(**overrides) -> str:
    entry = {"codes": "[PE301]", "reason": "r", "approved-by": "a", "expires": "2030-01-01", **overrides}
    return "waivers:\n  - " + "\n    ".join(f"{key}: {value}" for key, value in entry.items()) + "\n"


def yaml_cases() -> list[Case]:
    """Each hostile YAML shape as front matter, central waivers, a rule file and corpus labels."""
    cases = []
    for shape, content in YAML_SHAPES.items():
        body = _text(content)
        quick = shape in ("alias bomb", "python tag", "impossible date")
        cases.append(_case("yaml", f"front matter: {shape}", {"draft.md": b"---\n" + body + b"---\n" + GOOD.encode(),
                                                               "good.md": GOOD},
                           (*CHECK, "draft.md", "good.md"), quick=quick))
        cases.append(_case("yaml", f"waiver file: {shape}", {"purdah-waivers.yaml": body, "draft.md": GOOD},
                           (*CHECK, "draft.md"), quick=quick))
        cases.append(_case("yaml", f"rule pack: {shape}", {"pack/rule.yml": body, "draft.md": GOOD},
                           (*CHECK, "--pack", "pack", "draft.md")))
        cases.append(_case("yaml", f"labels: {shape}", {"corpus/labels.yaml": body, "corpus/docs/a.md": GOOD},
                           ("eval", "corpus")))
    for key, value in (("expires", "2024-02-30"), ("expires", "'25:61'"), ("expires", "2024-01-01T00:00+99:00"),
                       ("codes", "5"), ("codes", "[" + ", ".join(f"ZZ{n}" for n in range(20_000)) + "]"),
                       ("paths", "[1, 2]"), ("match", "'(a|a)*X'"), ("reason", "{a: b}"), ("approved-by", "[]"),
                       ("paths", "['../../../etc/*']"), ("match", "'" + "x" * 100_000 + "'")):
        cases.append(_case("waivers", f"central {key}: {value[:30]}", {"purdah-waivers.yaml": _waiver_entry(**{key: value}),
                                                                       "draft.md": GOOD}, (*CHECK, "draft.md")))
    inline = {
        "20,000 unknown codes": "<!-- purdah-lint: allow " + ",".join(f"ZZ{n}" for n in range(20_000))
                                + " reason=r approved-by=a expires=2030-01-01 -->\n" + GOOD,
        "20,000 waivers": ("<!-- purdah-lint: allow PE301 reason=r approved-by=a expires=2030-01-01 -->\n" + GOOD
                           + "\n") * 20_000,
        "impossible expiry": "<!-- purdah-lint: allow PE301 reason=r approved-by=a expires=2024-02-30 -->\n" + GOOD,
        "no fields": "<!-- purdah-lint: allow -->\n" + GOOD,
        "unterminated field": "<!-- purdah-lint: allow PE301 reason=\"r approved-by=a -->\n" + GOOD,
        "front matter waiver of wrong type": "---\npurdah-lint: {allow: 5}\n---\n" + GOOD,
        "front matter waiver list of lists": "---\npurdah-lint: {allow: [[1, 2]]}\n---\n" + GOOD,
    }
    for shape, content in inline.items():
        cases.append(_case("waivers", f"inline: {shape}", {"draft.md": content, "good.md": GOOD},
                           (*CHECK, "--report-unused-waivers", "draft.md", "good.md"),
                           quick=shape == "20,000 unknown codes"))
    rule = ("code: ORG101\ncategory: consultation\nextends: existence\nlevel: warning\nmessage: \"m '%s'\"\n"
            "guidance: g\nsignoff: s\ntokens: [{token}]\nexamples:\n  fail: [\"{fail}\"]\n  pass: [\"b\"]\n")
    for token, fail in (("'(?:a|a)*X'", "aX"), ("'(?:\\\\w|\\\\w\\\\w)*X'", "aX"), ("'(?:a{1,1000}){1,1000}X'", "aX"),
                        ("'\\\\w*\\\\w*\\\\w*\\\\w*\\\\w*X'", "aX"), ("'" + "a" * 1_100_000 + "'", "a"),
                        ("'(?P<x>a)(?P=x)'", "aa"), ("'['", "a"), ("5", "5"), ("'(?{system})'", "a")):
        cases.append(_case("packs", f"token {token[:30]}", {"pack/rule.yml": rule.format(token=token, fail=fail),
                                                            "draft.md": GOOD}, (*CHECK, "--pack", "pack", "draft.md")))
    for field_name, value in (("code", "'::error::x'"), ("level", "panic"), ("message", "'\\e[31m::error::%s'"),
                              ("extends", "python"), ("category", "[1]"), ("examples", "5")):
        text = re.sub(rf"^{field_name}: .*$", lambda _, line=f"{field_name}: {value}": line, rule.format(token="'bins'", fail="bins"),
                      flags=re.MULTILINE)
        cases.append(_case("packs", f"field {field_name}: {value}", {"pack/rule.yml": text, "draft.md": GOOD},
                           (*CHECK, "--pack", "pack", "draft.md")))
    cases.append(_case("packs", "a pack that is a file", {"pack": b"x", "draft.md": GOOD},
                       (*CHECK, "--pack", "pack", "draft.md")))
    cases.append(_case("packs", "a pack rule that is a FIFO", {"draft.md": GOOD}, (*CHECK, "--pack", "pack", "draft.md"),
                       fifos=("pack/rule.yml",)))
    labels = "schema: purdah-corpus/1\ndocuments:\n- {entry}\n"
    for entry in ("{kind: consultation}", "{file: ../../etc/passwd}", "{file: docs/a.md, date: 2024-02-30}",
                  "{file: docs/a.md, categories: 5}", "5", "{file: [1]}", "{file: docs/missing.md}"):
        cases.append(_case("labels", f"label {entry}", {"corpus/labels.yaml": labels.format(entry=entry),
                                                        "corpus/docs/a.md": GOOD}, ("eval", "corpus")))
    return cases


# ---------------------------------------------------------------- config

CONFIG_KEYS = ("organisation_type", "region", "areas", "lead_in_days", "as_of", "fail_level", "select", "ignore",
               "packs", "max_file_bytes", "max_seconds_per_file", "consultation_paths", "language", "waivers",
               "only_central_waivers", "report_unused_waivers", "windows", "existing_content_categories")
BAD_VALUES = ("1", '"x"', "[1, 2]", "{a = 1}", "nan", "inf", "-1", "0", "1e309", '"../../../etc/passwd"', "true",
              "99999999999999999999999", "2024-02-30")


def config_cases() -> list[Case]:
    """Every config key with values of every wrong kind; broken TOML; config files that are not files."""
    cases = []
    for key, value in itertools.product(CONFIG_KEYS, BAD_VALUES):
        cases.append(_case("config", f"{key} = {value}", {".purdah-lint.toml": f"{key} = {value}\n", "draft.md": GOOD},
                           ("check", "draft.md"), quick=(key, value) in (("max_seconds_per_file", "nan"),
                                                                       ("waivers", "1"))))
    broken = {
        "not UTF-8": b"region = \"\xff\xfe\"\n",
        "not TOML": b"[[[\n",
        "tool = 1 in pyproject": b"tool = 1\n",
        "deep tables": b"a = " + b"[" * 5_000 + b"]" * 5_000 + b"\n",
        "window with injection": "[[windows]]\nid = \"::error::x\"\nname = \"\\u001b[31m##[group]\"\nstart = 2024-01-01\n"
                                 "end = 2030-01-01\n",
        "window bad dates": "[[windows]]\nid = \"a.2024-05-02\"\nstart = 2024-06-01\nend = 2024-01-01\n",
        "10,000 windows": "".join(f"[[windows]]\nid = \"local.{n}\"\nstart = 2024-01-01\n" for n in range(10_000)),
        "huge file": b"# " + b"x" * 20_000_000 + b"\n",
        "owners wrong type": "[[owners]]\nurl = 5\nteam = []\n",
    }
    for shape, content in broken.items():
        name = "pyproject.toml" if "pyproject" in shape else ".purdah-lint.toml"
        cases.append(_case("config", f"config: {shape}", {name: content, "draft.md": GOOD}, ("check", "draft.md")))
    for device in ("/dev/zero", "/dev/stdin", "/dev/null", "/"):
        for option in ("--config", "--waivers", "--baseline"):
            cases.append(_case("config", f"{option} {device}", {"draft.md": GOOD}, (*CHECK, option, device, "draft.md"),
                               timeout=60))
    for option in ("--config", "--waivers", "--baseline"):
        cases.append(_case("config", f"{option} a FIFO", {"draft.md": GOOD}, (*CHECK, option, "fifo", "draft.md"),
                           fifos=("fifo",), timeout=60, quick=option == "--config"))
    for jobs in ("0", "-1", "1e3", "100000", "x", "999999999999999999999"):
        cases.append(_case("concurrency", f"--jobs {jobs}", {"draft.md": GOOD}, (*CHECK, "--jobs", jobs, "draft.md")))
    for date in ("2024-02-30", "99999-01-01", "0000-01-01", "yesterday", "2024-1-1"):
        cases.append(_case("config", f"--as-of {date}", {"draft.md": GOOD}, ("check", "--as-of", date, "draft.md")))
    return cases


# ---------------------------------------------------------------- concurrency and many files

def concurrency_cases() -> list[Case]:
    """Bad files among many, checked by worker processes; Ctrl-C while they run."""
    many = {f"d{n:03d}.md": GOOD for n in range(60)}
    bad = {**many, "d007.md": "---\ndate: 2024-02-30\n---\n" + GOOD, "d020.md": b"\x00\xff" * 100,
           "d030.md": "---\na: &a [*a]\n---\n", "d040.docx": b"PK\x03\x04broken"}
    slow = {f"s{n:02d}.md": ("Our consultation opens today and runs for twelve weeks. " * 400 + "\n\n") * 40
            for n in range(40)}
    return [
        _case("concurrency", "bad files among many, 2 jobs", bad, (*CHECK, "--jobs", "2", "--format", "json", "."),
              quick=True),
        _case("concurrency", "bad files among many, 8 jobs", bad, (*CHECK, "--jobs", "8", "."), timeout=240),
        _case("concurrency", "Ctrl-C under --jobs", slow, (*CHECK, "--jobs", "2", "."), codes=frozenset({130}),
              interrupt=True, timeout=240),
        _case("concurrency", "bad files among many, one process", bad, (*CHECK, "--jobs", "1", ".")),
        _case("concurrency", "unreadable names among many", {**many, "caf\"é.md": GOOD, "a\tb.md": GOOD},
              (*CHECK, "--jobs", "2", ".")),
    ]


# ---------------------------------------------------------------- outputs and injection

def output_cases() -> list[Case]:
    """Reports aimed at inputs, links to inputs, devices, folders; written reports checked for injection."""
    files = {"draft.md": GOOD, ".purdah-lint.toml": "fail_level = \"never\"\n",
             "purdah-waivers.yaml": _waiver_entry(), "baseline.json": b"{}"}
    links = {"link.md": "draft.md", "link-config": ".purdah-lint.toml", "dangling": "missing/out.json"}
    cases = []
    for option in ("--output", "--audit"):
        for target in ("draft.md", ".purdah-lint.toml", "purdah-waivers.yaml", "link.md", "link-config", "./draft.md",
                       "sub/../draft.md", "/dev/full", ".", "missing/out.txt", "dangling", "out.txt"):
            reports = ("out.txt",) if target == "out.txt" else ()
            cases.append(_case("outputs", f"{option} {target}", files, ("check", "--in-window", option, target,
                                                                         "draft.md"),
                               links=links, reports=reports, quick=(option, target) == ("--output", "link.md")))
    for target in ("draft.md", "link.md", ".purdah-lint.toml", "purdah-waivers.yaml", "/dev/full", "new.json"):
        cases.append(_case("outputs", f"baseline -o {target}", files, ("baseline", "-o", target, "draft.md"),
                           links=links))
    cases.append(_case("outputs", "--output is the --baseline", files,
                       (*CHECK, "--baseline", "baseline.json", "--output", "baseline.json", "draft.md")))
    for shape in ("{", "[]", '{"findings": 5}', '{"version": 1, "findings": [{"path": 1}]}', "null", "\xff"):
        cases.append(_case("outputs", f"malformed baseline {shape}", {**files, "baseline.json": shape},
                           (*CHECK, "--baseline", "baseline.json", "draft.md")))
    return cases


def injection_cases() -> list[Case]:
    """Injection strings in file names, waiver fields, window names and rule text, in every format."""
    cases = []
    for number, injection in enumerate(INJECTIONS):
        name = f"x{injection}.md".replace("/", "_")
        waiver = _waiver_entry(reason=repr(injection).replace("'", '"'), **{"approved-by": '"::error::a"'},
                               expires="2020-01-01")
        config = (f'[[windows]]\nid = "local.2024-05-02"\nname = {repr(injection).replace(chr(39), chr(34))}\n'
                  "start = 2024-01-01\nend = 2030-01-01\n")
        inline = (f"<!-- purdah-lint: allow PE301 reason=\"{injection}\" approved-by=::a expires=2020-01-01 -->\n"
                  + GOOD)
        for output in FORMATS:
            report = ("--output", "report.out") if output == "html" else ()
            reports = ("report.out",) if report else ()
            quick = number in (0, 3) and output in ("text", "github")
            cases.append(_case("injection", f"file name {injection!r} as {output}", {name: GOOD},
                               ("check", "--in-window", "--format", output, *report, "."), reports=reports,
                               quick=quick or number == 0))
            cases.append(_case("injection", f"waiver fields {injection!r} as {output}",
                               {"draft.md": GOOD, "purdah-waivers.yaml": waiver, "inline.md": inline},
                               ("check", "--in-window", "--report-unused-waivers", "--show-waived", "--format",
                                output, *report, "draft.md", "inline.md"), reports=reports))
            cases.append(_case("injection", f"window name {injection!r} as {output}",
                               {"draft.md": GOOD, ".purdah-lint.toml": config},
                               ("check", "--window", "local.2024-05-02", "--format", output, *report, "draft.md"),
                               reports=reports))
    return cases


# ---------------------------------------------------------------- Sphinx

SPHINX_CONF = "extensions = ['purdah_lint.sphinxext']\n{extra}\n"
SPHINX_PAGES = {
    "good": "Title\n=====\n\n" + GOOD,
    "bad as-of": "Title\n=====\n\n.. purdah-page::\n   :as-of: 2024-02-30\n\n" + GOOD,
    "unknown window": "Title\n=====\n\n.. purdah-page::\n   :window: ::error::x\n\n" + GOOD,
    "unmatched marks": "Title\n=====\n\n" + "*a " * 20_000 + "\n",
    "alias bomb front matter": ":purdah-lint: &a [*a]\n\nTitle\n=====\n\n" + GOOD,
}
SPHINX_CONFS = {
    "default": "",
    "time limit nan": "purdah_lint_max_seconds_per_file = float('nan')",
    "time limit huge": "purdah_lint_max_seconds_per_file = 1e300",
    "packs wrong type": "purdah_lint_packs = 5",
    "fail level nonsense": "purdah_lint_fail_level = '::error::x'",
}


def sphinx_cases() -> list[Case]:
    """sphinx-build with the extension on hostile pages and hostile conf values."""
    cases = []
    for page, text in SPHINX_PAGES.items():
        cases.append(_case("sphinx", f"page: {page}", {"src/conf.py": SPHINX_CONF.format(extra=""),
                                                        "src/index.rst": text},
                           ("-q", "--no-color", "-b", "html", "src", "out"), command=SPHINX_BUILD, timeout=240,
                           quick=page == "bad as-of"))
    for conf, extra in SPHINX_CONFS.items():
        if conf != "default":
            cases.append(_case("sphinx", f"conf: {conf}", {"src/conf.py": SPHINX_CONF.format(extra=extra),
                                                            "src/index.rst": SPHINX_PAGES["good"]},
                               ("-q", "--no-color", "-b", "html", "src", "out"), command=SPHINX_BUILD, timeout=240))
    return cases


def all_cases() -> list[Case]:
    """Every case of the review, in a fixed order."""
    return [*document_cases(), *yaml_cases(), *config_cases(), *concurrency_cases(), *output_cases(),
            *injection_cases(), *sphinx_cases()]


# ---------------------------------------------------------------- running a case

def _state(folder: Path) -> dict[str, tuple[str, int]]:
    state = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            state[str(path.relative_to(folder))] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    return state


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_LIMIT, ADDRESS_LIMIT))
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # as a shell starts it, whatever the runner ignores
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _prepare(case: Case, folder: Path) -> None:
    for name, content in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    for name, target in case.links.items():
        (folder / name).symlink_to(target)
    for name in case.fifos:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(folder / name)
    (folder / "sub").mkdir(exist_ok=True)


def _workers_started(pid: int) -> bool:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return children.exists() and len(children.read_text().split()) >= 2


def run_case(case: Case, root: Path) -> list[str]:
    """Run one case in a fresh folder under ``root``; return what went wrong (nothing, if it held)."""
    folder = Path(tempfile.mkdtemp(dir=root))
    try:
        _prepare(case, folder)
        before = _state(folder)
        with open(folder.parent / f"{folder.name}.out", "w+b") as out, \
                open(folder.parent / f"{folder.name}.err", "w+b") as err:
            started = time.monotonic()
            process = subprocess.Popen([str(case.command), *case.args], cwd=folder, stdin=subprocess.DEVNULL,
                                       stdout=out, stderr=err, start_new_session=True, preexec_fn=_limits,
                                       env={**os.environ, "PYTHONFAULTHANDLER": "1"})
            problems = _wait(case, process, started)
            out.seek(0)
            err.seek(0)
            streams = {"stdout": out.read().decode("utf-8", "replace"), "stderr": err.read().decode("utf-8", "replace")}
        for name in case.reports:
            if (folder / name).is_file():
                streams[name] = (folder / name).read_text(encoding="utf-8", errors="replace")
        return problems + _check_streams(streams) + _check_inputs(before, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        for suffix in (".out", ".err"):
            (folder.parent / f"{folder.name}{suffix}").unlink(missing_ok=True)


def _wait(case: Case, process: subprocess.Popen, started: float) -> list[str]:
    problems = []
    if case.interrupt:
        while not _workers_started(process.pid) and process.poll() is None and time.monotonic() - started < 60:
            time.sleep(0.1)
        time.sleep(1)
        if process.poll() is not None:
            problems.append("ended before it could be interrupted")
        else:
            os.killpg(process.pid, signal.SIGINT)
    deadline = started + case.timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            os.waitpid(process.pid, 0)
            return [f"hang: still running after {case.timeout:.0f} s"]
        time.sleep(0.05)
    process.returncode = os.waitstatus_to_exitcode(status)
    _reap_group(process.pid)
    if process.returncode < 0:
        problems.append(f"killed by signal {-process.returncode}")
    elif process.returncode not in case.codes:
        problems.append(f"exit code {process.returncode}")
    if usage.ru_maxrss * 1024 > PEAK_LIMIT:
        problems.append(f"memory: peak {usage.ru_maxrss // 1024} MiB")
    return problems


def _reap_group(pid: int) -> None:
    """End any worker the run left behind (its own process group), so no case leaks into the next."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _check_streams(streams: dict[str, str]) -> list[str]:
    problems = []
    for name, text in streams.items():
        for marker in ("Traceback (most recent call last)", "Fatal Python error", "MemoryError", "Segmentation fault"):
            if marker in text:
                problems.append(f"{name}: {marker!r}: {text[text.index(marker):][:300]!r}")
        if _CONTROL.search(text):
            found = _CONTROL.search(text)
            problems.append(f"{name}: raw control character {found.group()!r}: {text[max(0, found.start() - 60):found.end() + 20]!r}")
        found = next((found for found in _COMMAND.finditer(text)
                      if found.group() == "##[" or not _OWN_ANNOTATION.match(text, found.end() - 2)), None)
        if found:
            problems.append(f"{name}: workflow command: {text[max(0, found.start() - 60):found.end() + 60]!r}")
    return problems


def _check_inputs(before: dict, folder: Path) -> list[str]:
    after = _state(folder)
    return [f"input changed or removed: {name}" for name, state in before.items() if after.get(name) != state]


# ---------------------------------------------------------------- the command

def review(cases: list[Case], parallel: int = 2, verbose: bool = True) -> dict[str, list[str]]:
    """Run ``cases`` (``parallel`` at a time); return the problems of each case that failed, by case."""
    failures = {}
    with tempfile.TemporaryDirectory(prefix="hostile-review-") as root:
        with ThreadPoolExecutor(parallel) as pool:
            for case, problems in zip(cases, pool.map(lambda case: run_case(case, Path(root)), cases)):
                label = f"{case.category}: {case.name}"
                if problems:
                    failures[label] = problems
                if verbose:
                    print(f"{'FAIL' if problems else 'ok  '} {label!r}" + "".join(f"\n     {p}" for p in problems),
                          flush=True)
    return failures


def main() -> int:
    """Run the review from the command line; exit 1 if any case failed."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="only the representative cases the test suite runs")
    parser.add_argument("--only", metavar="CATEGORY", help="only these categories (comma-separated)")
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    parser.add_argument("--parallel", type=int, default=2, help="cases run at a time (default 2)")
    args = parser.parse_args()
    cases = [case for case in all_cases() if (case.quick or not args.quick)
             and (args.only is None or case.category in args.only.split(","))]
    if args.list:
        for case in cases:
            print(f"{case.category}: {case.name!r}")
        print(f"{len(cases)} cases")
        return 0
    started = time.monotonic()
    failures = review(cases, args.parallel)
    by_category = {}
    for case in cases:
        by_category.setdefault(case.category, [0, 0])[0] += 1
        if f"{case.category}: {case.name}" in failures:
            by_category[case.category][1] += 1
    print(f"\n{len(cases)} cases in {time.monotonic() - started:.0f} s; {len(failures)} failed")
    for category, (count, failed) in by_category.items():
        print(f"  {category:12} {count:4} cases, {failed} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
