#!/usr/bin/python3
"""A revised strategy followed across its revision, on copies of the
Jönköping example (its illustrative 2024 revision) and of the three-year
fixture tests/fixtures/revision (a revision from 2023).

Statements are checked against the version of their year: an old id in a
statement after the revision fails with a hint that names the new id, and
the new id passes. `diff` across the revision counts the earlier year's
activities under the sub-goals they became; the expected counts are worked
out here from the YAML (the revision's "ändringar" applied to each
activity's targets, each activity once per target), in both directions.
`new` carries last year's plans into a form with their new ids.

Usage: revision_test.py LAGESRAPPORT SOURCE_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import needs

yaml = needs.module("yaml", package="python3-yaml")

BIN = SRC = None  # set from argv


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, NO_COLOR="1"))


def read_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def ids_of(goals):
    out = []
    for g in goals:
        out.append(str(g["id"]))
        out.extend(str(s["id"]) for s in g.get("delmål") or [])
    return out


class Strategy:
    """The versions of a strategy as the file states them, read apart."""

    def __init__(self, path):
        doc = read_yaml(path)
        self.versions = [(0, doc["mål"], {})]
        for r in doc.get("revisioner") or []:
            self.versions.append((r["från"], r["mål"], r.get("ändringar") or {}))

    def index(self, year):
        i = 0
        for k, (start, _, _) in enumerate(self.versions):
            if k and start <= year:
                i = k
        return i

    def step(self, k, target):
        """Where an id of version k-1 went in version k."""
        changes = self.versions[k][2]
        if target in changes:
            went = changes[target]
            return [went] if isinstance(went, str) else list(went)
        return [target] if target in ids_of(self.versions[k][1]) else []

    def follow(self, target, start, end):
        now = [target]
        for k in range(start + 1, end + 1):
            now = [t for x in now for t in self.step(k, x)]
        for k in range(start, end, -1):  # backwards: what it came from
            now = [old for old in ids_of(self.versions[k - 1][1]) if any(
                t in now for t in self.step(k, old))]
        return list(dict.fromkeys(now))

    def subgoal_ids(self, k):
        return [str(s["id"]) for g in self.versions[k][1] for s in g.get("delmål") or []]


def expected_subgoal_counts(project, strategy, year, into):
    """Per sub-goal of version `into`: the year's activities, each once."""
    counts = {}
    frm = strategy.index(year)
    folder = os.path.join(project, str(year), "yttranden")
    for name in sorted(os.listdir(folder)):
        for a in read_yaml(os.path.join(folder, name)).get("aktiviteter") or []:
            targets = a["mål"] if isinstance(a["mål"], list) else [a["mål"]]
            went = {t for x in targets for t in strategy.follow(str(x), frm, into)}
            for t in went & set(strategy.subgoal_ids(into)):
                counts[t] = counts.get(t, 0) + 1
    return counts


class Project(unittest.TestCase):
    SOURCE = None

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lr-revision-")
        self.project = os.path.join(self.tmp, "projekt")
        shutil.copytree(self.SOURCE, self.project, ignore=shutil.ignore_patterns("out"))
        self.strategy = Strategy(os.path.join(self.project, "strategi.yaml"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, relpath, doc):
        with open(os.path.join(self.project, relpath), "w", encoding="utf-8") as f:
            yaml.safe_dump(doc, f, allow_unicode=True, sort_keys=False)

    def assert_diff_counts(self, before, after):
        r = run("-C", self.project, "diff", str(before), str(after), "--format", "json")
        self.assertEqual(r.returncode, 1, r.stderr)
        d = json.loads(r.stdout)
        into = self.strategy.index(after)
        want = [expected_subgoal_counts(self.project, self.strategy, y, into) for y in (before, after)]
        got = {s["id"]: (s["before"], s["after"]) for g in d["goals"] for s in g["subgoals"]}
        self.assertEqual(sorted(got), sorted(self.strategy.subgoal_ids(into)))
        for sid, counts in got.items():
            self.assertEqual(counts, (want[0].get(sid, 0), want[1].get(sid, 0)), sid)
        return d


class JonkopingRevision(Project):
    SOURCE = None  # set in main

    def test_2024_checks_with_the_new_ids(self):
        r = run("-C", self.project, "check", "2024")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(": fel:", r.stderr)

    def test_an_old_id_in_2024_fails_with_the_revision_named(self):
        path = os.path.join("2024", "yttranden", "lansstyrelsen.yaml")
        doc = read_yaml(os.path.join(self.project, path))
        doc["aktiviteter"][1]["mål"] = ["2:5"]
        self.write(path, doc)
        r = run("-C", self.project, "check", "2024")
        self.assertEqual(r.returncode, 1)
        self.assertIn(f'{path}:', r.stderr)
        self.assertIn('fel: "2:5" finns inte i den version av strategin som gäller 2024', r.stderr)
        self.assertIn('tips: delmål 2:5 heter 2:4 från 2024', r.stderr)

    def test_the_new_id_of_a_renumbered_sub_goal_passes(self):
        path = os.path.join("2024", "yttranden", "lansstyrelsen.yaml")
        doc = read_yaml(os.path.join(self.project, path))
        self.assertEqual(doc["aktiviteter"][1]["mål"], ["2:4"])
        r = run("-C", self.project, "check", "2024")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_diff_across_the_revision_counts_a_merged_sub_goal_once(self):
        d = self.assert_diff_counts(2022, 2024)
        self.assertEqual([(x["kind"], x["before"], x["after"]) for x in d["revisions"]],
                         [("merged", ["2:3", "2:4"], ["2:3"]), ("renumbered", ["2:5"], ["2:4"])])
        merged = next(s for g in d["goals"] for s in g["subgoals"] if s["id"] == "2:3")
        # 2022's activities under 2:3, 2:4 or both, each once: Gislaved's,
        # Jönköping's, the Länsstyrelse's and Tranås's (three name both).
        self.assertEqual(merged["before"], 4)
        r = run("-C", self.project, "diff", "2022", "2024")
        self.assertIn("Delmål 2:3 och 2:4 slogs ihop till 2:3 år 2024.", r.stdout)
        self.assertIn("Delmål 2:5 heter 2:4 från år 2024.", r.stdout)

    def test_diff_backwards_counts_in_the_older_version(self):
        d = self.assert_diff_counts(2024, 2022)
        self.assertEqual(len(d["revisions"]), 2)


class FixtureRevision(Project):
    SOURCE = None  # set in main

    def test_diff_across_the_revision(self):
        d = self.assert_diff_counts(2022, 2023)
        self.assertEqual([x["text"] for x in d["revisions"]],
                         ["Delmål 1.1 och 1.2 slogs ihop till 1.1 år 2023.",
                          "Delmål 1.3 heter 1.2 från år 2023."])

    def test_diff_backwards_and_without_revision(self):
        self.assert_diff_counts(2023, 2021)
        self.assert_diff_counts(2021, 2022)

    def test_the_report_says_so_in_its_comparison(self):
        out = os.path.join(self.tmp, "ut")
        r = run("-C", self.project, "build", "2023", "--out", out, "--format", "md")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "lagesrapport-2023.md"), encoding="utf-8") as f:
            md = f.read()
        section = md[md.index("## Jämförelse med 2022"):]
        self.assertIn("- Delmål 1.1 och 1.2 slogs ihop till 1.1 år 2023.", section)
        self.assertIn("| 1.1 Våldsförebyggande insatser i skola och familj | 4 | 2 | −2 |", section)

    def test_new_carries_plans_with_their_new_ids(self):
        shutil.rmtree(os.path.join(self.project, "2023"))
        r = run("-C", self.project, "new", "2023")
        self.assertEqual(r.returncode, 0, r.stderr)
        forms = os.path.join(self.project, "2023", "yttranden")
        eksjo = read_yaml(os.path.join(forms, "eksjo.yaml"))
        carried = {a["id"]: a["mål"] for a in eksjo["aktiviteter"]}
        # Föräldrakurs was under 1.2, which the revision merged into 1.1.
        self.assertEqual(carried["foraldrakurs"], ["1.1"])
        aneby = read_yaml(os.path.join(forms, "aneby.yaml"))
        self.assertEqual({a["id"]: a["mål"] for a in aneby["aktiviteter"]},
                         {"samtal-i-skolan": ["1.1"], "foraldrastod": ["1.1"], "vaga-fraga": ["2.1"]})
        r = run("-C", self.project, "check", "2023")
        self.assertNotIn(": fel:", r.stderr)


if __name__ == "__main__":
    BIN, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    JonkopingRevision.SOURCE = os.path.join(SRC, "data", "jonkoping")
    FixtureRevision.SOURCE = os.path.join(SRC, "tests", "fixtures", "revision")
    unittest.main(argv=[sys.argv[0], "-v"])
