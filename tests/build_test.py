#!/usr/bin/python3
"""`lagesrapport build` as a user meets it: what lands on disk, what does not
when something is wrong, and that two builds are the same bytes.

Usage: build_test.py LAGESRAPPORT SOURCE_DIR
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

BIN = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
FIXTURE = os.path.join(SRC, "tests", "fixtures", "minimal")


def run(args, cwd=None, env=None):
    e = dict(os.environ, NO_COLOR="1")
    e.update(env or {})
    return subprocess.run([BIN] + args, cwd=cwd, env=e, capture_output=True, text=True, timeout=120)


def tree(root):
    """Relative path -> sha256 of every file below root."""
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = hashlib.sha256(fh.read()).hexdigest()
    return out


class BuildTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lr-build-")
        self.project = os.path.join(self.tmp, "projekt")
        shutil.copytree(FIXTURE, self.project)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, rel, text):
        path = os.path.join(self.project, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    def test_writes_every_file_spec_names(self):
        r = run(["-C", self.project, "build", "2022"])
        self.assertEqual(r.returncode, 0, r.stderr)
        files = set(tree(os.path.join(self.project, "out", "2022")))
        self.assertEqual(files, {
            "lagesrapport-2022.md", "lagesrapport-2022.html", "lagesrapport-2022.xlsx",
            "aterkoppling/aneby.md", "aterkoppling/aneby.html",
            "aterkoppling/polisen.md", "aterkoppling/polisen.html",
        })
        self.assertIn("2 återkopplingar", r.stdout)

    def test_two_builds_are_identical_on_any_machine(self):
        out1, out2 = os.path.join(self.tmp, "a"), os.path.join(self.tmp, "b")
        self.assertEqual(run(["-C", self.project, "build", "2022", "--out", out1]).returncode, 0)
        r = run(["-C", self.project, "build", "2022", "--out", out2],
                env={"TZ": "Pacific/Kiritimati", "LANG": "C", "LC_ALL": "C"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(tree(out1), tree(out2))

    def test_validation_error_touches_nothing(self):
        out = os.path.join(self.project, "out", "2022")
        self.assertEqual(run(["-C", self.project, "build", "2022"]).returncode, 0)
        before = tree(out)
        self.write("2022/yttranden/polisen.yaml",
                   "aktör: polisen\når: 2022\naktiviteter:\n  - rubrik: X\n    mål: [\"9:9\"]\n"
                   "    status: pågående\n    beskrivning: Y\n")
        r = run(["-C", self.project, "build", "2022"])
        self.assertEqual(r.returncode, 1)
        self.assertIn("polisen.yaml:5:12: fel: okänt mål eller delmål \"9:9\"", r.stderr)
        self.assertIn("ingen rapport skrevs", r.stderr)
        self.assertEqual(tree(out), before)
        self.assertFalse([f for f in os.listdir(out) if f.startswith(".")])

    def test_broken_template_leaves_old_report(self):
        out = os.path.join(self.project, "out", "2022")
        self.assertEqual(run(["-C", self.project, "build", "2022"]).returncode, 0)
        before = tree(out)
        os.makedirs(os.path.join(self.project, "mallar"))
        self.write("mallar/aterkoppling.html.mustache", "{{#mal}} aldrig stängd\n")
        with open(os.path.join(self.project, "lagesrapport.yaml"), "a", encoding="utf-8") as f:
            f.write("mallar: mallar\n")
        r = run(["-C", self.project, "build", "2022"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("aterkoppling.html.mustache:1:1: fel:", r.stderr)
        self.assertEqual(tree(out), before)
        leftovers = [f for d, _, fs in os.walk(out) for f in fs if f.startswith(".")]
        self.assertEqual(leftovers, [])

    def test_project_template_overrides_builtin(self):
        os.makedirs(os.path.join(self.project, "mallar"))
        self.write("mallar/lagesrapport.md.mustache", "Egen mall för {{region}} {{ar}}: {{svarsmening}}\n")
        with open(os.path.join(self.project, "lagesrapport.yaml"), "a", encoding="utf-8") as f:
            f.write("mallar: mallar\n")
        r = run(["-C", self.project, "build", "2022", "--format", "md"])
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(self.project, "out", "2022", "lagesrapport-2022.md"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "Egen mall för Provlän 2022: Totalt svarade 2 aktörer på yttrande "
                                       "för 2022, vilket är fler svar jämfört med 2021 då 1 aktör svarade.\n")

    def test_format_and_out_select_what_is_written(self):
        out = os.path.join(self.tmp, "bara-md")
        r = run(["-C", self.project, "build", "2022", "--out", out, "--format", "md"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(set(tree(out)), {"lagesrapport-2022.md", "aterkoppling/aneby.md",
                                          "aterkoppling/polisen.md"})

    def test_feedback_of_an_actor_who_stopped_answering_is_removed(self):
        self.assertEqual(run(["-C", self.project, "build", "2022"]).returncode, 0)
        os.remove(os.path.join(self.project, "2022", "yttranden", "polisen.yaml"))
        self.assertEqual(run(["-C", self.project, "build", "2022"]).returncode, 0)
        left = set(tree(os.path.join(self.project, "out", "2022", "aterkoppling")))
        self.assertEqual(left, {"aneby.md", "aneby.html"})

    def test_usage_errors(self):
        for args, message in [
            (["build"], "ange vilket år"),
            (["build", "tjugo"], "\"tjugo\" är inget år"),
            (["build", "2022", "--format", "pdf"], "okänt format \"pdf\""),
            (["build", "2030"], "det finns inga yttranden för 2030"),
        ]:
            r = run(["-C", self.project] + args)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn(message, r.stderr, args)

    def test_intern_activities_stay_in_own_feedback(self):
        self.write("2022/yttranden/polisen.yaml",
                   "aktör: polisen\når: 2022\naktiviteter:\n"
                   "  - rubrik: Hemlig intern utbildning\n    mål: [\"3\"]\n    status: pågående\n"
                   "    beskrivning: Bara för oss.\n    intern: true\n"
                   "  - rubrik: Öppet samråd\n    mål: [\"3\"]\n    status: pågående\n"
                   "    beskrivning: För alla.\n")
        self.assertEqual(run(["-C", self.project, "build", "2022", "--format", "md,html"]).returncode, 0)
        out = os.path.join(self.project, "out", "2022")
        for name in ["lagesrapport-2022.md", "lagesrapport-2022.html", "aterkoppling/aneby.md"]:
            with open(os.path.join(out, name), encoding="utf-8") as f:
                text = f.read()
            self.assertNotIn("Hemlig intern utbildning", text, name)
            self.assertNotIn("Bara för oss", text, name)
        with open(os.path.join(out, "aterkoppling/polisen.html"), encoding="utf-8") as f:
            own = f.read()
        self.assertIn("Hemlig intern utbildning", own)
        self.assertIn("intern: publiceras inte", own)
        self.assertIn("Öppet samråd", own)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
