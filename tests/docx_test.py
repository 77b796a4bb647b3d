#!/usr/bin/python3
"""`build --format docx` read back as Word's users see it, with python-docx
and the zip as it is: the headings in order with Word's heading styles
(named Rubrik 1-3), a table-of-contents field, the tables as Word tables
with their cell text, the overview chart with alt text, Swedish set as the
language, the document properties, the footer, the same bytes on every run
and in every time zone, the logo, hostile text kept as text, and a broken
template refused with nothing written.

Usage: docx_test.py LAGESRAPPORT SOURCE_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile
import zlib
import struct

import needs

BIN = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
docx = needs.module("docx", package="python3-docx")
JONKOPING = os.path.join(SRC, "data", "jonkoping")
FIXTURE = os.path.join(SRC, "tests", "fixtures", "minimal")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def png(width, height):
    """A valid PNG of one colour."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x1f\x4e\x8c" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class DocxTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lr-docx-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def build(self, project, out, env=None, year="2022", formats="docx"):
        r = subprocess.run([BIN, "-C", project, "build", year, "--out", out, "--format", formats],
                           capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, NO_COLOR="1", **(env or {})))
        return r

    def jonkoping(self, name="ut", env=None):
        out = os.path.join(self.tmp, name)
        r = self.build(JONKOPING, out, env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(os.listdir(out)), [".lagesrapport-manifest", "lagesrapport-2022.docx"])
        return os.path.join(out, "lagesrapport-2022.docx")

    def html_goal_rows(self):
        """The goals table as the HTML report shows it: the figures to find in Word."""
        out = os.path.join(self.tmp, "html")
        r = self.build(JONKOPING, out, formats="html")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "lagesrapport-2022.html"), encoding="utf-8") as f:
            page = f.read()
        rows = re.findall(r'<tr><th scope="row"><a href="#mal-\d+">([^<]*)</a></th>'
                          r'<td class="tal">(\d+)</td><td class="tal">(\d+)</td><td class="tal">([^<]*)</td></tr>', page)
        self.assertEqual(len(rows), 5)
        total = re.search(r'<tr class="summa"><th scope="row">Totalt</th><td class="tal">(\d+)</td>', page)
        return [list(row) for row in rows], total.group(1)

    def test_headings_tables_and_properties(self):
        path = self.jonkoping()
        d = docx.Document(path)
        headings = [(p.style.style_id, p.style.name, p.text) for p in d.paragraphs
                    if p.style.style_id in ("Heading1", "Heading2", "Heading3")]
        names = {sid: name for sid, name, _ in headings}
        self.assertEqual(names, {"Heading1": "Rubrik 1", "Heading2": "Rubrik 2", "Heading3": "Rubrik 3"})
        top = [text for sid, _, text in headings if sid == "Heading1"]
        self.assertEqual(top, ["Inledning", "Regional uppföljning för 2022",
                               "Mål 1 – Ett utökat och verkningsfullt förebyggande arbete mot våld",
                               "Mål 2 – Förbättrad upptäckt av våld",
                               "Mål 3 – Starkare skydd och stöd för våldsutsatta vuxna och barn",
                               "Mål 4 – Effektivare brottsbekämpning",
                               "Mål 5 – Förbättrad kunskap och metodutveckling",
                               "Aktörernas arbete", "Jämförelse med 2021", "Utveckling över åren",
                               "Avslutande ord",
                               "Begrepp", "Källor", "Bilaga: samtliga aktiviteter"])
        # Activities are third-level headings under their goal's "Exempel på aktiviteter".
        texts = [text for _, _, text in headings]
        goal1 = texts.index(top[2])
        self.assertEqual(texts[goal1 + 1], "Exempel på aktiviteter 2022")
        self.assertEqual(headings[goal1 + 2][0], "Heading3")
        # Every Word table, with the numbers the report computes.
        self.assertGreaterEqual(len(d.tables), 7)
        goals = d.tables[0]
        self.assertEqual([c.text for c in goals.rows[0].cells],
                         ["Mål", "Aktiviteter", "Aktörer", "Delmål med aktiviteter"])
        expected, total = self.html_goal_rows()
        self.assertEqual([[c.text for c in row.cells] for row in goals.rows[1:6]], expected)
        self.assertTrue(expected[0][0].startswith("Mål 1 – Ett utökat och verkningsfullt förebyggande arbete"))
        self.assertEqual([c.text for c in goals.rows[-1].cells][:2],
                         ["Totalt", total])
        # The trends: one column a year, "activities (actors)" in each cell,
        # as the Markdown report has them.
        trend = next(t for t in d.tables
                     if [c.text for c in t.rows[0].cells] == ["Mål och delmål", "2021", "2022"])
        cells = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in trend.rows[1:]}
        self.assertEqual(cells["Mål 2 – Förbättrad upptäckt av våld"], ["7 (6)", "16 (10)"])
        self.assertEqual(cells["Svarsfrekvens"], ["65\u00a0%", "48\u00a0%"])
        actors = next(t for t in d.tables if t.rows[0].cells[0].text == "Aktör")
        rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in actors.rows[1:]}
        self.assertRegex(rows["Aneby kommun"][0], r"^(ja|inkom \d{4}-\d\d-\d\d)$")
        self.assertEqual(rows["Gnosjö kommun"][0], "inget svar")
        self.assertEqual(rows["Eksjö kommun"][0], "inget svar")
        self.assertEqual(rows["Eksjö kommun"][-1], "1")
        # Properties and language.
        self.assertEqual(d.core_properties.title, "Regional lägesrapport 2022")
        self.assertEqual(d.core_properties.author, "Länsstyrelsen i Jönköpings län")
        self.assertEqual(d.core_properties.language, "sv-SE")
        self.assertIsNone(d.core_properties.created)
        self.assertIsNone(d.core_properties.modified)
        lang = d.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
        self.assertEqual(lang.get(f"{W}val"), "sv-SE")
        footer = d.sections[0].footer.paragraphs[0]
        self.assertIn("Jönköpings län · Regional lägesrapport 2022", footer.text)
        self.assertEqual(round(d.sections[0].page_width.mm), 210, "A4")
        with zipfile.ZipFile(path) as z:
            body = z.read("word/document.xml").decode()
            chart = z.read("word/charts/chart1.xml").decode()
            self.assertEqual(z.namelist()[0], "[Content_Types].xml")
            for info in z.infolist():
                self.assertEqual(info.date_time, (1980, 1, 1, 0, 0, 0), info.filename)
        self.assertRegex(body, r'<w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText>')
        self.assertIn('descr="Stapeldiagram: antal aktiviteter per mål 2022.'
                      + "".join(f" Mål {n}: {row[1]}." for n, row in enumerate(expected, 1)) + '"', body)
        self.assertEqual(re.findall(r"<c:pt idx=\"\d\"><c:v>(\d+)</c:v>", chart), [row[1] for row in expected])
        self.assertIn("Ett Jönköpings län fritt från våld", body, "Swedish text intact")

    def test_same_bytes_on_every_run_and_time_zone(self):
        first = self.jonkoping("ett")
        second = self.jonkoping("tva", env={"TZ": "America/Los_Angeles", "LC_ALL": "C"})
        with open(first, "rb") as a, open(second, "rb") as b:
            self.assertEqual(a.read(), b.read())

    def project(self):
        project = os.path.join(self.tmp, "projekt")
        shutil.copytree(FIXTURE, project)
        return project

    def test_hostile_text_stays_text_and_logo_is_embedded(self):
        project = self.project()
        with open(os.path.join(project, "logotyp.png"), "wb") as f:
            f.write(png(40, 10))
        with open(os.path.join(project, "lagesrapport.yaml"), "a", encoding="utf-8") as f:
            f.write("logotyp: logotyp.png\nsidfot: \"Länsstyrelsen i Provlän · <kvinnofrid> & \\\"våld\\\"\"\n")
        path = os.path.join(project, "2022", "yttranden", "polisen.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write('aktör: polisen\når: 2022\naktiviteter:\n'
                    '  - rubrik: "<w:p>&amp; ]]> \\"citat\\" \'enkla\' åäö"\n'
                    '    mål: ["2:1"]\n    status: pågående\n'
                    '    beskrivning: "Text med &#1; och <b>fet</b>\\n\\n- punkt ett\\n- punkt två"\n')
        out = os.path.join(self.tmp, "ut")
        r = self.build(project, out)
        self.assertEqual(r.returncode, 0, r.stderr)
        d = docx.Document(os.path.join(out, "lagesrapport-2022.docx"))
        texts = [p.text for p in d.paragraphs]
        self.assertIn("<w:p>&amp; ]]> \"citat\" 'enkla' åäö", texts)
        self.assertIn("• punkt ett", texts)
        bullet = next(p for p in d.paragraphs if p.text == "• punkt två")
        self.assertEqual(bullet.style.name, "Punktlista")
        self.assertIn("Länsstyrelsen i Provlän · <kvinnofrid> & \"våld\"", d.sections[0].footer.paragraphs[0].text)
        with zipfile.ZipFile(os.path.join(out, "lagesrapport-2022.docx")) as z:
            self.assertEqual(z.read("word/media/logotyp.png")[:8], b"\x89PNG\r\n\x1a\n")
            body = z.read("word/document.xml").decode()
        self.assertRegex(body, r'<wp:extent cx="2160000" cy="540000"/><wp:docPr id="1" name="Logotyp" descr="Provlän"/>')

    def test_broken_docx_template_writes_nothing(self):
        project = self.project()
        os.makedirs(os.path.join(project, "mallar", "docx"))
        with open(os.path.join(project, "lagesrapport.yaml"), "a", encoding="utf-8") as f:
            f.write("mallar: mallar\n")
        with open(os.path.join(project, "mallar", "docx", "dokument.xml.mustache"), "w", encoding="utf-8") as f:
            f.write("<w:document>\n{{#mal}}\n<w:p/>\n</w:document>\n")
        out = os.path.join(self.tmp, "ut")
        r = self.build(project, out)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertRegex(r.stderr, r"dokument\.xml\.mustache:\d+:\d+: fel: ")
        self.assertFalse(os.path.exists(os.path.join(out, "lagesrapport-2022.docx")))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
