#!/usr/bin/python3
"""`lagesrapport build 2021-2022` on the Jönköping example, checked as the
county officer would check a report over two years: where the files land
and what they are called, each activity with an id once, the answers of
each year, and what became of 2021's plans by 2022. The expectations are
counted here from the statement files with PyYAML, not taken from the
program; the workbook is read with openpyxl and the Word document with
python-docx.

usage: period_test.py LAGESRAPPORT SOURCE-DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import needs

openpyxl = needs.module("openpyxl", package="python3-openpyxl")
yaml = needs.module("yaml", package="python3-yaml")
docx = needs.module("docx", package="python3-docx")

BIN = os.path.abspath(sys.argv[1])
SOURCE = os.path.abspath(sys.argv[2])
YEARS = (2021, 2022)


def statements(project, year):
    """The answered statements of a year, by actor id."""
    folder = os.path.join(project, str(year), "yttranden")
    out = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".yaml"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            s = yaml.safe_load(f)
        if s.get("inkom", "given") is None:
            continue  # a form that has not come back
        out[s["aktör"]] = s
    return out


def owners(actor, activity):
    return sorted({actor, *activity.get("ansvariga", [])})


class Period:
    """Each activity of the period once, counted the way a reader would:
    an id names the same activity in every year and in every owner's
    statement; the latest year's record of it is the one that counts."""

    def __init__(self, project, years=YEARS):
        self.years = {y: statements(project, y) for y in years}
        self.group_of = {}  # (owner, id) -> group number
        self.latest = {}    # group -> (year, actor, activity)
        self.reported = {}  # group -> years
        self.without_id = []  # (year, actor, activity)
        for year in years:
            for actor, s in self.years[year].items():
                for a in s.get("aktiviteter") or []:
                    if "id" not in a:
                        self.without_id.append((year, actor, a))
                        continue
                    keys = [(o, a["id"]) for o in owners(actor, a)]
                    # Owners that each had the activity before may report it
                    # together now: then those are all one activity.
                    groups = {self.group_of[k] for k in keys if k in self.group_of}
                    group = min(groups) if groups else len(self.group_of) + 1
                    years = {year}
                    for g in groups:
                        years |= self.reported.pop(g)
                        self.latest.pop(g)
                    for k, g in self.group_of.items():
                        if g in groups:
                            self.group_of[k] = group
                    for k in keys:
                        self.group_of[k] = group
                    self.latest[group] = (year, actor, a)
                    self.reported[group] = years

    def published(self):
        out = [rec for rec in self.latest.values() if not rec[2].get("intern")]
        return out + [rec for rec in self.without_id if not rec[2].get("intern")]

    def answered(self):
        return sorted({a for y in self.years for a in self.years[y]})


class PeriodReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lr-period-")
        cls.project = os.path.join(cls.tmp, "jonkoping")
        shutil.copytree(os.path.join(SOURCE, "data", "jonkoping"), cls.project,
                        ignore=shutil.ignore_patterns("out", "intern"))
        cls.result = subprocess.run([BIN, "build", "2021-2022", "--format", "md,html,xlsx,docx"], cwd=cls.project, capture_output=True,
                                    text=True, timeout=300, env=dict(os.environ, NO_COLOR="1"))
        cls.out = os.path.join(cls.project, "out", "2021-2022")
        cls.period = Period(cls.project)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def read(self, name):
        with open(os.path.join(self.out, name), encoding="utf-8") as f:
            return f.read()

    def workbook(self):
        return openpyxl.load_workbook(os.path.join(self.out, "lagesrapport-2021-2022.xlsx"))

    def test_builds_into_a_folder_named_by_the_period(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        self.assertEqual(self.result.stdout.strip(),
                         f"out/2021-2022: {len(self.period.answered())} återkopplingar")
        files = sorted(os.path.relpath(os.path.join(d, f), self.out)
                       for d, _, names in os.walk(self.out) for f in names if not f.startswith("."))
        expected = sorted(["lagesrapport-2021-2022.md", "lagesrapport-2021-2022.html",
                           "lagesrapport-2021-2022.xlsx", "lagesrapport-2021-2022.docx"] +
                          [f"aterkoppling/{a}.{ext}" for a in self.period.answered() for ext in ("md", "html")])
        self.assertEqual(files, expected)
        # The years' own reports are untouched by it.
        self.assertFalse(os.path.exists(os.path.join(self.project, "out", "2022")))

    def test_titles_name_the_period_once_with_an_en_dash(self):
        md, html = self.read("lagesrapport-2021-2022.md"), self.read("lagesrapport-2021-2022.html")
        self.assertEqual(md.splitlines()[0], "# Regional lägesrapport 2021–2022")
        self.assertIn("<title>Regional lägesrapport 2021–2022", html)
        self.assertEqual(self.workbook()["Översikt"]["A1"].value, "Regional lägesrapport 2021–2022")
        for text in (md, html, self.read("aterkoppling/aneby.md")):
            self.assertNotRegex(text, r"2021[–-]2022[ ,]+2021[–-]2022")
            self.assertNotIn("Regional lägesrapport 2022", text)

    def test_each_activity_with_an_id_once(self):
        published = self.period.published()
        ws = self.workbook()["Aktiviteter"]
        header = [c.value for c in ws[1]]
        rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
        self.assertEqual(len(rows), len(published))
        with_id = [(r["Aktör"], r["Id"]) for r in rows if r["Id"]]
        self.assertEqual(len(with_id), len(set(with_id)), "an activity with an id is listed twice")
        self.assertEqual(len(with_id), sum(1 for y, a, act in published if "id" in act))
        # The latest year's record is the one shown: its status.
        status = {(r["Rubrik"], r["Id"]): r["Status"] for r in rows if r["Id"]}
        for year, actor, a in published:
            if "id" in a:
                self.assertEqual(status[(a["rubrik"], a["id"])].lower(), a["status"])

    def test_activities_note_the_years_they_were_reported_in(self):
        md = self.read("lagesrapport-2021-2022.md")
        both = [self.period.latest[g][2] for g, ys in self.period.reported.items()
                if ys == {2021, 2022} and not self.period.latest[g][2].get("intern")]
        self.assertTrue(both)
        for a in both:
            self.assertTrue(re.search(re.escape(f"| {a['rubrik']} |") + r".*\| 2021–2022 \|", md), a["rubrik"])
        only_2021 = [self.period.latest[g][2] for g, ys in self.period.reported.items()
                     if ys == {2021} and not self.period.latest[g][2].get("intern")]
        for a in only_2021:
            self.assertTrue(re.search(re.escape(f"| {a['rubrik']} |") + r".*\| 2021 \|", md), a["rubrik"])

    def test_answers_and_activities_per_year(self):
        md = self.read("lagesrapport-2021-2022.md")
        counts = {y: len(self.period.years[y]) for y in YEARS}
        for y in YEARS:
            activities = len(Period(self.project, (y,)).published())
            self.assertIn(f"| {y} | {counts[y]} | {activities} |", md)
        self.assertIn(f"Under 2021–2022 svarade {len(self.period.answered())} aktörer på yttrande minst ett "
                      f"av åren: {counts[2021]} för 2021 och elva för 2022.", md)
        self.assertEqual(counts[2022], 11)
        word = docx.Document(os.path.join(self.out, "lagesrapport-2021-2022.docx"))
        table = next(t for t in word.tables if t.rows[0].cells[0].text == "År")
        self.assertEqual([[c.text for c in r.cells] for r in table.rows][1:],
                         [[str(y), str(counts[y]), str(len(Period(self.project, (y,)).published()))]
                          for y in YEARS])
        ws = self.workbook()["Jämförelse"]
        row = next(r for r in ws.iter_rows(values_only=True) if r[1] == "Svarande aktörer")
        self.assertEqual(row[2:4], (counts[2021], counts[2022]))
        # Who answered which years.
        for actor, s in self.period.years[2021].items():
            if actor not in self.period.years[2022]:
                name = next(a["namn"] for a in self.actors() if a["id"] == actor)
                self.assertIn(f"| {name} | svarade | – |", md)

    def actors(self):
        with open(os.path.join(self.project, "aktorer.yaml"), encoding="utf-8") as f:
            return yaml.safe_load(f)["aktörer"]

    def test_plan_versus_outcome_of_2021_across_the_period(self):
        later = {}
        for actor, s in self.period.years[2022].items():
            for a in s.get("aktiviteter") or []:
                if "id" in a:
                    for o in owners(actor, a):
                        later[(o, a["id"])] = a["status"]
        expected = {}
        for actor, s in self.period.years[2021].items():
            for a in s.get("aktiviteter") or []:
                if a.get("intern") or "id" not in a or a["status"] not in ("planerad", "pågående"):
                    continue
                found = [later[(o, a["id"])] for o in owners(actor, a) if (o, a["id"]) in later]
                expected[a["id"]] = found[0] if found else "inte rapporterad"
        ws = self.workbook()["Uppföljning"]
        rows = list(ws.iter_rows(values_only=True))
        header = rows.index(next(r for r in rows if r[0] == "Ansvariga"))
        got = {r[1]: r[5].lower() for r in rows[header + 1:] if r[1]}
        self.assertEqual(got, expected)
        self.assertIn("som var planerade eller pågående 2021", self.read("lagesrapport-2021-2022.md"))


class ThreeYearsTest(unittest.TestCase):
    """A plan of the first year carried out in the middle year is carried
    out, though the last year does not mention it: the identity fixture
    with a 2025 in which only the police answer."""

    def test_plans_are_followed_through_every_later_year(self):
        with tempfile.TemporaryDirectory(prefix="lr-period-3-") as tmp:
            project = os.path.join(tmp, "projekt")
            shutil.copytree(os.path.join(SOURCE, "tests", "fixtures", "identity"), project,
                            ignore=shutil.ignore_patterns("2023-2024"))
            os.makedirs(os.path.join(project, "2025", "yttranden"))
            with open(os.path.join(project, "2025", "yttranden", "polisen.yaml"), "w", encoding="utf-8") as f:
                f.write("aktör: polisen\når: 2025\ninkom: 2026-02-03\naktiviteter:\n"
                        "  - id: samverkansmoten\n    rubrik: Samverkansmöten\n    mål: [\"3\"]\n"
                        "    status: genomförd\n")
            r = subprocess.run([BIN, "build", "2023–2025", "--format", "md,xlsx"], cwd=project,
                               capture_output=True, text=True, timeout=120)
            self.assertEqual(r.returncode, 0, r.stderr)
            out = os.path.join(project, "out", "2023-2025")
            ws = openpyxl.load_workbook(os.path.join(out, "lagesrapport-2023-2025.xlsx"))["Uppföljning"]
            rows = list(ws.iter_rows(values_only=True))
            header = next(r for r in rows if r[0] == "Ansvariga")
            self.assertEqual(header[4:6], ("Status 2023", "Utfall 2024–2025"))
            outcome = {r[1]: r[5] for r in rows[rows.index(header) + 1:] if r[1]}
            self.assertEqual(outcome, {"projekt-heder": "Genomförd", "forum-kvinnofrid": "Pågående",
                                       "samverkansmoten": "Genomförd", "foraldrakurs": "Avbruten",
                                       "kartlaggning": "Inte rapporterad"})
            with open(os.path.join(out, "lagesrapport-2023-2025.md"), encoding="utf-8") as f:
                md = f.read()
            self.assertIn("| Samverkansmöten | Polisen | mål 3 | genomförd | 2023–2025 |", md)
            self.assertIn("| Projekt Heder | Aneby kommun | delmål 1:1 och 2:1 | genomförd | 2023–2024 |", md)
            self.assertIn("| 2025 | 1 | 1 |", md)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
