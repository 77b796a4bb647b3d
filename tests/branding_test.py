#!/usr/bin/python3
"""Branding without forking templates: a logo and a footer named in
lagesrapport.yaml, and section titles changed with one small rubriker.yaml.

- A PNG and an SVG logo are embedded in the report and the feedback pages
  as data: URIs carrying the file's exact bytes.
- An oversized logo is refused at its line in lagesrapport.yaml, with
  nothing written.
- The footer is on every page, and as the printed pages' margin text in
  the stylesheet, where quotes and "</style>" cannot break out. Its limit
  of 120 counts characters, not bytes; a logotyp that is not a line of
  text is an error at its line.
- One title in the project's rubriker.yaml changes it in the HTML (heading
  and table of contents), the Markdown and the Word document; every other
  title stays.

Usage: branding_test.py LAGESRAPPORT SOURCE_DIR
"""
import base64
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile

BIN = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
FIXTURE = os.path.join(SRC, "tests", "fixtures", "minimal")
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
       b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
SVG = (b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\n<!-- Provl\xc3\xa4ns logotyp -->\n'
       b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n')


class BrandingTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lr-brand-")
        self.project = os.path.join(self.tmp, "projekt")
        shutil.copytree(FIXTURE, self.project)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def configure(self, extra, files):
        for name, data in files.items():
            path = os.path.join(self.project, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        with open(os.path.join(self.project, "lagesrapport.yaml"), "a", encoding="utf-8") as f:
            f.write(extra)

    def build(self, formats="md,html"):
        out = os.path.join(self.tmp, "ut")
        r = subprocess.run([BIN, "-C", self.project, "build", "2022", "--out", out, "--format", formats],
                           capture_output=True, text=True, timeout=120, env=dict(os.environ, NO_COLOR="1"))
        return r, out

    def read(self, out, name):
        with open(os.path.join(out, name), encoding="utf-8") as f:
            return f.read()

    def test_logos_are_embedded_with_their_bytes(self):
        for name, data, mime in [("logotyp.png", PNG, "image/png"), ("bild/logo.svg", SVG, "image/svg+xml")]:
            with self.subTest(logo=name):
                shutil.rmtree(self.project)
                shutil.copytree(FIXTURE, self.project)
                self.configure(f"logotyp: {name}\n", {name: data})
                r, out = self.build()
                self.assertEqual(r.returncode, 0, r.stderr)
                for page in ["lagesrapport-2022.html", "aterkoppling/aneby.html"]:
                    html = self.read(out, page)
                    m = re.search(r'<img class="logotyp" src="data:([^;]+);base64,([A-Za-z0-9+/=]+)" alt="Provlän">',
                                  html)
                    self.assertIsNotNone(m, page)
                    self.assertEqual(m.group(1), mime)
                    self.assertEqual(base64.b64decode(m.group(2)), data)
                self.assertNotIn("logotyp", self.read(out, "lagesrapport-2022.md"))

    def test_oversized_logo_is_refused_at_its_line(self):
        big = PNG + b"\x00" * (300 * 1024)
        self.configure("logotyp: stor.png\n", {"stor.png": big})
        r, out = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(f'{self.project}/lagesrapport.yaml:6:10: fel: logotypen "{self.project}/stor.png" '
                      "är större än 256 kB", r.stderr)
        self.assertFalse(os.path.exists(out))

    def test_footer_on_every_page_and_in_print(self):
        footer = 'Länsstyrelsen i Provlän · "kvinnofrid" </style><script>x</script>'
        self.configure(f"sidfot: '{footer}'\n", {})
        r, out = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        escaped = footer.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        for page in ["lagesrapport-2022.html", "aterkoppling/aneby.html"]:
            html = self.read(out, page)
            self.assertIn(f'<footer class="sidfot">\n<p>{escaped}</p>', html, page)
            style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
            self.assertIn('@bottom-left { content: "Länsstyrelsen i Provlän · \\22 kvinnofrid\\22  \\3C /style>'
                          '\\3C script>x\\3C /script>";', style)
            self.assertNotIn("<script", html.replace("&lt;script", ""))

    def test_footer_limit_counts_characters_not_bytes(self):
        self.configure("sidfot: " + "å" * 120 + "\n", {})
        r, _ = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(self.project, "lagesrapport.yaml"), "a", encoding="utf-8") as f:
            f.write("logotyp: [a.png]\n")
        r = subprocess.run([BIN, "-C", self.project, "check", "2022"], capture_output=True, text=True,
                           timeout=60, env=dict(os.environ, NO_COLOR="1"))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"lagesrapport\.yaml:7:10: fel: ")

    def test_one_title_changed_by_one_small_file(self):
        self.configure("mallar: mallar\n", {"mallar/rubriker.yaml": "inledning: Bakgrund\n".encode()})
        r, out = self.build("md,html,docx")
        self.assertEqual(r.returncode, 0, r.stderr)
        html = self.read(out, "lagesrapport-2022.html")
        self.assertIn('<h2 id="inledning">Bakgrund</h2>', html)
        self.assertIn('<li><a href="#inledning">Bakgrund</a></li>', html)
        self.assertNotIn(">Inledning<", html)
        self.assertIn('<h2 id="aktorer">Aktörernas arbete</h2>', html, "the other titles stay")
        md = self.read(out, "lagesrapport-2022.md")
        self.assertIn("\n## Bakgrund\n", md)
        self.assertNotIn("## Inledning", md)
        with zipfile.ZipFile(os.path.join(out, "lagesrapport-2022.docx")) as z:
            body = z.read("word/document.xml").decode()
        self.assertIn('<w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Bakgrund</w:t>', body)
        self.assertNotIn(">Inledning<", body)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
