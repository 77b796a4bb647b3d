#!/usr/bin/python3
"""The HTML pages against hostile statements.

A statement full of raw HTML, scripts, javascript: links and 100 KiB of
Markdown must give a safe page quickly. tests/browser_test.py renders the
pages in a real browser.

Usage: html_test.py LAGESRAPPORT SOURCE_DIR
"""
import html.parser
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

BIN = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
FIXTURE = os.path.join(SRC, "tests", "fixtures", "minimal")

HOSTILE = """aktör: polisen
år: 2022
kontakt: {namn: "<b>Fet</b> Kontakt", epost: polis@polisen.example}
aktiviteter:
  - rubrik: "<script>alert('rubrik')</script> & <img src=x onerror=alert(1)>"
    mål: ["3"]
    status: pågående
    målgrupp: "\\"><svg onload=alert(2)>"
    beskrivning: |
      <script>alert('beskrivning')</script>

      <iframe src="https://evil.example/"></iframe>

      [klicka](javascript:alert(3)) och [data](data:text/html;base64,PHNjcmlwdD4=)
      och ![bild](https://evil.example/spion.png) och <a href="javascript:alert(4)">länk</a>

      <style>body { display: none }</style>
framgångsfaktorer: |
  <img src="https://evil.example/pixel.gif"> **Bra** samverkan.
"""


class Elements(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.urls = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.urls.append(("event", name, value))
            if name in ("src", "href", "action", "data", "poster", "srcset") and value is not None:
                self.urls.append((tag, name, value))


def build(project, out):
    r = subprocess.run([BIN, "-C", project, "build", "2022", "--out", out, "--format", "md,html"],
                       capture_output=True, text=True, timeout=120, env=dict(os.environ, NO_COLOR="1"))
    return r


class HostileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lr-html-")
        cls.project = os.path.join(cls.tmp, "projekt")
        shutil.copytree(FIXTURE, cls.project)
        with open(os.path.join(cls.project, "2022/yttranden/polisen.yaml"), "w", encoding="utf-8") as f:
            f.write(HOSTILE)
        big = "".join(f"Stycke {i} med *betoning* och [länk](https://x.example/{i}) " * 4 + "\n\n"
                      for i in range(700))
        assert len(big.encode()) > 100 * 1024
        with open(os.path.join(cls.project, "2022/yttranden/eksjo.yaml"), "w", encoding="utf-8") as f:
            f.write("aktör: eksjo\når: 2022\naktiviteter:\n  - rubrik: Lång text\n    mål: [\"1:1\"]\n"
                    "    status: genomförd\n    beskrivning: |\n")
            for line in big.splitlines():
                f.write("      " + line + "\n")
        cls.out = os.path.join(cls.tmp, "out")
        start = time.monotonic()
        cls.result = build(cls.project, cls.out)
        cls.seconds = time.monotonic() - start
        print(f"build with hostile statements took {cls.seconds:.2f} s")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def pages(self):
        for d, _, files in os.walk(self.out):
            for f in files:
                if f.endswith(".html"):
                    with open(os.path.join(d, f), encoding="utf-8") as fh:
                        yield f, fh.read()

    def test_build_succeeds(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        # A guard against hangs, not a timing target: slow inputs in cmark
        # are capped, so this takes well under a second.
        self.assertLess(self.seconds, 30)

    def test_no_script_handler_or_unsafe_url_reaches_a_page(self):
        for name, page in self.pages():
            p = Elements()
            p.feed(page)
            for tag in ("script", "iframe", "img", "style", "object", "embed"):
                self.assertEqual(p.tags.count(tag), 1 if tag == "style" else 0, f"{name}: <{tag}>")
            for tag, attr, value in p.urls:
                self.assertNotEqual(tag, "event", f"{name}: {attr}={value}")
                self.assertFalse(value.lower().strip().startswith(("javascript:", "data:", "vbscript:")),
                                 f"{name}: {tag} {attr}={value}")
                if tag != "a":
                    self.assertFalse(value.startswith(("http:", "https:", "//")), f"{name}: {tag} {attr}={value}")
            # The heading is shown as text, escaped.
            if name == "lagesrapport-2022.html":
                self.assertIn("&lt;script&gt;alert(&#39;rubrik&#39;)&lt;/script&gt; &amp; &lt;img", page)

    def test_long_markdown_is_capped_with_a_note(self):
        self.assertIn("eksjo.yaml:7:18: varning: \"beskrivning\" är", self.result.stderr)
        self.assertIn("rapporterna visar de första 16 kB", self.result.stderr)
        _, page = next(p for p in self.pages() if p[0] == "lagesrapport-2022.html")
        self.assertIn("Texten är avkortad", page)
        self.assertLess(len(page.encode()), 200 * 1024)

    def test_markdown_report_has_no_raw_html(self):
        with open(os.path.join(self.out, "lagesrapport-2022.md"), encoding="utf-8") as f:
            md = f.read()
        self.assertNotIn("<script>alert('beskrivning')", md)
        self.assertNotIn("<iframe", md)
        self.assertNotIn("](javascript:", md)
        self.assertNotIn("<a href", md)
        self.assertIn("\\<script\\>", md)  # the heading, escaped as text


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
