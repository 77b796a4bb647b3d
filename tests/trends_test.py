#!/usr/bin/python3
"""Trends over the years ("Utveckling över åren") on the three-year fixture
tests/fixtures/trends: the counts a reader checks, counted again here from
the YAML with PyYAML; the sub-goals nobody has worked on and the actors who
stopped answering; the response rate; the workbook's Trender sheet and its
chart read back with openpyxl; and the cache of older years
(.lagesrapport/cache), which may make a build faster but never different.

Usage: trends_test.py LAGESRAPPORT SOURCE_DIR [TestClass ...]
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import zlib

import needs

openpyxl = needs.module("openpyxl", package="python3-openpyxl")
yaml = needs.module("yaml", package="python3-yaml")

BIN = SRC = None  # set from argv
YEARS = [2021, 2022, 2023]
CACHE = os.path.join(".lagesrapport", "cache", "trender-2021.txt")


def run(project, *args):
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([BIN, "-C", project, *args], env=env, capture_output=True, text=True,
                          timeout=120)


def expected_counts(project):
    """Per year: responses, published activities, and per goal and sub-goal
    (activities, actors), each activity once however many owners write it
    and however many sub-goals of one goal it names."""
    with open(os.path.join(project, "strategi.yaml"), encoding="utf-8") as f:
        strategy = yaml.safe_load(f)
    goal_of = {}
    for g in strategy["mål"]:
        goal_of[g["id"]] = g["id"]
        for s in g.get("delmål", []):
            goal_of[s["id"]] = g["id"]
    years = {}
    for year in YEARS:
        activities = {}
        responders = []
        for path in sorted(glob.glob(os.path.join(project, str(year), "yttranden", "*.yaml"))):
            with open(path, encoding="utf-8") as f:
                st = yaml.safe_load(f)
            responders.append(st["aktör"])
            for a in st.get("aktiviteter") or []:
                if a.get("intern"):
                    continue
                owners = frozenset([st["aktör"], *a.get("ansvariga", [])])
                activities[(owners, a["id"])] = a["mål"]
        rows = {}
        for (owners, _), targets in activities.items():
            for key in {goal_of[t] for t in targets} | {t for t in targets if t != goal_of[t]}:
                n, who = rows.get(key, (0, set()))
                rows[key] = (n + 1, who | owners)
        years[year] = {"responses": len(responders), "activities": len(activities),
                       "rows": {k: (n, len(who)) for k, (n, who) in rows.items()}}
    return strategy, years


class Fixture(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lr-trends-")
        self.project = os.path.join(self.tmp, "trends")
        shutil.copytree(os.path.join(SRC, "tests", "fixtures", "trends"), self.project,
                        ignore=shutil.ignore_patterns("out", ".lagesrapport"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def build(self, out="ut", year=2023):
        r = run(self.project, "build", str(year), "--out", os.path.join(self.tmp, out))
        self.assertEqual(r.returncode, 0, r.stderr)
        return os.path.join(self.tmp, out), r

    def read(self, out, name):
        with open(os.path.join(out, name), "rb") as f:
            return f.read()


class Trends(Fixture):
    def test_counts_rates_stale_and_stopped(self):
        out, _ = self.build()
        strategy, years = expected_counts(self.project)
        with open(os.path.join(out, "lagesrapport-2023.md"), encoding="utf-8") as f:
            md = f.read()
        section = md[md.index("## Utveckling över åren"):md.index("## Bilaga")]
        for g in strategy["mål"]:
            ids = [g["id"]] + [s["id"] for s in g.get("delmål", [])]
            for key in ids:
                label = f"**Mål {key} –" if key == g["id"] else f"{key} "
                line = next(l for l in section.splitlines() if l.startswith(f"| {label}"))
                cells = [c.strip() for c in line.strip("|").split("|")[1:]]
                want = ["%d (%d)" % years[y]["rows"].get(key, (0, 0)) for y in YEARS]
                self.assertEqual(cells, want, f"row {key}")
        # The joint activity of 2023 is one activity of two actors.
        self.assertIn("| 2.1 Stöd till våldsutsatta | 2 (2) | 1 (1) | 1 (2) |", section)
        for y in YEARS:
            n = years[y]["responses"]
            self.assertIn(f"| {y} | {n} | 5 | {round(100 * n / 5)}\u00a0% | {years[y]['activities']} |",
                          section)
        self.assertIn("Svarsfrekvensen har minskat från 80\u00a0% 2021 till 60\u00a0% 2023.", section)
        self.assertIn("Delmål 1.3 har inte haft någon aktivitet sedan 2021.", section)
        self.assertIn("Delmål 2.2 har inte haft någon aktivitet under något av åren 2021–2023.", section)
        # Goal 3 lacks activity in 2023 only: one year is no trend.
        self.assertNotIn("Mål 3 har inte", section)
        self.assertIn("Nässjö kommun har inte svarat sedan 2021.", section)
        self.assertIn("Eksjö kommun har inte svarat sedan 2022.", section)
        self.assertNotIn("Internt planeringsmöte", md)

        with open(os.path.join(out, "lagesrapport-2023.html"), encoding="utf-8") as f:
            page = f.read()
        self.assertIn('<h2 id="trender">Utveckling över åren</h2>', page)
        charts = re.findall(r'<svg [^>]*class="diagram trend">.*?</svg>', page, re.S)
        self.assertEqual(len(charts), 3, "one chart per goal")
        self.assertIn('role="img"', charts[1])
        self.assertRegex(charts[1], r"<title id=\"[^\"]+\">Mål 2: aktiviteter och aktörer per år</title>")
        self.assertIn("<desc", charts[1])
        self.assertIn("2023: 1 aktiviteter, 2 aktörer", charts[1])

        wb = openpyxl.load_workbook(os.path.join(out, "lagesrapport-2023.xlsx"))
        ws = wb["Trender"]
        rows = {}
        for r in ws.iter_rows(min_row=6, values_only=True):
            if r[0] is None:
                break  # the table ends; the lists below it follow
            rows[r[0]] = r
        self.assertEqual([ws.cell(4, 3 + 2 * i).value for i in range(3)], ["2021", "2022", "2023"])
        for key in ["1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "3"]:
            want = []
            for y in YEARS:
                want += list(years[y]["rows"].get(key, (0, 0)))
            self.assertEqual(list(rows[key][2:8]), want, f"Trender row {key}")
        values = list(ws.iter_rows(values_only=True))
        start = next(i for i, r in enumerate(values) if r[0] == "Svar per år") + 2
        rates = {r[0]: r for r in values[start:start + len(YEARS)]}
        self.assertEqual([rates[y][2] for y in YEARS], [years[y]["responses"] for y in YEARS])
        self.assertAlmostEqual(rates[2021][4], 0.8)
        self.assertEqual(len(ws._charts), 1)
        chart = ws._charts[0]
        self.assertEqual(chart.tagname, "lineChart")
        self.assertEqual(len(chart.series), 3, "one line per goal")

    def test_goal_without_sub_goals_goes_stale_too(self):
        path = os.path.join(self.project, "2022", "yttranden", "polisen.yaml")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace('mål: ["3"]', 'mål: ["2.1"]'))
        out, _ = self.build()
        with open(os.path.join(out, "lagesrapport-2023.md"), encoding="utf-8") as f:
            md = f.read()
        self.assertIn("### Mål och delmål utan aktivitet\n", md)
        self.assertIn("Delmål 1.3 samt mål 3 har inte haft någon aktivitet sedan 2021.", md)
        self.assertIn("- Mål 3 Myndighetssamverkan (inget sedan 2021)", md)

    def test_one_year_leaves_the_section_out(self):
        for y in (2021, 2022):
            shutil.rmtree(os.path.join(self.project, str(y)))
        out, _ = self.build()
        with open(os.path.join(out, "lagesrapport-2023.md"), encoding="utf-8") as f:
            self.assertNotIn("Utveckling över åren", f.read())
        wb = openpyxl.load_workbook(os.path.join(out, "lagesrapport-2023.xlsx"))
        self.assertEqual(wb["Trender"]["A1"].value, "Utveckling över åren: bara 2023")


class Cache(Fixture):
    FILES = ["lagesrapport-2023.md", "lagesrapport-2023.html", "lagesrapport-2023.xlsx"]

    def outputs(self, out):
        return {name: self.read(out, name) for name in self.FILES}

    def test_with_and_without_cache_the_same_bytes(self):
        first, _ = self.build("utan")  # no cache yet: 2021 is read from its files
        cache = os.path.join(self.project, CACHE)
        self.assertTrue(os.path.isfile(cache))
        with open(cache, encoding="utf-8") as f:
            text = f.read()
        self.assertTrue(text.startswith("lagesrapport-trender 3\n"))
        # Only the year that is not loaded: 2022 comes with 2023 for the comparison.
        self.assertEqual(os.listdir(os.path.dirname(cache)), ["trender-2021.txt"])
        second, _ = self.build("med")
        self.assertEqual(self.outputs(first), self.outputs(second))

    def test_changed_statement_is_read_again(self):
        self.build("forsta")
        path = os.path.join(self.project, "2021", "yttranden", "aneby.yaml")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace('mål: ["1.3"]', 'mål: ["2.2"]'))
        out, _ = self.build("andra")
        with open(os.path.join(out, "lagesrapport-2023.md"), encoding="utf-8") as f:
            md = f.read()
        self.assertIn("| 1.3 Insatser mot köp av sexuella tjänster | 0 (0) | 0 (0) | 0 (0) |", md)
        self.assertIn("| 2.2 Stöd till våldsutövare | 1 (1) | 0 (0) | 0 (0) |", md)
        self.assertIn("Delmål 1.3 har inte haft någon aktivitet under något av åren 2021–2023.", md)

    def test_damaged_cache_is_ignored(self):
        reference, _ = self.build("referens")
        cache = os.path.join(self.project, CACHE)
        with open(cache, "rb") as f:
            good = f.read()
        body = good[:good.rindex(b"slut\t")]

        def signed(text):
            return text + b"slut\t" + b"%08x" % zlib.crc32(text) + b"\n"

        damaged = {
            "rubbish": b"\x00\xffnot a digest at all",
            "empty": b"",
            "cut short": good[:len(good) // 2],
            "wrong sum": body.replace(b"svar\taneby", b"svar\teksjo") + good[len(body):],
            # Well formed and signed, but made from other files.
            "another key": signed(re.sub(rb"nyckel\t[0-9a-f]+", b"nyckel\t" + b"0" * 64, body)),
            "unknown actor": signed(body.replace(b"svar\taneby", b"svar\tokand")),
            "unknown sub-goal": signed(body.replace(b"\t1.3\n", b"\t9.9\n")),
            "bad status": signed(body.replace("\tgenomförd\t".encode(), b"\tklar\t")),
        }
        for name, data in damaged.items():
            with self.subTest(name):
                with open(cache, "wb") as f:
                    f.write(data)
                out, r = self.build("efter-" + name.replace(" ", "-"))
                self.assertEqual(self.outputs(out), self.outputs(reference))
                self.assertNotIn("fel:", r.stderr)
                with open(cache, "rb") as f:
                    self.assertEqual(f.read(), good, "the digest is made again")

    def test_broken_older_year_is_a_warning_and_not_cached(self):
        path = os.path.join(self.project, "2021", "yttranden", "eksjo.yaml")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace("status: planerad", "status: klar"))
        out, r = self.build()
        self.assertIn("2021/yttranden: varning: yttrandena för 2021 har fel; utvecklingen över åren "
                      "räknar bara det som gick att läsa\n"
                      "  tips: se felen med \"lagesrapport check 2021\"\n", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.project, CACHE)))
        with open(os.path.join(out, "lagesrapport-2023.md"), encoding="utf-8") as f:
            md = f.read()
        self.assertIn("| 2021 | 3 | 5 | 60\u00a0% | 4 |", md)


class Indicators(unittest.TestCase):
    """The shared indicators' county figures per year in the trend section
    (Markdown and Word) and the Trender sheet, on the revision fixture (indicators reported in
    all three years, the oldest read from its digest), against a sum and a
    median worked out here from the YAML."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lr-trends-")
        self.project = os.path.join(self.tmp, "revision")
        shutil.copytree(os.path.join(SRC, "tests", "fixtures", "revision"), self.project,
                        ignore=shutil.ignore_patterns("out", ".lagesrapport"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def expected(self):
        import statistics
        import yaml
        want = {}
        for year in YEARS:
            values = {"arenden-vald": [], "andel-fragat": []}
            for path in glob.glob(os.path.join(self.project, str(year), "yttranden", "*.yaml")):
                with open(path, encoding="utf-8") as f:
                    for key, value in (yaml.safe_load(f).get("indikatorer") or {}).items():
                        values[key].append(value)
            want[year] = (sum(values["arenden-vald"]), statistics.median(values["andel-fragat"]))
        return want

    def test_county_figure_per_year(self):
        needs.module("openpyxl", "python3-openpyxl")
        needs.module("yaml", "python3-yaml")
        needs.module("docx", "python3-docx")
        import docx
        import openpyxl
        want = self.expected()
        for attempt in ("without digests", "with digests"):
            out = os.path.join(self.tmp, attempt.replace(" ", "-"))
            r = run(self.project, "build", "2023", "--out", out, "--format", "md,html,xlsx,docx")
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(out, "lagesrapport-2023.md"), encoding="utf-8") as f:
                md = f.read()
            number = lambda v: f"{v:g}".replace(".", ",")
            self.assertIn("| Ärenden om våld i nära relation som socialtjänsten tagit emot (antal, summa) | "
                          + " | ".join(number(want[y][0]) for y in YEARS) + " |", md, attempt)
            self.assertIn("| Andel nybesök där frågan om våld ställts (procent, median) | "
                          + " | ".join(number(want[y][1]) for y in YEARS) + " |", md, attempt)
            ws = openpyxl.load_workbook(os.path.join(out, "lagesrapport-2023.xlsx"))["Trender"]
            rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0] in ("arenden-vald", "andel-fragat")}
            self.assertEqual([rows["arenden-vald"][2 + 2 * k] for k in range(3)], [want[y][0] for y in YEARS])
            self.assertEqual([rows["andel-fragat"][2 + 2 * k] for k in range(3)], [want[y][1] for y in YEARS])
            table = next(t for t in docx.Document(os.path.join(out, "lagesrapport-2023.docx")).tables
                         if any(r.cells[0].text == "Svarsfrekvens" for r in t.rows))
            cells = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in table.rows}
            self.assertEqual(cells["Ärenden om våld i nära relation som socialtjänsten tagit emot (antal, summa)"],
                             [number(want[y][0]) for y in YEARS])
            self.assertEqual(cells["Andel nybesök där frågan om våld ställts (procent, median)"],
                             [number(want[y][1]) for y in YEARS])
        self.assertTrue(os.path.exists(os.path.join(self.project, CACHE)))


if __name__ == "__main__":
    BIN, SRC = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
