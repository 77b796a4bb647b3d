#!/usr/bin/python3
"""`lagesrapport check --fix` as an officer meets it after Word or Notepad:
a Windows-1252 file with CRLF and tabs and no-break spaces in its
indentation, and a UTF-8 file with a BOM, check clean after one --fix, each
change told as "fil:rad: ändrat …"; a second --fix changes nothing; the
text itself is unchanged; a file still broken after repair, or whose tabs
could be read two ways, is left byte for byte as it was, with an error.

Usage: fix_test.py LAGESRAPPORT SOURCE_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import needs

yaml = needs.module("yaml", package="python3-yaml")

BIN = SRC = None  # set from argv

POLISEN = (
    "aktör: polisen\r\n"
    "år: 2022\r\n"
    "aktiviteter:\r\n"
    "  - rubrik: Samverkansmöten\r\n"
    "\tmål: [\"3\"]\r\n"
    "    status: pågående\r\n"
    "  \u00a0 beskrivning: Möten med kommunerna – även på lördagar.\r\n"
)


def run(project, *args):
    env = dict(os.environ, NO_COLOR="1", LC_ALL="C.UTF-8")
    return subprocess.run([BIN, "-C", project, *args], env=env, capture_output=True,
                          text=True, timeout=120)


class Fix(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lr-fix-")
        self.p = os.path.join(self.tmp, "projekt")
        shutil.copytree(os.path.join(SRC, "tests", "fixtures", "minimal"), self.p)
        self.statements = os.path.join(self.p, "2022", "yttranden")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, name, data):
        with open(os.path.join(self.statements, name), "wb") as f:
            f.write(data)

    def read(self, name):
        with open(os.path.join(self.statements, name), "rb") as f:
            return f.read()

    def test_word_and_notepad_files_check_clean_after_one_fix(self):
        self.write("polisen.yaml", POLISEN.encode("cp1252"))
        aneby = self.read("aneby.yaml")
        self.write("aneby.yaml", b"\xef\xbb\xbf" + aneby.replace(
            b"\n    status: genomf", "\n  \u00a0 status: genomf".encode()))
        before = run(self.p, "check")
        self.assertEqual(before.returncode, 1, before.stderr)
        self.assertIn("aneby.yaml:1:1: fel: filen börjar med ett osynligt BOM-tecken", before.stderr)
        self.assertIn("polisen.yaml:1:4: fel: ogiltig UTF-8 (byte 0xF6)", before.stderr)

        fixed = run(self.p, "check", "--fix")
        self.assertEqual(fixed.returncode, 0, fixed.stderr)
        self.assertEqual(fixed.stdout.splitlines()[:-1], [
            f"{self.p}/2022/yttranden/aneby.yaml:1: ändrat: tog bort BOM-tecknet i början av filen",
            f"{self.p}/2022/yttranden/aneby.yaml:18: ändrat hårt mellanslag (U+00A0) i indraget "
            "till vanligt mellanslag",
            f"{self.p}/2022/yttranden/polisen.yaml:1: ändrat teckenkodningen från Windows-1252 "
            "till UTF-8 (6 rader, den första här)",
            f"{self.p}/2022/yttranden/polisen.yaml:1: ändrat radsluten CRLF till LF (7 rader)",
            f"{self.p}/2022/yttranden/polisen.yaml:5: ändrat tabb i indraget till mellanslag (en tabb = 4)",
            f"{self.p}/2022/yttranden/polisen.yaml:7: ändrat hårt mellanslag (U+00A0) i indraget "
            "till vanligt mellanslag",
        ])
        self.assertIn("inga fel", fixed.stdout)
        # What the files say is what they said: only the bytes around it changed.
        self.assertEqual(self.read("aneby.yaml"), aneby)
        polisen = self.read("polisen.yaml").decode("utf-8")
        self.assertEqual(polisen, POLISEN.replace("\r\n", "\n").replace("\t", "    ")
                         .replace("\u00a0", " "))
        self.assertEqual(yaml.safe_load(polisen)["aktiviteter"][0]["beskrivning"],
                         "Möten med kommunerna – även på lördagar.")
        self.assertEqual(run(self.p, "check").returncode, 0)

        again = run(self.p, "check", "--fix")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertNotIn("ändrat", again.stdout)
        self.assertEqual(self.read("aneby.yaml"), aneby)

    def test_a_file_still_broken_after_repair_is_left_untouched(self):
        broken = POLISEN.replace("beskrivning: Möten", "beskrivning Möten").encode("cp1252")
        self.write("polisen.yaml", broken)
        r = run(self.p, "check", "--fix")
        self.assertEqual(r.returncode, 1)
        self.assertNotIn("ändrat", r.stdout)
        self.assertIn(f"{self.p}/2022/yttranden/polisen.yaml: fel: --fix ändrade inte filen: "
                      "filen går inte att läsa som YAML ens ", r.stderr)
        self.assertEqual(self.read("polisen.yaml"), broken)
        self.assertEqual(sorted(os.listdir(self.statements)), ["aneby.yaml", "polisen.yaml"])

    def test_tabs_that_read_two_ways_are_left_alone(self):
        # With a tab of two the list is under "aktiviteter", with eight it is a
        # second list item's content: the program cannot know which was meant.
        text = ("aktör: polisen\når: 2022\naktiviteter:\n  - rubrik: Möten\n    mål: [\"3\"]\n"
                "    status: pågående\n    beskrivning:\n\t- a\n").encode()
        self.write("polisen.yaml", text)
        r = run(self.p, "check", "--fix")
        self.assertEqual(r.returncode, 1)
        self.assertIn("--fix ändrade inte filen: tabbarna i indraget kan läsas på mer än ett sätt",
                      r.stderr)
        self.assertEqual(self.read("polisen.yaml"), text)

    def test_mixed_encodings_and_tabs_in_text_are_not_touched(self):
        mixed = POLISEN.replace("\r\n", "\n").replace("\t", "    ").replace("\u00a0", " ")
        mixed = mixed.encode() + "  # kommentar på lördag\n".encode("cp1252")
        self.write("polisen.yaml", mixed)
        r = run(self.p, "check", "--fix")
        self.assertIn("--fix ändrade inte filen: filen blandar UTF-8 med en annan teckenkodning",
                      r.stderr)
        self.assertEqual(self.read("polisen.yaml"), mixed)
        # A tab inside a block of text is text, not indentation.
        block = ("aktör: polisen\når: 2022\naktiviteter:\n  - rubrik: Möten\n    mål: [\"3\"]\n"
                 "    status: pågående\n    beskrivning: |\n      Tabell:\n      \tett\ttvå\n").encode()
        self.write("polisen.yaml", block)
        r = run(self.p, "check", "--fix")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("ändrat", r.stdout)
        self.assertEqual(self.read("polisen.yaml"), block)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    BIN, SRC = os.path.abspath(sys.argv.pop(1)), os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=1)
