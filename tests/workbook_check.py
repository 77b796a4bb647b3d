#!/usr/bin/python3
"""Reads workbooks written by lr_workbook_write back with openpyxl, an
independent reader, and checks what a user would: the five sheets in order,
their header rows, one row per published activity (counted here from the
statement files with PyYAML, not from the program), numbers that agree
with the statements, frozen panes, autofilters, the chart and the colour
scale, formula-looking text kept as text, intern activities left out,
Swedish text intact, the document properties, and byte-identical output.

usage: workbook_check.py PATH-TO-write_workbook SOURCE-DIR
"""
import datetime
import os
import pathlib
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

import needs

openpyxl = needs.module("openpyxl", package="python3-openpyxl")
yaml = needs.module("yaml", package="python3-yaml")

WRITE = None   # the driver, from argv
SOURCE = None  # the repository root, from argv

SHEETS = ["Översikt", "Aktiviteter", "Täckning", "Aktörer", "Jämförelse", "Uppföljning", "Trender"]
ACTIVITY_HEADER = ["Aktör", "Aktörstyp", "Mål", "Delmål", "Rubrik", "Status",
                   "Beskrivning", "Områden", "Samverkan", "Målgrupp", "Id"]
# No contact persons: the published workbook names organisations only.
ACTOR_HEADER = ["Aktör", "Typ", "Svarat", "Inkom", "Styrdokument", "Aktiviteter"]
STATUS = {"planerad": "Planerad", "pågående": "Pågående",
          "genomförd": "Genomförd", "avbruten": "Avbruten"}

FORMULA_LIKE = ['=HYPERLINK("http://x.example","klick")', "+SUM(1,2)", "-1", "@x"]
INTERN_HEADING = "Hemlig intern åtgärd i Övik"
LONG_HEADING = "å" * 40000


def write(project, year, out, env=None, intern=False):
    """Runs the driver; returns (exit status, stderr text)."""
    run = subprocess.run([WRITE, str(project), str(year), str(out)] + (["intern"] if intern else []),
                         capture_output=True, check=False, env=env)
    return run.returncode, run.stderr.decode("utf-8", "replace")


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


class Project:
    """What the statement files say, read independently of the program."""

    def __init__(self, root, year):
        root = pathlib.Path(root)
        config = load_yaml(root / "lagesrapport.yaml")
        strategy = load_yaml(root / config.get("strategi", "strategi.yaml"))
        registry = load_yaml(root / config.get("aktörer", "aktorer.yaml"))
        # The version of the strategy in force that year (docs/revisioner.md).
        self.goals = strategy["mål"]
        for revision in strategy.get("revisioner") or []:
            if revision["från"] <= year:
                self.goals = revision["mål"]
        self.actors = registry["aktörer"]
        self.names = {a["id"]: a["namn"] for a in self.actors}
        # id -> (goal id, sub-goal id or None)
        self.target = {}
        for g in self.goals:
            self.target[g["id"]] = (g["id"], None)
            for s in g.get("delmål") or []:
                self.target[s["id"]] = (g["id"], s["id"])
        self.year = year
        self.statements = self.read_year(root, year)
        self.previous = self.read_year(root, year - 1)

    @staticmethod
    def read_year(root, year):
        folder = root / str(year) / "yttranden"
        if not folder.is_dir():
            return None
        return {p.stem: load_yaml(p) for p in sorted(folder.glob("*.yaml"))}

    @staticmethod
    def targets_of(activity):
        t = activity["mål"]
        return [t] if isinstance(t, str) else list(t)

    def published(self, statements=None):
        """(owner ids, activity) in registry order of the statement that
        writes it, intern ones left out. A joint activity is written once
        and owned by the statement's actor and its "ansvariga", in registry
        order."""
        statements = self.statements if statements is None else statements
        order = {a["id"]: i for i, a in enumerate(self.actors)}
        out = []
        for actor in self.actors:
            st = statements.get(actor["id"])
            if st is None:
                continue
            for a in st.get("aktiviteter") or []:
                if a.get("intern") is not True:
                    owners = {actor["id"], *(a.get("ansvariga") or [])}
                    out.append((tuple(sorted(owners, key=order.get)), a))
        return out

    def intern_headings(self):
        return [a["rubrik"] for st in self.statements.values()
                for a in st.get("aktiviteter") or [] if a.get("intern") is True]

    def goals_of(self, activity):
        return {self.target[t][0] for t in self.targets_of(activity)}

    def subgoals_of(self, activity):
        return [self.target[t][1] for t in self.targets_of(activity) if self.target[t][1]]


def owners_of(published):
    """Every owner of these activities, whether or not it sent a statement."""
    return {o for owners, _ in published for o in owners}


def find_row(ws, column, value):
    for row in ws.iter_rows():
        if row[column].value == value:
            return row[0].row
    raise AssertionError(f"{ws.title}: no row with {value!r} in column {column + 1}")


def row_values(ws, row, first_col=1, last_col=None):
    last_col = last_col or ws.max_column
    return [ws.cell(row=row, column=c).value for c in range(first_col, last_col + 1)]


class Built(unittest.TestCase):
    """Workbooks built once for the whole run."""

    tmp = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="workbook-check-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def build(self, project, year, name, intern=False):
        out = os.path.join(self.tmp, name)
        status, err = write(project, year, out, intern=intern)
        self.assertEqual(status, 0, err)
        # libxlsxwriter prints its warnings to stderr: a clean run has none.
        self.assertEqual(err, "", "the writer printed something")
        return out


class ShippedRegions(Built):
    """Every shipped region, every year it has: the five sheets, right."""

    def regions(self):
        data = pathlib.Path(SOURCE) / "data"
        for root in sorted(p for p in data.iterdir() if (p / "lagesrapport.yaml").exists()):
            for year in sorted(int(p.name) for p in root.iterdir()
                               if p.name.isdigit() and (p / "yttranden").is_dir()):
                yield root, year

    def test_every_region(self):
        seen = 0
        for root, year in self.regions():
            with self.subTest(region=root.name, year=year):
                path = self.build(root, year, f"{root.name}-{year}.xlsx")
                wb = openpyxl.load_workbook(path)
                project = Project(root, year)
                # The Indikatorer sheet follows when the strategy declares
                # indicators; tests/indicators_test.py checks what it holds.
                with open(root / "strategi.yaml", encoding="utf-8") as f:
                    indicators = bool(yaml.safe_load(f).get("indikatorer"))
                self.check_sheets(wb, project, SHEETS + ["Indikatorer"] * indicators)
                seen += 1
        self.assertGreaterEqual(seen, 5)

    def check_sheets(self, wb, project, sheets=SHEETS):
        self.assertEqual(wb.sheetnames, sheets)
        published = project.published()

        ws = wb["Aktiviteter"]
        self.assertEqual(row_values(ws, 1), ACTIVITY_HEADER)
        self.assertEqual(ws.max_row - 1, len(published))
        self.assertEqual(ws.freeze_panes, "A2")
        self.assertEqual(ws.auto_filter.ref, f"A1:K{len(published) + 1}")
        rows = [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=5).value)
                for r in range(2, ws.max_row + 1)]
        self.assertEqual(rows, [("; ".join(project.names[o] for o in owners), act["rubrik"])
                                for owners, act in published])
        headings = {h for _, h in rows}
        for hidden in project.intern_headings():
            self.assertNotIn(hidden, headings)

        ws = wb["Aktörer"]
        self.assertEqual(row_values(ws, 1), ACTOR_HEADER)
        self.assertEqual(ws.max_row - 1, len(project.actors))
        self.assertEqual(ws.freeze_panes, "A2")
        self.assertEqual(ws.auto_filter.ref, f"A1:F{len(project.actors) + 1}")
        for i, actor in enumerate(project.actors, start=2):
            answered = actor["id"] in project.statements
            self.assertEqual(ws.cell(row=i, column=1).value, actor["namn"])
            self.assertEqual(ws.cell(row=i, column=3).value, "Ja" if answered else "Nej")
            count = ws.cell(row=i, column=6).value
            if answered:
                mine = [act for owners, act in published if actor["id"] in owners]
                self.assertEqual(count, len(mine))
            else:
                self.assertIsNone(count)

        ws = wb["Översikt"]
        self.assertEqual(len(ws._charts), 1, "no chart on Översikt")
        self.check_overview(ws, project, published)

        ws = wb["Täckning"]
        self.check_coverage(ws, project, published)

        ws = wb["Jämförelse"]
        if project.previous is None:
            texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
            self.assertTrue(any(f"inga yttranden för {project.year - 1}" in t for t in texts),
                            texts)
        else:
            self.check_comparison(ws, project)

    def check_overview(self, ws, project, published):
        header = find_row(ws, 0, "Id")
        with_subgoals = any(g.get("delmål") for g in project.goals)
        expected = ["Id", "Mål / delmål" if with_subgoals else "Mål", "Aktiviteter", "Aktörer",
                    "Planerad", "Pågående", "Genomförd", "Avbruten"]
        if with_subgoals:
            expected += ["Delmål med aktivitet", "Delmål totalt"]
        self.assertEqual(row_values(ws, header), expected)
        row = header + 1
        for g in project.goals:
            acts = [(a, act) for a, act in published if g["id"] in project.goals_of(act)]
            self.assertEqual(ws.cell(row=row, column=1).value, g["id"])
            self.assertEqual(ws.cell(row=row, column=2).value, g["namn"])
            self.assertEqual(ws.cell(row=row, column=3).value, len(acts))
            self.assertEqual(ws.cell(row=row, column=4).value, len(owners_of(acts)))
            for col, status in enumerate(STATUS, start=5):
                self.assertEqual(ws.cell(row=row, column=col).value,
                                 sum(1 for _, act in acts if act["status"] == status))
            row += 1
            for s in g.get("delmål") or []:
                n = sum(project.subgoals_of(act).count(s["id"]) for _, act in published)
                self.assertEqual(ws.cell(row=row, column=1).value, s["id"])
                cell = ws.cell(row=row, column=2)
                self.assertEqual(cell.value, s["text"])
                self.assertGreater(cell.alignment.indent, 0, "sub-goal not indented")
                self.assertEqual(ws.cell(row=row, column=3).value, n)
                row += 1
        self.assertEqual(ws.cell(row=row, column=2).value, "Totalt")
        self.assertEqual(ws.cell(row=row, column=3).value, len(published))
        self.assertEqual(ws.cell(row=row, column=4).value, len(owners_of(published)))

        rate = ws.cell(row=find_row(ws, 1, "Svarsfrekvens"), column=3)
        self.assertAlmostEqual(rate.value, len(project.statements) / len(project.actors))
        self.assertIn("%", rate.number_format)

    def check_coverage(self, ws, project, published):
        by_subgoal = any(g.get("delmål") for g in project.goals)
        columns = []  # (label, goal id, sub-goal id or None)
        for g in project.goals:
            subs = g.get("delmål") or []
            columns += ([(s["id"], g["id"], s["id"]) for s in subs]
                        or [("Mål " + g["id"], g["id"], None)])
        header = find_row(ws, 0, "Aktör")
        self.assertEqual(row_values(ws, header),
                         ["Aktör", "Svar"] + [c[0] for c in columns] + ["Totalt"])
        self.assertEqual(ws.freeze_panes, f"C{header + 1}")
        if not by_subgoal:
            self.assertIn("och mål", ws.cell(row=1, column=1).value)
        for i, actor in enumerate(project.actors, start=header + 1):
            self.assertEqual(ws.cell(row=i, column=1).value, actor["namn"])
            answered = actor["id"] in project.statements
            self.assertEqual(ws.cell(row=i, column=2).value,
                             "Svarat" if answered else "Inget svar")
            mine = [act for owners, act in published if actor["id"] in owners]
            for k, (_, goal, sub) in enumerate(columns, start=3):
                value = ws.cell(row=i, column=k).value
                if not answered:
                    self.assertIsNone(value)
                elif sub:
                    self.assertEqual(value, sum(project.subgoals_of(a).count(sub) for a in mine))
                else:
                    self.assertEqual(value, sum(1 for a in mine if goal in project.goals_of(a)))
            total = ws.cell(row=i, column=3 + len(columns)).value
            self.assertEqual(total, len(mine) if answered else None)
        last = header + len(project.actors)
        self.assertEqual(ws.cell(row=last + 1, column=1).value, "Totalt")
        self.assertEqual(ws.cell(row=last + 1, column=3 + len(columns)).value, len(published))

        rules = [(str(cf.sqref), rule.type) for cf in ws.conditional_formatting
                 for rule in cf.rules]
        end = openpyxl.utils.get_column_letter(2 + len(columns))
        self.assertIn((f"C{header + 1}:{end}{last}", "colorScale"), rules)

    def check_comparison(self, ws, project):
        before, after = project.year - 1, project.year
        header = find_row(ws, 0, "Id")
        with_subgoals = any(g.get("delmål") for g in project.goals)
        self.assertEqual(row_values(ws, header, 1, 6),
                         ["Id", "Mål / delmål" if with_subgoals else "Mål", str(before),
                          str(after), "Förändring", "Täckning"])
        old, new = project.published(project.previous), project.published()
        row = header + 1
        for g in project.goals:
            b = sum(1 for _, a in old if g["id"] in project.goals_of(a))
            n = sum(1 for _, a in new if g["id"] in project.goals_of(a))
            self.assertEqual(row_values(ws, row, 1, 5), [g["id"], g["namn"], b, n, n - b])
            row += 1 + len(g.get("delmål") or [])
        responses = find_row(ws, 1, "Svarande aktörer")
        self.assertEqual(row_values(ws, responses, 3, 5),
                         [len(project.previous), len(project.statements),
                          len(project.statements) - len(project.previous)])


class Fixture(Built):
    """A copy of tests/fixtures/minimal with hostile and Swedish text."""

    project = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = os.path.join(cls.tmp, "minimal")
        shutil.copytree(os.path.join(SOURCE, "tests", "fixtures", "minimal"), cls.project)
        statement = os.path.join(cls.project, "2022", "yttranden", "polisen.yaml")
        data = load_yaml(statement)
        data["aktiviteter"] += [
            {"rubrik": FORMULA_LIKE[0], "mål": ["1:1"], "status": "planerad",
             "beskrivning": FORMULA_LIKE[1], "målgrupp": FORMULA_LIKE[3]},
            {"rubrik": "Minus ett", "mål": ["2:1"], "status": "avbruten",
             "beskrivning": FORMULA_LIKE[2]},
            {"rubrik": "Snabel-a", "mål": ["2:2"], "status": "genomförd",
             "beskrivning": FORMULA_LIKE[3]},
            {"rubrik": INTERN_HEADING, "mål": ["2:3"], "status": "pågående",
             "beskrivning": "Får aldrig synas i arbetsboken.", "intern": True},
            {"rubrik": LONG_HEADING, "mål": ["3"], "status": "pågående",
             "beskrivning": "En rubrik längre än vad en cell rymmer."},
        ]
        with open(statement, "w", encoding="utf-8") as f:
            yaml.safe_dump(data, f, allow_unicode=True, sort_keys=False)

    def workbook(self, intern=False):
        name = "minimal-intern.xlsx" if intern else "minimal.xlsx"
        return openpyxl.load_workbook(self.build(self.project, 2022, name, intern))

    def test_formula_like_text_stays_text(self):
        ws = self.workbook()["Aktiviteter"]
        cells = [c for row in ws.iter_rows(min_row=2) for c in row]
        for text in FORMULA_LIKE:
            found = [c for c in cells if c.value == text]
            self.assertTrue(found, f"{text!r} not in Aktiviteter")
            for c in found:
                self.assertEqual(c.data_type, "s", f"{c.coordinate} holds {text!r} as {c.data_type}")

    def test_intern_activity_absent_everywhere(self):
        wb = self.workbook()
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    self.assertFalse(isinstance(c.value, str) and INTERN_HEADING in c.value,
                                     f"{ws.title}!{c.coordinate}")
        published = Project(self.project, 2022).published()
        self.assertEqual(wb["Aktiviteter"].max_row - 1, len(published))

    def test_swedish_text_and_plain_descriptions(self):
        wb = self.workbook()
        ws = wb["Aktiviteter"]
        row = find_row(ws, 4, "Kartläggning av våldsförebyggande arbete")
        self.assertEqual(row_values(ws, row),
                         ["Aneby kommun", "Kommun", "1", "1:1",
                          "Kartläggning av våldsförebyggande arbete", "Pågående",
                          "Kommunen kartlägger det våldsförebyggande arbetet i skolan.",
                          "Våld i nära relation", "Länsstyrelsen i Provlän", None, None])
        self.assertTrue(ws.cell(row=row, column=7).alignment.wrap_text)
        self.assertIn("Täckning", wb.sheetnames)

    def test_long_text_is_cut_to_a_cell(self):
        ws = self.workbook()["Aktiviteter"]
        long = [c.value for c in ws["E"] if isinstance(c.value, str) and c.value.startswith("ååå")]
        self.assertEqual(len(long), 1)
        self.assertLessEqual(len(long[0].encode("utf-8")), 32767)
        self.assertEqual(set(long[0]), {"å"})

    def test_actors_and_coverage(self):
        wb = self.workbook()
        ws = wb["Aktörer"]
        self.assertEqual(ws.max_column, 6)  # organisations, not people
        self.assertEqual(row_values(ws, 2, 1, 6),
                         ["Aneby kommun", "Kommun", "Ja", datetime.datetime(2023, 2, 14),
                          "Antagen", 2])
        self.assertEqual(ws.cell(row=2, column=4).number_format, "yyyy-mm-dd")
        self.assertEqual(row_values(ws, 3, 1, 6), ["Eksjö kommun", "Kommun", "Nej", None, None, None])
        texts = [c.value for sheet in wb for row in sheet.iter_rows() for c in row
                 if isinstance(c.value, str)]
        self.assertFalse([t for t in texts if "Anna Andersson" in t or "@" in t and ".example" in t])
        ws = wb["Täckning"]
        row = find_row(ws, 0, "Eksjö kommun")
        self.assertEqual(ws.cell(row=row, column=2).value, "Inget svar")

    def test_the_internal_workbook_names_the_contacts(self):
        ws = self.workbook(intern=True)["Aktörer"]
        self.assertEqual(row_values(ws, 1, 7, 8), ["Kontaktperson", "E-post"])
        self.assertEqual(ws.auto_filter.ref, f"A1:H{ws.max_row}")
        self.assertEqual(row_values(ws, 2, 1, 7),
                         ["Aneby kommun", "Kommun", "Ja", datetime.datetime(2023, 2, 14),
                          "Antagen", 2, "Anna Andersson"])
        self.assertEqual(ws.cell(row=3, column=8).value, "kvinnofrid@eksjo.example")

    def test_comparison_with_previous_year(self):
        ws = self.workbook()["Jämförelse"]
        header = find_row(ws, 0, "Id")
        self.assertEqual(row_values(ws, header, 3, 4), ["2021", "2022"])

    def test_properties(self):
        props = self.workbook().properties
        self.assertEqual(props.creator, "Länsstyrelsen i Provlän")
        self.assertIn("2022", props.title)
        self.assertEqual(props.subject, "Regional strategi mot mäns våld mot kvinnor i Provlän")
        # The newest "inkom" of the year, never the clock.
        self.assertEqual(props.created, datetime.datetime(2023, 2, 14))

    def test_byte_identical(self):
        first = self.build(self.project, 2022, "once.xlsx")
        env = dict(os.environ, TZ="America/Los_Angeles")
        second = os.path.join(self.tmp, "twice.xlsx")
        status, err = write(self.project, 2022, second, env=env)
        self.assertEqual((status, err), (0, ""))
        with open(first, "rb") as a, open(second, "rb") as b:
            self.assertEqual(a.read(), b.read())
        jonkoping = os.path.join(SOURCE, "data", "jonkoping")
        a = self.build(jonkoping, 2022, "j1.xlsx")
        b = self.build(jonkoping, 2022, "j2.xlsx")
        with open(a, "rb") as x, open(b, "rb") as y:
            self.assertEqual(x.read(), y.read())


class Failures(Built):
    """A path that cannot be written: false, a diagnostic, no file, no crash."""

    def check_refused(self, out):
        status, err = write(os.path.join(SOURCE, "tests", "fixtures", "minimal"), 2022, out)
        self.assertEqual(status, 1, err)
        self.assertIn("fel:", err)
        self.assertIn("arbetsboken", err)
        self.assertNotIn("[ERROR]", err)  # libxlsxwriter's own message
        self.assertNotIn("[WARNING]", err)
        return err

    def test_missing_directory(self):
        out = os.path.join(self.tmp, "saknas", "x.xlsx")
        self.check_refused(out)
        self.assertFalse(os.path.exists(out))
        self.assertFalse(os.path.exists(os.path.dirname(out)))

    def test_parent_is_a_file(self):
        # Root ignores permission bits; a file as the parent fails for everyone.
        parent = os.path.join(self.tmp, "fil")
        pathlib.Path(parent).write_text("inte en mapp\n", encoding="utf-8")
        out = os.path.join(parent, "x.xlsx")
        self.check_refused(out)
        self.assertEqual(pathlib.Path(parent).read_text(encoding="utf-8"), "inte en mapp\n")

    def test_failure_while_writing(self):
        # The path opens, but every write fails: libxlsxwriter's own error
        # path. The device must survive: only a regular file is removed.
        status, err = write(os.path.join(SOURCE, "tests", "fixtures", "minimal"), 2022,
                            "/dev/full")
        self.assertEqual(status, 1, err)
        self.assertIn("/dev/full: fel: kunde inte skriva arbetsboken", err)
        self.assertTrue(stat.S_ISCHR(os.stat("/dev/full").st_mode))

    def test_path_is_a_directory(self):
        out = os.path.join(self.tmp, "mapp.xlsx")
        os.mkdir(out)
        self.check_refused(out)
        self.assertTrue(os.path.isdir(out))
        self.assertEqual(os.listdir(out), [])


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    WRITE, SOURCE = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1] + sys.argv[3:], verbosity=2)
