#!/usr/bin/python3
"""`lagesrapport export` read back as an analyst would: with Python's csv
module, in both dialects. Row counts and every count are compared with
what the YAML files say, read here with PyYAML and counted independently
of the program: one row per published activity (a joint activity once,
with all its owners), per registered actor, per actor and sub-goal.
Hostile text (quotes, line breaks, separators, formula-looking text) comes
back exactly, formulas neutralised with an apostrophe; intern activities
appear only with --intern; a file is replaced whole or not at all.

Usage: export_test.py LAGESRAPPORT SOURCE_DIR [unittest arguments]
"""
import csv
import io
import os
import pathlib
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

import needs

yaml = needs.module("yaml", package="python3-yaml")

BIN = SRC = None  # set from argv

BOM = b"\xef\xbb\xbf"
STATUS = {"planerad": "Planerad", "pågående": "Pågående", "genomförd": "Genomförd",
          "avbruten": "Avbruten"}
PLAN = {None: "Ej angivet", "antagen": "Antagen", "under-arbete": "Under arbete",
        "saknas": "Saknas"}
TYPE = {"kommun": "Kommun", "region": "Region", "länsstyrelse": "Länsstyrelse",
        "myndighet": "Myndighet", "civilsamhälle": "Civilsamhälle", "övrig": "Övrig"}
ACTIVITY_HEADER = ["Id", "Rubrik", "Ansvariga", "Ansvariga (id)", "Aktörstyp", "Mål", "Delmål",
                   "Status", "Områden", "Samverkanspartner", "Målgrupp", "Beskrivning"]
RESPONSE_HEADER = ["Aktör (id)", "Aktör", "Aktörstyp", "Svarat", "Inkom", "Styrdokument",
                   "Aktiviteter"]
COVERAGE_HEADER = ["Aktör (id)", "Aktör", "Aktörstyp", "Svarat", "Mål", "Delmål", "Lydelse",
                   "Aktiviteter"]
INDICATOR_HEADER = ["Aktör (id)", "Aktör", "Aktörstyp", "Indikator (id)", "Indikator", "Värde",
                    "Enhet", "Kommentar"]


def run(project, *args):
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([BIN, "-C", str(project), "export", *args], env=env,
                          capture_output=True, timeout=120, check=False)


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def rows_of(data, excel=False):
    """The records of an export, read as the dialect says. Every record
    must end in CRLF, also the last: counted on the raw bytes, since no
    field the program writes holds a carriage return."""
    if excel:
        assert data.startswith(BOM), data[:10]
        text = data[len(BOM):].decode("utf-8")
    else:
        assert not data.startswith(BOM)
        text = data.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if excel else ","))
    assert all("\r" not in field for row in rows for field in row)
    assert text.endswith("\r\n") and text.count("\r\n") == len(rows), "records must end in CRLF"
    assert text.replace("\r\n", "").count("\r") == 0
    return rows


class Project:
    """What a project's YAML says about one year, read without the program."""

    def __init__(self, root, year):
        root = pathlib.Path(root)
        config = load_yaml(root / "lagesrapport.yaml")
        strategy = load_yaml(root / config.get("strategi", "strategi.yaml"))
        self.actors = load_yaml(root / config.get("aktörer", "aktorer.yaml"))["aktörer"]
        self.by_id = {a["id"]: a for a in self.actors}
        # A revised strategy: the year's own version of the goals.
        self.goals = strategy["mål"]
        for revision in strategy.get("revisioner") or []:
            if revision["från"] <= year:
                self.goals = revision["mål"]
        self.target = {}
        for g in self.goals:
            self.target[g["id"]] = (g["id"], None)
            for s in g.get("delmål") or []:
                self.target[s["id"]] = (g["id"], s["id"])
        folder = root / str(year) / "yttranden"
        self.statements = {}
        for path in sorted(folder.glob("*.y*ml")):
            st = load_yaml(path)
            if st.get("inkom", "") is not None:  # an empty inkom: a form not back
                self.statements[st["aktör"]] = st

    def activities(self, intern=False):
        """(owner ids, activity), each once, in registry order of the
        statement that first writes it; a joint activity written again by
        another owner is the same one."""
        order = {a["id"]: i for i, a in enumerate(self.actors)}
        seen, out = set(), []
        for actor in self.actors:
            st = self.statements.get(actor["id"])
            for a in (st or {}).get("aktiviteter") or []:
                owners = tuple(sorted({actor["id"], *(a.get("ansvariga") or [])}, key=order.get))
                key = (a.get("id"), frozenset(owners))
                if a.get("id") and key in seen:
                    continue
                seen.add(key)
                if intern or a.get("intern") is not True:
                    out.append((owners, a))
        return out

    def targets(self, activity):
        t = activity["mål"]
        return [self.target[x] for x in ([t] if isinstance(t, str) else t)]

    def goal_ids(self, activity):
        touched = {g for g, _ in self.targets(activity)}
        return [g["id"] for g in self.goals if g["id"] in touched]

    def subgoal_ids(self, activity):
        named = {s for _, s in self.targets(activity) if s}
        return [s["id"] for g in self.goals for s in g.get("delmål") or [] if s["id"] in named]


def neutral(text):
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def regions():
    """Every shipped region and fixture with statements, every year."""
    roots = sorted(p for p in (pathlib.Path(SRC) / "data").iterdir()
                   if (p / "lagesrapport.yaml").exists())
    roots.append(pathlib.Path(SRC) / "tests" / "fixtures" / "identity")
    for root in roots:
        for year in sorted(int(p.name) for p in root.iterdir()
                           if p.name.isdigit() and (p / "yttranden").is_dir()):
            yield root, year


class Regions(unittest.TestCase):
    """The shipped projects: each table agrees with the YAML, in both dialects."""

    def export(self, root, year, *args):
        plain = run(root, str(year), *args)
        self.assertEqual(plain.returncode, 0, plain.stderr.decode())
        excel = run(root, str(year), "--excel", *args)
        self.assertEqual(excel.returncode, 0, excel.stderr.decode())
        rows = rows_of(plain.stdout)
        # The dialects differ in their bytes, never in what the fields say:
        # these tables have no numbers with decimals.
        self.assertEqual(rows_of(excel.stdout, excel=True), rows)
        return rows

    def test_activities(self):
        seen = 0
        for root, year in regions():
            with self.subTest(project=root.name, year=year):
                project = Project(root, year)
                rows = self.export(root, year)
                self.assertEqual(rows[0], ACTIVITY_HEADER)
                expected = project.activities()
                self.assertEqual(len(rows) - 1, len(expected))
                for row, (owners, a) in zip(rows[1:], expected):
                    self.assertEqual(row[0], a.get("id") or "")
                    self.assertEqual(row[1], neutral(a["rubrik"]))
                    self.assertEqual(row[2], "; ".join(project.by_id[o]["namn"] for o in owners))
                    self.assertEqual(row[3], "; ".join(owners))
                    self.assertEqual(row[5], "; ".join(project.goal_ids(a)))
                    self.assertEqual(row[6], "; ".join(project.subgoal_ids(a)))
                    self.assertEqual(row[7], STATUS[a["status"]])
                    self.assertEqual(bool(row[11]), bool(a.get("beskrivning")))
                seen += 1
        self.assertGreaterEqual(seen, 7)

    def test_responses(self):
        for root, year in regions():
            with self.subTest(project=root.name, year=year):
                project = Project(root, year)
                rows = self.export(root, year, "--what", "svar")
                self.assertEqual(rows[0], RESPONSE_HEADER)
                published = project.activities()
                expected = []
                for actor in project.actors:
                    st = project.statements.get(actor["id"])
                    received = st and st.get("inkom")
                    plan = st and (st.get("styrdokument") or {}).get("status")
                    expected.append([actor["id"], neutral(actor["namn"]), TYPE[actor["typ"]],
                                     "Ja" if st else "Nej",
                                     received.isoformat() if received else "",
                                     PLAN[plan] if st else "",
                                     str(sum(1 for owners, _ in published if actor["id"] in owners))])
                self.assertEqual(rows[1:], expected)

    def test_coverage(self):
        for root, year in regions():
            with self.subTest(project=root.name, year=year):
                project = Project(root, year)
                rows = self.export(root, year, "--what", "täckning")
                self.assertEqual(rows[0], COVERAGE_HEADER)
                published = project.activities()
                expected = []
                for actor in project.actors:
                    mine = [a for owners, a in published if actor["id"] in owners]
                    for g in project.goals:
                        for s in g.get("delmål") or [None]:
                            if s:
                                n = sum(project.subgoal_ids(a).count(s["id"]) for a in mine)
                            else:
                                n = sum(1 for a in mine if g["id"] in project.goal_ids(a))
                            expected.append([actor["id"], neutral(actor["namn"]),
                                             TYPE[actor["typ"]],
                                             "Ja" if actor["id"] in project.statements else "Nej",
                                             g["id"], s["id"] if s else "",
                                             neutral(s["text"] if s else g["namn"]), str(n)])
                subgoals = sum(len(g.get("delmål") or [None]) for g in project.goals)
                self.assertEqual(len(rows) - 1, len(project.actors) * subgoals)
                self.assertEqual(rows[1:], expected)

    def test_indicators(self):
        """Every indicator value of every statement, once, as the YAML
        wrote it; with decimal commas in the Excel dialect."""
        seen = 0
        for root, year in regions():
            project = Project(root, year)
            strategy = load_yaml(pathlib.Path(root) / "strategi.yaml")
            declared = {i["id"]: i for i in strategy.get("indikatorer") or []}
            expected = []
            for actor in project.actors:
                st = project.statements.get(actor["id"])
                for key, value in ((st or {}).get("indikatorer") or {}).items():
                    number = value["värde"] if isinstance(value, dict) else value
                    expected.append((actor["id"], key, float(number), declared[key]["enhet"]))
            if not expected:
                continue
            with self.subTest(project=root.name, year=year):
                plain = run(root, str(year), "--what", "indikatorer")
                excel = run(root, str(year), "--what", "indikatorer", "--excel")
                self.assertEqual((plain.returncode, excel.returncode), (0, 0), plain.stderr.decode())
                rows, excel_rows = rows_of(plain.stdout), rows_of(excel.stdout, excel=True)
                self.assertEqual(rows[0], INDICATOR_HEADER)
                self.assertEqual(len(rows) - 1, len(expected))
                self.assertEqual(sorted((r[0], r[3], float(r[5]), r[6]) for r in rows[1:]), sorted(expected))
                self.assertEqual(sorted((r[0], r[3], float(r[5].replace(",", ".")), r[6]) for r in excel_rows[1:]),
                                 sorted(expected))
                seen += 1
        self.assertGreaterEqual(seen, 1, "a shipped project reports indicators")

    def test_same_bytes_every_run(self):
        root = pathlib.Path(SRC) / "data" / "jonkoping"
        for what in ("aktiviteter", "svar", "täckning", "indikatorer"):
            first = run(root, "2022", "--what", what, "--excel").stdout
            self.assertEqual(run(root, "2022", "--what", what, "--excel").stdout, first)


HOSTILE = [
    # (heading, description, target group)
    ('Säg "nej" till våld', "Rad ett.\n\nRad två, med komma; och semikolon.", "Unga, 13–18 år"),
    ('=HYPERLINK("http://x.example","klick")', "+SUM(1,2)", "@x"),
    ("-1", "@lista", "-"),
]
INTERN_HEADING = "Hemlig intern åtgärd i Övik"


class Hostile(unittest.TestCase):
    """A copy of tests/fixtures/minimal with text that breaks naive CSV."""

    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="lr-export-"))
        self.project = self.tmp / "minimal"
        shutil.copytree(pathlib.Path(SRC) / "tests" / "fixtures" / "minimal", self.project)
        path = self.project / "2022" / "yttranden" / "polisen.yaml"
        data = load_yaml(path)
        for heading, description, group in HOSTILE:
            data["aktiviteter"].append({"rubrik": heading, "mål": ["2:1"], "status": "planerad",
                                        "beskrivning": description, "målgrupp": group})
        data["aktiviteter"].append({"rubrik": INTERN_HEADING, "mål": ["2:3"], "status": "pågående",
                                    "beskrivning": "Får aldrig synas.", "intern": True})
        with open(path, "w", encoding="utf-8") as f:
            yaml.safe_dump(data, f, allow_unicode=True, sort_keys=False)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def export(self, *args):
        r = run(self.project, "2022", *args)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        return r.stdout

    def test_fields_come_back_exactly(self):
        for excel in (False, True):
            with self.subTest(excel=excel):
                rows = rows_of(self.export(*(["--excel"] if excel else [])), excel)
                by_heading = {row[1]: row for row in rows[1:]}
                for heading, description, group in HOSTILE:
                    row = by_heading[neutral(heading)]
                    self.assertEqual(row[10], neutral(group))
                    self.assertEqual(row[11], neutral(description))
                    self.assertEqual(row[2:5], ["Polisen", "polisen", "Myndighet"])
                aneby = by_heading["Kartläggning av våldsförebyggande arbete"]
                self.assertEqual(aneby[5:], ["1", "1:1", "Pågående", "Våld i nära relation",
                                             "Länsstyrelsen i Provlän", "",
                                             "Kommunen kartlägger det våldsförebyggande "
                                             "arbetet i skolan."])

    def test_quoting_is_rfc_4180(self):
        data = self.export().decode("utf-8")
        self.assertIn('"Säg ""nej"" till våld"', data)
        self.assertIn('"Rad ett.\n\nRad två, med komma; och semikolon."', data)
        # A field is quoted only when it must be.
        self.assertIn(",Planerad,", data)
        excel = self.export("--excel").decode("utf-8")
        self.assertIn(";Unga, 13–18 år;", excel)  # a comma needs no quotes between semicolons
        self.assertIn('"Rad ett.\n\nRad två, med komma; och semikolon."', excel)

    def test_formula_like_text_is_neutralised(self):
        rows = rows_of(self.export())
        cells = [field for row in rows[1:] for field in row]
        for text in ('=HYPERLINK("http://x.example","klick")', "+SUM(1,2)", "@x", "-1", "-"):
            self.assertIn("'" + text, cells)
            self.assertNotIn(text, cells)
        self.assertFalse([c for c in cells if c[:1] in ("=", "+", "-", "@", "\t")], cells)

    def test_intern_only_when_asked(self):
        rows = rows_of(self.export())
        self.assertNotIn(INTERN_HEADING, self.export().decode("utf-8"))
        self.assertEqual(len(rows[0]), len(ACTIVITY_HEADER))
        rows = rows_of(self.export("--intern"))
        self.assertEqual(rows[0], ACTIVITY_HEADER + ["Intern"])
        intern = [row for row in rows[1:] if row[-1] == "Ja"]
        self.assertEqual([row[1] for row in intern], [INTERN_HEADING])
        self.assertEqual(len(rows) - 1,
                         len(Project(self.project, 2022).activities(intern=True)))
        # Counts take the intern activity in too, and only then.
        svar = {row[0]: row for row in rows_of(self.export("--what", "svar"))}
        svar_intern = {row[0]: row for row in rows_of(self.export("--what", "svar", "--intern"))}
        self.assertEqual(int(svar_intern["polisen"][6]), int(svar["polisen"][6]) + 1)
        cover = [r for r in rows_of(self.export("--what", "täckning", "--intern"))
                 if r[0] == "polisen" and r[5] == "2:3"]
        self.assertEqual(cover[0][7], "1")

    def test_indicators_without_any(self):
        # The fixture declares no indicators: a header and nothing else.
        self.assertEqual(rows_of(self.export("--what", "indikatorer")), [INDICATOR_HEADER])


class Files(unittest.TestCase):
    """-o FIL: the file whole or untouched, never half written."""

    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="lr-export-files-"))
        self.project = self.tmp / "minimal"
        shutil.copytree(pathlib.Path(SRC) / "tests" / "fixtures" / "minimal", self.project)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_written_to_a_file_as_to_stdout(self):
        out = self.tmp / "ut.csv"
        r = run(self.project, "2022", "--what", "svar", "-o", str(out))
        self.assertEqual((r.returncode, r.stdout), (0, b""), r.stderr.decode())
        self.assertEqual(out.read_bytes(), run(self.project, "2022", "--what", "svar").stdout)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["minimal", "ut.csv"])  # no temporary left
        self.assertEqual(run(self.project, "2022", "-o", "-").stdout,
                         run(self.project, "2022").stdout)

    def test_replaces_a_file_keeping_its_mode_and_link(self):
        out = self.tmp / "ut.csv"
        out.write_text("gammalt\n")
        out.chmod(0o640)
        link = self.tmp / "lank.csv"
        link.symlink_to("ut.csv")
        r = run(self.project, "2022", "--out", str(link))
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertTrue(link.is_symlink())
        self.assertTrue(out.read_bytes().startswith(b"Id,Rubrik,"))
        self.assertEqual(stat.S_IMODE(out.stat().st_mode), 0o640)

    def test_a_full_disk_is_an_error_and_leaves_the_device(self):
        r = run(self.project, "2022", "-o", "/dev/full")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, b"")
        self.assertIn("/dev/full: fel: kunde inte skriva exporten: disken är full",
                      r.stderr.decode())
        self.assertTrue(stat.S_ISCHR(os.stat("/dev/full").st_mode))

    def test_a_project_with_errors_leaves_the_file_as_it_was(self):
        out = self.tmp / "ut.csv"
        out.write_text("gammalt\n")
        statement = self.project / "2022" / "yttranden" / "polisen.yaml"
        statement.write_text(statement.read_text(encoding="utf-8").replace('"3"', '"9"'),
                             encoding="utf-8")
        r = run(self.project, "2022", "-o", str(out))
        self.assertEqual(r.returncode, 1)
        self.assertIn("ingenting exporterades", r.stderr.decode())
        self.assertEqual(out.read_text(), "gammalt\n")
        self.assertEqual(sorted(os.listdir(self.tmp)), ["minimal", "ut.csv"])


if __name__ == "__main__":
    BIN = sys.argv.pop(1)
    SRC = sys.argv.pop(1)
    unittest.main(verbosity=2)
