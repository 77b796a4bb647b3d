#!/usr/bin/python3
"""The HTML pages against hostile statements and in a real browser.

A statement full of raw HTML, scripts, javascript: links and 100 KiB of
Markdown must give a safe page quickly; the page must render in headless
Chromium without making a single network request.

Usage: html_test.py LAGESRAPPORT SOURCE_DIR
"""
import html.parser
import http.server
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest

BIN = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
FIXTURE = os.path.join(SRC, "tests", "fixtures", "minimal")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

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


class NoRequests(http.server.BaseHTTPRequestHandler):
    """A proxy that only counts: every request the page made would pass here."""
    seen = []

    def do_GET(self):
        NoRequests.seen.append(self.path)
        self.send_response(404)
        self.end_headers()

    do_CONNECT = do_POST = do_HEAD = do_GET

    def log_message(self, *args):
        pass


@unittest.skipUnless(CHROMIUM, "chromium is not installed (./bootstrap installs it)")
class BrowserTest(unittest.TestCase):
    def test_report_renders_offline(self):
        tmp = tempfile.mkdtemp(prefix="lr-chromium-")
        try:
            out = os.path.join(tmp, "out")
            r = subprocess.run([BIN, "-C", os.path.join(SRC, "data", "jonkoping"), "build", "2022",
                                "--out", out, "--format", "html"], capture_output=True, text=True, timeout=120)
            self.assertEqual(r.returncode, 0, r.stderr)
            proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NoRequests)
            threading.Thread(target=proxy.serve_forever, daemon=True).start()
            shot = os.path.join(tmp, "sida.png")
            for page in ["lagesrapport-2022.html", "aterkoppling/aneby.html"]:
                if os.path.exists(shot):
                    os.remove(shot)
                cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                       "--no-first-run", "--disable-background-networking", "--disable-component-update",
                       "--disable-sync", "--disable-extensions", f"--user-data-dir={tmp}/profil",
                       f"--proxy-server=http://127.0.0.1:{proxy.server_address[1]}",
                       "--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND",
                       "--window-size=1024,3000", f"--screenshot={shot}",
                       "file://" + os.path.join(out, page)]
                subprocess.run(cmd, capture_output=True, timeout=120)
                self.assertTrue(os.path.exists(shot), page)
                with open(shot, "rb") as f:
                    data = f.read()
                self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
                width, height = struct.unpack(">II", data[16:24])
                self.assertEqual((width, height), (1024, 3000), page)
                # A blank page compresses to almost nothing; a rendered report does not.
                self.assertGreater(len(data), 50_000, page)
            proxy.shutdown()
            self.assertEqual(NoRequests.seen, [], "the page made network requests")
        finally:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
