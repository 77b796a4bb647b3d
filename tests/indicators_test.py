#!/usr/bin/python3
"""Shared indicators end to end, checked against the YAML read here with
PyYAML rather than against the program's own arithmetic: the report's
totals (a sum, or for a percentage the median), every actor's value beside
last year's, the Indikatorer sheet read back with openpyxl, `diff` in JSON,
an actor's feedback page, the forms from `new`, and the JSON schema.

The class FormInBrowser drives the HTML form's indicator fields in
Debian's Chromium (tests/browser/indicator_driver.js); it needs NODE_DIR,
where npm's puppeteer-core and axe-core are installed.

Usage: indicators_test.py LAGESRAPPORT SOURCE_DIR [NODE_DIR] [unittest arguments]
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import unittest

import needs

yaml = needs.module("yaml", package="python3-yaml")
openpyxl = needs.module("openpyxl", package="python3-openpyxl")
jsonschema = needs.module("jsonschema", package="python3-jsonschema")
docx = needs.module("docx", package="python3-docx")

BINARY = os.path.abspath(sys.argv[1])
SOURCE = os.path.abspath(sys.argv[2])
NODE_DIR = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 and not sys.argv[3].startswith("-") \
    and os.sep in sys.argv[3] else None
VASTMANLAND = os.path.join(SOURCE, "data", "vastmanland")
FIXTURE = os.path.join(SOURCE, "tests", "fixtures", "indikatorer")
NBSP, MINUS = "\u00a0", "\u2212"


def run(project, *args):
    return subprocess.run([BINARY, "-C", project, *args], capture_output=True, text=True,
                          env=dict(os.environ, NO_COLOR="1"), timeout=120)


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def swedish(x):
    """A figure as a Swedish table shows it: 37,5; 12 400 from five digits."""
    whole = float(x).is_integer()
    text = str(int(x)) if whole else f"{x:.1f}"
    head, _, tail = text.partition(".")
    if len(head) >= 5:
        groups = []
        while len(head) > 3:
            groups.insert(0, head[-3:])
            head = head[:-3]
        head = NBSP.join([head] + groups)
    return head + ("," + tail if tail else "")


class Project:
    """The indicators and the values of each year, as the YAML has them."""

    def __init__(self, root):
        self.strategy = load(os.path.join(root, "strategi.yaml"))
        registry = load(os.path.join(root, "aktorer.yaml"))["aktörer"]
        self.names = {a["id"]: a["namn"] for a in registry}
        self.order = [a["id"] for a in registry]
        self.indicators = self.strategy["indikatorer"]
        self.values = {}  # year -> indicator -> actor -> value
        for year in os.listdir(root):
            folder = os.path.join(root, year, "yttranden")
            if not os.path.isdir(folder):
                continue
            per = self.values.setdefault(int(year), {})
            for name in os.listdir(folder):
                s = load(os.path.join(folder, name))
                for ind, v in (s.get("indikatorer") or {}).items():
                    per.setdefault(ind, {})[s["aktör"]] = v["värde"] if isinstance(v, dict) else v

    def share(self, ind):
        return ind["enhet"] in ("procent", "%")

    def total(self, year, ind):
        values = list(self.values.get(year, {}).get(ind["id"], {}).values())
        if not values:
            return None
        return statistics.median(values) if self.share(ind) else sum(values)

    def actors(self, ind, *years):
        """Actors with a value in any of the years, in registry order."""
        have = set()
        for y in years:
            have |= set(self.values.get(y, {}).get(ind["id"], {}))
        return [a for a in self.order if a in have]


def section(markdown, title):
    """The lines of a ### section of the indicators part."""
    part = markdown.split("\n## Länsgemensamma indikatorer\n", 1)[1]
    part = re.split(r"\n## ", part, maxsplit=1)[0]
    return part.split(f"### {title}\n", 1)[1].split("\n### ", 1)[0]


def table(text):
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    return [[c.strip().strip("*") for c in row.strip("|").split("|")] for row in rows[1:]]


class Vastmanland(unittest.TestCase):
    """The shipped example: one year, ten municipalities and four shelters."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lr-ind-")
        cls.proc = run(VASTMANLAND, "build", "2017", "--out", cls.tmp, "--format", "md,xlsx,docx")
        cls.x = Project(VASTMANLAND)
        with open(os.path.join(cls.tmp, "lagesrapport-2017.md"), encoding="utf-8") as f:
            cls.md = f.read()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_the_data_is_what_the_readme_says(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        self.assertEqual(len(self.x.indicators), 5)
        self.assertEqual(sorted(self.x.values), [2017])
        # The one gap the README announces, and its warning.
        self.assertNotIn("skinnskatteberg", self.x.values[2017]["socialtjanst-fragat"])
        self.assertIn('indikatorn "socialtjanst-fragat" saknas i 1 yttrande för 2017: '
                      "Skinnskattebergs kommun", self.proc.stderr)
        self.assertIn("påhittade", self.md.split("\n## Länsgemensamma indikatorer\n")[0])

    def test_report_values_and_totals(self):
        for ind in self.x.indicators:
            with self.subTest(indicator=ind["id"]):
                rows = table(section(self.md, ind["namn"]))
                actors = self.x.actors(ind, 2017)
                self.assertEqual([r[0] for r in rows[:-1]], [self.x.names[a] for a in actors])
                for r, a in zip(rows, actors):
                    self.assertEqual(r[1], swedish(self.x.values[2017][ind["id"]][a]))
                total = self.x.total(2017, ind)
                self.assertEqual(rows[-1], ["Median" if self.x.share(ind) else "Summa", swedish(total)])

    def test_a_percentage_says_it_is_a_median_with_its_range(self):
        ind = next(i for i in self.x.indicators if self.x.share(i))
        values = self.x.values[2017][ind["id"]].values()
        text = section(self.md, ind["namn"])
        self.assertIn(f"Medianen för 2017 är {swedish(statistics.median(values))} procent "
                      f"(spann {swedish(min(values))}–{swedish(max(values))}), från nio av tio aktörer",
                      text)
        self.assertIn("Andelar summeras inte", text)

    def test_word_tables(self):
        document = docx.Document(os.path.join(self.tmp, "lagesrapport-2017.docx"))
        tables = [t for t in document.tables if t.rows[0].cells[0].text == "Aktör" and len(t.columns) == 2]
        self.assertEqual(len(tables), len(self.x.indicators))
        for t, ind in zip(tables, self.x.indicators):
            rows = [[c.text for c in r.cells] for r in t.rows]
            self.assertEqual(rows[0], ["Aktör", "2017"])
            self.assertEqual(rows[1:-1], [[self.x.names[a], swedish(self.x.values[2017][ind["id"]][a])]
                                          for a in self.x.actors(ind, 2017)])
            self.assertEqual(rows[-1], ["Median" if self.x.share(ind) else "Summa",
                                        swedish(self.x.total(2017, ind))])
        headings = [(p.style.style_id, p.text) for p in document.paragraphs
                    if p.style.style_id in ("Heading1", "Heading2")]
        at = headings.index(("Heading1", "Länsgemensamma indikatorer"))
        self.assertEqual(headings[at + 1:at + 1 + len(self.x.indicators)],
                         [("Heading2", ind["namn"]) for ind in self.x.indicators])

    def test_workbook_sheet(self):
        wb = openpyxl.load_workbook(os.path.join(self.tmp, "lagesrapport-2017.xlsx"))
        self.assertEqual(wb.sheetnames[-1], "Indikatorer")
        ws = wb["Indikatorer"]
        rows = list(ws.iter_rows(min_row=5, values_only=True))
        self.assertEqual([c.value for c in ws[4]][:8], ["Indikator", "Enhet", "Aktör", "Typ", "2017",
                                                        "2016", "Förändring", "Bedömning"])
        at = 0
        for ind in self.x.indicators:
            for a in self.x.actors(ind, 2017):
                row = rows[at]
                at += 1
                self.assertEqual(row[:3], (ind["namn"], ind["enhet"], self.x.names[a]))
                self.assertEqual(row[4], self.x.values[2017][ind["id"]][a])
                self.assertIsNone(row[5])
            total = rows[at]
            at += 1
            self.assertTrue(total[2].startswith("Länet, " + ("median" if self.x.share(ind) else "summa")))
            self.assertEqual(total[4], self.x.total(2017, ind), ind["id"])
        self.assertEqual(at, len(rows))
        self.assertEqual(ws.auto_filter.ref, f"A4:I{4 + len(rows)}")


class TwoYears(unittest.TestCase):
    """The fixture: 2021 and 2022, an actor new in 2022, a comment."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lr-ind-")
        cls.project = os.path.join(cls.tmp, "p")
        shutil.copytree(FIXTURE, cls.project)
        cls.out = os.path.join(cls.tmp, "out")
        cls.proc = run(cls.project, "build", "2022", "--out", cls.out, "--format", "md,xlsx")
        cls.x = Project(cls.project)
        with open(os.path.join(cls.out, "lagesrapport-2022.md"), encoding="utf-8") as f:
            cls.md = f.read()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def change(self, before, after):
        d = after - before
        return "±0" if d == 0 else ("+" if d > 0 else MINUS) + swedish(abs(d))

    def judged(self, ind, before, after):
        if after == before:
            return "oförändrad"
        better = (after > before) == ind.get("högre-är-bättre", True)
        return "bättre" if better else "sämre"

    def test_each_actor_beside_last_year(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        for ind in self.x.indicators:
            with self.subTest(indicator=ind["id"]):
                rows = table(section(self.md, ind["namn"]))
                now, before = self.x.values[2022].get(ind["id"], {}), self.x.values[2021].get(ind["id"], {})
                for r, a in zip(rows, self.x.actors(ind, 2022, 2021)):
                    self.assertEqual(r[0], self.x.names[a])
                    self.assertEqual(r[1], swedish(now[a]) if a in now else "–")
                    self.assertEqual(r[2], swedish(before[a]) if a in before else "–")
                    if a in now and a in before:
                        self.assertEqual(r[3:], [self.change(before[a], now[a]),
                                                 self.judged(ind, before[a], now[a])])
                    else:
                        self.assertEqual(r[3:], ["–", "–"])

    def test_totals_of_different_actors_are_not_judged(self):
        ind = self.x.indicators[0]
        rows = table(section(self.md, ind["namn"]))
        self.assertEqual(rows[-1], ["Summa", swedish(self.x.total(2022, ind)),
                                    swedish(self.x.total(2021, ind)), "–", "ej jämförbar"])
        self.assertIn("inte samma aktörer som rapporterade 2022, så förändringen bedöms inte",
                      section(self.md, ind["namn"]))

    def test_workbook_previous_year_and_comment(self):
        ws = openpyxl.load_workbook(os.path.join(self.out, "lagesrapport-2022.xlsx"))["Indikatorer"]
        rows = {(r[0], r[2]): r for r in ws.iter_rows(min_row=5, values_only=True)}
        for ind in self.x.indicators:
            now, before = self.x.values[2022].get(ind["id"], {}), self.x.values[2021].get(ind["id"], {})
            for a in self.x.actors(ind, 2022, 2021):
                r = rows[(ind["namn"], self.x.names[a])]
                self.assertEqual((r[4], r[5]), (now.get(a), before.get(a)))
                self.assertEqual(r[6], now[a] - before[a] if a in now and a in before else None)
        aneby = rows[("Andel nybesök där frågan om våld ställts", "Aneby kommun")]
        self.assertEqual(aneby[7:], ("Bättre", "Ny rutin sedan hösten."))

    def test_feedback_shows_own_values_with_last_years(self):
        with open(os.path.join(self.out, "aterkoppling", "aneby.md"), encoding="utf-8") as f:
            page = f.read()
        rows = table(page.split("### Era indikatorer", 1)[1])
        mine = [i for i in self.x.indicators if "aneby" in self.x.values[2022].get(i["id"], {})]
        self.assertEqual([r[0] for r in rows], [i["namn"] for i in mine])
        for r, ind in zip(rows, mine):
            now, before = self.x.values[2022][ind["id"]]["aneby"], self.x.values[2021][ind["id"]]["aneby"]
            self.assertEqual(r[1:], [ind["enhet"], swedish(now), swedish(before), self.change(before, now),
                                     self.judged(ind, before, now), swedish(self.x.total(2022, ind))])
        with open(os.path.join(self.out, "aterkoppling", "polisen.md"), encoding="utf-8") as f:
            self.assertNotIn("Ärenden om våld", f.read())

    def test_diff_json(self):
        proc = run(self.project, "diff", "2021", "2022", "--format", "json")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        got = json.loads(proc.stdout)["indicators"]
        self.assertEqual([i["id"] for i in got], [i["id"] for i in self.x.indicators])
        for g, ind in zip(got, self.x.indicators):
            now, before = self.x.values[2022].get(ind["id"], {}), self.x.values[2021].get(ind["id"], {})
            self.assertEqual(g["total"], "median" if self.x.share(ind) else "sum")
            self.assertEqual((g["county"]["before"], g["county"]["after"]),
                             (self.x.total(2021, ind), self.x.total(2022, ind)))
            self.assertEqual((g["county"]["reported_before"], g["county"]["reported_after"]),
                             (len(before), len(now)))
            self.assertEqual(g["county"]["comparable"], set(before) == set(now) and bool(now))
            self.assertEqual([(a["id"], a["before"], a["after"]) for a in g["actors"]],
                             [(a, before.get(a), now.get(a)) for a in self.x.actors(ind, 2022, 2021)])

    def test_a_form_carries_last_years_values_and_comes_back_valid(self):
        proc = run(self.project, "new", "2023")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        path = os.path.join(self.project, "2023", "yttranden", "aneby.yaml")
        with open(path, encoding="utf-8") as f:
            form = f.read()
        self.assertIn("  # Ärenden om våld i nära relation som socialtjänsten tagit emot (antal). 2022: 12\n"
                      "  # arenden:\n", form)
        self.assertIn("(procent). 2022: 45.5\n  # andel-fragat:\n", form)
        self.assertIsNone(load(path).get("indikatorer"))
        with open(os.path.join(self.project, "2023", "yttranden", "polisen.yaml"), encoding="utf-8") as f:
            self.assertNotIn("arenden", f.read())
        filled = form.replace("  # arenden:", "  arenden: 15").replace("inkom:\n", "inkom: 2024-02-01\n")
        with open(path, "w", encoding="utf-8") as f:
            f.write(filled)
        proc = run(self.project, "check", "2023")
        self.assertNotIn(": fel:", proc.stderr)
        self.assertIn('indikatorn "andel-fragat" saknas i 1 yttrande för 2023: Aneby kommun', proc.stderr)
        self.assertNotIn('indikatorn "arenden" saknas', proc.stderr)

    def test_schema_accepts_what_check_accepts_and_refuses_the_rest(self):
        out = os.path.join(self.tmp, "schema")
        proc = run(self.project, "schema", "--out", out)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(out, "yttrande.schema.json"), encoding="utf-8") as f:
            statement = jsonschema.Draft202012Validator(json.load(f))
        with open(os.path.join(out, "strategi.schema.json"), encoding="utf-8") as f:
            strategy = jsonschema.Draft202012Validator(json.load(f))
        self.assertEqual(list(strategy.iter_errors(self.x.strategy)), [])
        base = {"aktör": "aneby", "år": 2022, "aktiviteter": []}
        good = [{"arenden": 12}, {"andel-fragat": 45.5},
                {"andel-fragat": {"värde": 45.5, "enhet": "%", "kommentar": "Ny rutin."}}]
        bad = [{"arenden": 12.5}, {"arenden": -1}, {"andel-fragat": 100.5}, {"arendena": 1},
               {"arenden": "12"}, {"arenden": {"värde": 3, "enhet": "procent"}}, {"arenden": {"enhet": "antal"}}]
        for values in good:
            self.assertEqual([e.message for e in statement.iter_errors(dict(base, indikatorer=values))], [],
                             values)
        for values in bad:
            self.assertNotEqual(list(statement.iter_errors(dict(base, indikatorer=values))), [], values)


class FormInBrowser(unittest.TestCase):
    """Aneby's HTML form for 2023: two indicators, last year's values."""

    @classmethod
    def setUpClass(cls):
        import node_packages
        chromium = needs.program("chromium", "chromium-browser", package="chromium")
        node = needs.program("node", "nodejs", package="nodejs")
        node_packages.install(SOURCE, NODE_DIR)
        cls.tmp = tempfile.mkdtemp(prefix="lr-ind-form-")
        cls.project = os.path.join(cls.tmp, "p")
        shutil.copytree(FIXTURE, cls.project)
        r = run(cls.project, "new", "2023")
        assert r.returncode == 0, r.stderr
        work = os.path.join(cls.tmp, "webblasare")
        os.makedirs(work)
        out = os.path.join(work, "resultat.json")
        r = subprocess.run([node, os.path.join(SOURCE, "tests", "browser", "indicator_driver.js"), NODE_DIR,
                            os.path.join(cls.project, "2023", "formular", "aneby.html"), work, out],
                           env=dict(os.environ, CHROMIUM=chromium), capture_output=True, text=True,
                           timeout=240)
        assert r.returncode == 0, r.stdout + r.stderr
        with open(out, encoding="utf-8") as f:
            cls.result = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_fields_for_the_actors_indicators_with_last_years_values(self):
        shown = self.result["shown"]
        self.assertFalse(shown["hidden"])
        self.assertEqual(shown["legends"], [
            "Ärenden om våld i nära relation som socialtjänsten tagit emot (antal)",
            "Andel nybesök där frågan om våld ställts (procent)"])
        self.assertEqual(shown["help"], ["Ett heltal. Förra året: 12.", "Procent, 0–100. Förra året: 45,5."])

    def test_a_decimal_in_a_count_is_refused_beside_its_field(self):
        self.assertIn("kan inte ha decimaler", self.result["error"])
        self.assertFalse(self.result["saved_despite_error"])

    def test_the_saved_file_checks_and_says_what_was_typed(self):
        saved = self.result["saved"]
        self.assertIn('\nindikatorer:\n  arenden: 15\n  andel-fragat: {värde: 47.5, kommentar: '
                      '"Ny rutin \\"fråga alltid\\"."}\n', saved)
        path = os.path.join(self.project, "2023", "yttranden", "aneby.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(saved)
        r = run(self.project, "check", "2023")
        self.assertNotIn("aneby.yaml", r.stderr)
        self.assertEqual(load(path)["indikatorer"]["andel-fragat"]["värde"], 47.5)

    def test_reopening_restores_the_values(self):
        self.assertEqual(self.result["after_reset"], "")
        self.assertEqual(self.result["after_open"], ["15", "47.5", 'Ny rutin "fråga alltid".'])

    def test_no_errors_and_no_accessibility_violations(self):
        self.assertEqual(self.result["console"], [])
        self.assertEqual(self.result["axe"], [])


if __name__ == "__main__":
    args = sys.argv[4:] if NODE_DIR else sys.argv[3:]
    unittest.main(argv=[sys.argv[0]] + args)
