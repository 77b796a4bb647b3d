#!/usr/bin/python3
"""The report as a reader gets it on paper and on a screen, measured in
headless Chromium.

- Jönköping 2022 printed to A4 PDF (read back with poppler's pdfinfo and
  pdftotext): the body before the appendix on at most 22 pages, numbered "Sida N av M" from page two on,
  and no page whose last line is a heading.
- The actors x goals heat map with 60 actors whose names are long: at
  desktop width no label's box (as the browser lays it out) reaches into
  a cell, a shortened name keeps the whole name in a <title>, and no text
  is smaller than 11 px; at 390 px the map gives way to the table, whose
  text is at least 11 px too.

Usage: print_test.py LAGESRAPPORT SOURCE_DIR
"""
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import needs

BIN = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
CHROMIUM = needs.program("chromium", "chromium-browser", package="chromium")
PDFINFO = needs.program("pdfinfo", package="poppler-utils")
PDFTOTEXT = needs.program("pdftotext", package="poppler-utils")
FIXTURE = os.path.join(SRC, "tests", "fixtures", "minimal")

# Reports the geometry the browser laid out into the page, since the page
# itself runs no scripts (its Content-Security-Policy forbids them).
MEASURE = """<script>
const out = {labels: [], cells: [], texts: [], titles: [], map: null, table: null};
const map = document.querySelector('svg.karta');
const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
const px = e => parseFloat(getComputedStyle(e).fontSize) * (e.getScreenCTM ? e.getScreenCTM().a : 1);
if (map && map.getBoundingClientRect().width > 0) {
  out.map = box(map);
  for (const g of map.querySelectorAll('g')) {
    const t = g.querySelector('text');
    const title = g.querySelector('title');
    out.labels.push({box: box(t), text: t.textContent, title: title ? title.textContent : null});
  }
  for (const r of map.querySelectorAll('rect')) out.cells.push(box(r));
  for (const t of map.querySelectorAll('text')) out.texts.push(px(t));
}
const table = document.querySelector('figure.karta + .tabell table');
if (table) out.table = [...table.querySelectorAll('th, td')].map(c => parseFloat(getComputedStyle(c).fontSize));
document.body.innerHTML = '<pre id="matt">' + JSON.stringify(out).replace(/</g, '\\\\u003c') + '</pre>';
</script>"""


def chromium(tmp, *args):
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-extensions", f"--user-data-dir={tmp}/profil", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


class Headings(html.parser.HTMLParser):
    """The page's heading texts, and the texts of its other blocks: a line
    that is both (a description that repeats its heading) says nothing."""
    BLOCKS = ("h1", "h2", "h3", "h4", "p", "li", "td", "th", "caption", "figcaption")

    def __init__(self):
        super().__init__()
        self.headings, self.others, self._text = [], set(), None

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._text = []

    def handle_endtag(self, tag):
        if tag in self.BLOCKS and self._text is not None:
            text = " ".join("".join(self._text).split())
            if tag.startswith("h") and tag != "th":
                self.headings.append(text)
            else:
                self.others.add(text)
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class PrintTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lr-print-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def build(self, project, year="2022"):
        out = os.path.join(self.tmp, "out")
        r = subprocess.run([BIN, "-C", project, "build", year, "--out", out, "--format", "html"],
                           capture_output=True, text=True, timeout=120, env=dict(os.environ, NO_COLOR="1"))
        self.assertEqual(r.returncode, 0, r.stderr)
        return out

    def test_jonkoping_prints_numbered_a4_without_stranded_headings(self):
        out = self.build(os.path.join(SRC, "data", "jonkoping"))
        page = os.path.join(out, "lagesrapport-2022.html")
        pdf = os.path.join(self.tmp, "rapport.pdf")
        chromium(self.tmp, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", "file://" + page)
        self.assertTrue(os.path.exists(pdf))
        info = subprocess.run([PDFINFO, pdf], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
        self.assertAlmostEqual(float(size.group(1)), 595.3, delta=1, msg="A4 width")
        self.assertAlmostEqual(float(size.group(2)), 841.9, delta=1, msg="A4 height")
        text = subprocess.run([PDFTOTEXT, pdf, "-"], capture_output=True, text=True, check=True).stdout
        texts = text.split("\f")[:pages]
        self.assertEqual(len(texts), pages)
        # The body ends where the appendix starts, at the top of a page (the
        # table of contents names it as "13. Bilaga: …").
        appendix = [n for n, t in enumerate(texts) if "Bilaga: samtliga aktiviteter" in t.splitlines()]
        self.assertEqual(len(appendix), 1, "the appendix is printed once")
        body = appendix[0]
        self.assertEqual(texts[body].strip().splitlines()[0], "Bilaga: samtliga aktiviteter",
                         "the appendix starts a page")
        # 22 pages before "Utveckling över åren" came; its table of every
        # sub-goal and its charts add one.
        self.assertLessEqual(body, 23, "the body of Jönköping 2022 prints on at most 23 pages")
        self.assertGreater(body, 5)
        parser = Headings()
        with open(page, encoding="utf-8") as f:
            parser.feed(f.read())
        self.assertIn("Sammanfattning", texts[0], "the title page holds the summary")
        self.assertNotIn("Sida 1 av", texts[0], "the title page has no number")
        footer = "Jönköpings län · Regional lägesrapport 2022"
        for n, t in enumerate(texts[1:], 2):
            lines = [line.strip() for line in t.splitlines() if line.strip()]
            self.assertIn(f"Sida {n} av {pages}", lines, f"page {n} is numbered")
            self.assertIn(footer, lines, f"page {n} has the footer")
            body = [line for line in lines if line != footer and not re.fullmatch(r"Sida \d+ av \d+", line)]
            last, two = body[-1], " ".join(body[-2:])
            if last in parser.others or two in parser.others:
                continue
            for h in parser.headings:
                self.assertFalse(h == last or (h.endswith(last) and h.endswith(two)),
                                 f"page {n} ends with the heading {h!r}")

    def long_name_project(self):
        project = os.path.join(self.tmp, "projekt")
        shutil.copytree(FIXTURE, project)
        words = ["Samordningsförbundet", "för", "våldsförebyggande", "arbete", "i", "norra",
                 "Provläns", "kommunalförbund", "och", "civilsamhälle"]
        with open(os.path.join(project, "aktorer.yaml"), "w", encoding="utf-8") as f:
            f.write("aktörer:\n")
            f.write("  - {id: aneby, namn: Aneby kommun, typ: kommun}\n")
            f.write("  - {id: polisen, namn: Polisen, typ: myndighet}\n")
            f.write("  - {id: eksjo, namn: Eksjö kommun, typ: kommun}\n")
            f.write("  - {id: lansstyrelsen, namn: Länsstyrelsen i Provlän, typ: länsstyrelse}\n")
            for i in range(56):
                name = " ".join(words[: 3 + i % 8]) + f" nr {i}"
                f.write(f"  - {{id: aktor-{i}, namn: \"{name}\", typ: civilsamhälle}}\n")
        return project

    def measure(self, page, width):
        wrapped = os.path.join(self.tmp, f"matt-{width}.html")
        with open(page, encoding="utf-8") as f:
            doc = f.read()
        doc = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", doc)
        with open(wrapped, "w", encoding="utf-8") as f:
            f.write(doc.replace("</body>", MEASURE + "</body>"))
        r = chromium(self.tmp, f"--window-size={width},2000", "--dump-dom", "file://" + wrapped)
        m = re.search(r'<pre id="matt">(.*)</pre>', r.stdout, re.S)
        self.assertIsNotNone(m, r.stderr[-2000:])
        return json.loads(html.unescape(m.group(1)))

    def test_heat_map_with_sixty_long_names(self):
        out = self.build(self.long_name_project())
        page = os.path.join(out, "lagesrapport-2022.html")
        desk = self.measure(page, 1200)
        self.assertIsNotNone(desk["map"], "the heat map shows at desktop width")
        self.assertEqual(len(desk["labels"]), 60)
        for label in desk["labels"]:
            for cell in desk["cells"]:
                self.assertFalse(overlaps(label["box"], cell),
                                 f"the label {label['text']!r} runs into a cell")
            if "…" in label["text"]:
                self.assertIsNotNone(label["title"], label["text"])
                self.assertTrue(label["title"].startswith(label["text"].rstrip("…").split()[0]))
        self.assertTrue(any("…" in label["text"] for label in desk["labels"]), "some names are shortened")
        self.assertIn("Samordningsförbundet för våldsförebyggande arbete i norra Provläns kommunalförbund "
                      "och civilsamhälle nr 7 (inget svar)", [label["title"] for label in desk["labels"]])
        self.assertGreaterEqual(min(desk["texts"]), 11, "heat map text at desktop width")
        phone = self.measure(page, 390)
        self.assertIsNone(phone["map"], "at 390 px the table takes the heat map's place")
        self.assertTrue(phone["table"], "the table is there at 390 px")
        self.assertGreaterEqual(min(phone["table"]), 11, "table text at 390 px")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
