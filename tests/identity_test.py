#!/usr/bin/python3
"""Activity identity across statements and years, on the two-year fixture
tests/fixtures/identity: a joint activity of three owners written twice,
an activity under two goals, and last year's plans carried out, cancelled,
dropped and left without an id. The workbook is read back with openpyxl,
diff's JSON with the json module, and a year is made the way an officer
makes it: `new`, the forms edited as the actors would, then `build`.

Usage: identity_test.py LAGESRAPPORT SOURCE_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import needs

openpyxl = needs.module("openpyxl", package="python3-openpyxl")
yaml = needs.module("yaml", package="python3-yaml")

BIN = SRC = None  # set from argv


def run(project, *args):
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([BIN, "-C", project, *args], env=env, capture_output=True, text=True,
                          timeout=120)


class Fixture(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lr-identity-")
        self.project = os.path.join(self.tmp, "identity")
        shutil.copytree(os.path.join(SRC, "tests", "fixtures", "identity"), self.project,
                        ignore=shutil.ignore_patterns("out"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def build(self, year):
        out = os.path.join(self.tmp, f"out-{year}")
        r = run(self.project, "build", str(year), "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        return out


class Workbook(Fixture):
    def test_one_row_per_activity_with_all_owners(self):
        wb = openpyxl.load_workbook(os.path.join(self.build(2024), "lagesrapport-2024.xlsx"))
        ws = wb["Aktiviteter"]
        header = [c.value for c in ws[1]]
        rows = [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]
        # Five activities: the joint one written by two of its owners is one row.
        self.assertEqual(len(rows), 5)
        self.assertEqual(sorted(r["Id"] for r in rows),
                         ["foraldrakurs", "forum-kvinnofrid", "projekt-heder", "samverkansmoten",
                          "vaga-fraga"])
        forum = [r for r in rows if r["Id"] == "forum-kvinnofrid"]
        self.assertEqual(len(forum), 1)
        self.assertEqual(forum[0]["Aktör"], "Aneby kommun; Länsstyrelsen i Provlän; Polisen")
        self.assertEqual(forum[0]["Mål"], "1, 3")
        heder = [r for r in rows if r["Id"] == "projekt-heder"][0]
        self.assertEqual((heder["Mål"], heder["Delmål"]), ("1, 2", "1:1, 2:1"))

    def test_followup_sheet_lists_the_transitions(self):
        wb = openpyxl.load_workbook(os.path.join(self.build(2024), "lagesrapport-2024.xlsx"))
        ws = wb["Uppföljning"]
        values = [[c.value for c in row] for row in ws.iter_rows()]
        at = [i for i, row in enumerate(values) if row[0] == "Ansvariga"][0]
        self.assertEqual(values[at], ["Ansvariga", "Id", "Rubrik", "Mål", "Status 2023", "Utfall 2024"])
        rows = [tuple(r[i] for i in (0, 1, 4, 5)) for r in values[at + 1:] if r[2]]
        self.assertEqual(rows, [
            ("Aneby kommun", "projekt-heder", "Planerad", "Genomförd"),
            ("Aneby kommun", "foraldrakurs", "Planerad", "Avbruten"),
            ("Aneby kommun", "kartlaggning", "Planerad", "Inte rapporterad"),
            ("Aneby kommun", None, "Planerad", "Utan id"),
            ("Aneby kommun; Länsstyrelsen i Provlän; Polisen", "forum-kvinnofrid", "Pågående",
             "Pågående"),
            ("Polisen", "samverkansmoten", "Pågående", "Pågående"),
        ])
        texts = [v for row in values for v in row if isinstance(v, str)]
        self.assertIn("En aktivitet är ny för 2024.", texts)

    def test_totals_count_the_joint_activity_once(self):
        wb = openpyxl.load_workbook(os.path.join(self.build(2023), "lagesrapport-2023.xlsx"))
        ws = wb["Aktiviteter"]
        self.assertEqual(ws.max_row - 1, 7)  # 8 written, the joint one twice
        ws = wb["Aktörer"]
        counts = {row[0].value: row[5].value for row in ws.iter_rows(min_row=2)}
        # Each owner is credited with the joint activity.
        self.assertEqual(counts["Länsstyrelsen i Provlän"], 1)
        self.assertEqual(counts["Polisen"], 2)
        self.assertEqual(counts["Aneby kommun"], 5)


class Diff(Fixture):
    def test_json_has_the_transitions_with_ids(self):
        r = run(self.project, "diff", "2023", "2024", "--format", "json")
        self.assertEqual(r.returncode, 1, r.stderr)
        d = json.loads(r.stdout)
        self.assertEqual(d["outcomes"], {"genomförd": 1, "pågående": 2, "planerad": 0,
                                         "avbruten": 1, "inte-rapporterad": 1, "utan-id": 1})
        got = [(f["id"], f["owners"], f["before"], f["after"], f["outcome"]) for f in d["followups"]]
        self.assertEqual(got, [
            ("projekt-heder", ["aneby"], "planerad", "genomförd", "genomförd"),
            ("foraldrakurs", ["aneby"], "planerad", "avbruten", "avbruten"),
            ("kartlaggning", ["aneby"], "planerad", None, "inte-rapporterad"),
            ("forum-kvinnofrid", ["aneby", "lansstyrelsen", "polisen"], "pågående", "pågående",
             "pågående"),
            ("samverkansmoten", ["polisen"], "pågående", "pågående", "pågående"),
        ])
        self.assertEqual([(n["id"], n["status"]) for n in d["new"]], [("vaga-fraga", "planerad")])
        self.assertEqual(d["new_without_id"], 0)
        # Counted once, though two owners wrote it.
        self.assertEqual(d["activities"], {"before": 7, "after": 5, "change": -2})
        # An activity without an id is counted, never named.
        self.assertNotIn("Temadag", r.stdout)

    def test_text_names_each_transition(self):
        r = run(self.project, "diff", "2023", "2024")
        self.assertIn("planerad → genomförd", r.stdout)
        self.assertRegex(r.stdout, r"planerad → inte rapporterad +Kartläggning av skyddat boende "
                                   r"\(Aneby kommun\)")


class NewEditBuild(Fixture):
    """A third year as it is made: forms from `new`, filled in, built."""

    def edit(self, actor, change):
        path = os.path.join(self.project, "2025", "yttranden", actor + ".yaml")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        text = change(text)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return text

    def test_new_then_edit_then_build(self):
        r = run(self.project, "new", "2025")
        self.assertEqual(r.returncode, 0, r.stderr)
        forms = os.path.join(self.project, "2025", "yttranden")
        lansstyrelsen = yaml.safe_load(open(os.path.join(forms, "lansstyrelsen.yaml"), encoding="utf-8"))
        forum = lansstyrelsen["aktiviteter"][0]
        self.assertEqual((forum["id"], forum["ansvariga"]), ("forum-kvinnofrid", ["aneby", "polisen"]))

        # Aneby carries out its plan and starts something new; the
        # Länsstyrelsen returns its form as it stands; Polisen drops its
        # ongoing meetings from the form instead of marking them.
        def aneby(text):
            self.assertIn("  - id: \"vaga-fraga\"\n", text)
            text = text.replace("\ninkom:\n", "\ninkom: 2026-02-10\n")
            text = text.replace("    status: planerad\n", "    status: genomförd\n", 1)
            return text.replace("\naktiviteter:\n", (
                "\naktiviteter:\n"
                "  - id: stodsamtal\n"
                "    rubrik: \"Stödsamtal för unga\"\n"
                "    mål: [\"2:3\"]\n"
                "    status: planerad\n"
                "    beskrivning: \"Samtal med unga som har upplevt våld.\"\n"), 1)
        self.edit("aneby", aneby)
        self.edit("lansstyrelsen", lambda t: t.replace("\ninkom:\n", "\ninkom: 2026-02-01\n"))

        def polisen(text):
            text = text.replace("\ninkom:\n", "\ninkom: 2026-02-03\n")
            start = text.index("aktiviteter:\n")
            end = text.index("\n# Vad har fungerat")
            return text[:start] + "aktiviteter: []\n" + text[end:]
        self.edit("polisen", polisen)

        c = run(self.project, "check", "2025")
        self.assertEqual(c.returncode, 0, c.stderr)
        both = run(self.project, "check")
        self.assertIn("polisen.yaml: varning: aktiviteten \"Samverkansmöten\" (id samverkansmoten) "
                      "var pågående 2024 men finns inte med för 2025", both.stderr)
        self.assertNotIn("2025/yttranden/aneby.yaml: varning: aktiviteten", both.stderr)

        out = self.build(2025)
        with open(os.path.join(out, "lagesrapport-2025.md"), encoding="utf-8") as f:
            report = f.read()
        self.assertIn("Av de tre aktiviteter som var planerade eller pågående 2024 har en genomförts, "
                      "en pågår fortfarande och en finns inte med i yttrandena för 2025.", report)
        self.assertIn("| Våga fråga | Aneby kommun | planerad | genomförd |", report)
        self.assertIn("- Stödsamtal för unga (Aneby kommun, planerad)", report)
        with open(os.path.join(out, "aterkoppling", "polisen.md"), encoding="utf-8") as f:
            feedback = f.read()
        self.assertIn("- Samverkansmöten: pågående 2024, inte rapporterad 2025", feedback)
        self.assertIn("Ta gärna med dem i nästa yttrande med samma id", feedback)
        with open(os.path.join(out, "aterkoppling", "aneby.md"), encoding="utf-8") as f:
            self.assertNotIn("Ta gärna med dem", f.read())


if __name__ == "__main__":
    BIN, SRC = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
