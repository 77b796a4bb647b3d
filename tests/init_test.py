#!/usr/bin/python3
"""`lagesrapport init` as a new county meets it: a starting project that
checks clean and builds a report once a statement is in, the questions on a
terminal (a real pseudo-terminal), and every way it refuses (files already
there, a folder it may not write, a missing region, a bad sender) with
nothing written and nothing changed.

Usage: init_test.py LAGESRAPPORT
"""
import os
import pty
import shutil
import subprocess
import sys
import tempfile
import unittest

import needs

BIN = None  # set from argv

REGION = "Skåne län"
SENDER = "Länsstyrelsen Skåne <kvinnofrid@lansstyrelsen-skane.example>"
FILES = [".gitignore", "aktorer.yaml", "lagesrapport.yaml", "strategi.yaml"]

STATEMENT = """aktör: exempelkommun
år: 2025
inkom: 2026-02-10
aktiviteter:
  - rubrik: Utbildning om våld i nära relationer
    mål: ["1:1"]
    status: pågående
    beskrivning: Personalen i förskolan utbildas under året.
"""


def run(args, cwd=None, binary=None):
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run((binary or [BIN]) + args, env=env, capture_output=True, text=True, cwd=cwd,
                          stdin=subprocess.DEVNULL, timeout=60)


def tree(root):
    """Relative path -> content of every file below root."""
    out = {}
    for d, _, files in os.walk(root):
        for name in files:
            p = os.path.join(d, name)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = f.read()
    return out


class InitTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lr-init-")
        self.addCleanup(shutil.rmtree, self.tmp)
        self.project = os.path.join(self.tmp, "skane")

    def init(self, *extra, status=0):
        r = run(["init", self.project, "--region", REGION] + list(extra))
        self.assertEqual(r.returncode, status, r.stderr)
        return r

    def test_starting_project_checks_clean_and_builds(self):
        r = self.init("--sender", SENDER)
        self.assertEqual(sorted(os.listdir(self.project)), FILES)
        for name in ["strategi.yaml", "aktorer.yaml", "lagesrapport.yaml"]:
            self.assertIn(f"skrev {self.project}/{name}", r.stdout)
        self.assertEqual(r.stderr, "")
        check = run(["-C", self.project, "check"])
        self.assertEqual(check.returncode, 0, check.stderr)
        self.assertEqual(check.stderr, "")
        self.assertIn("1 mål, 2 delmål, 2 aktörer", check.stdout)
        self.assertIn("inga fel", check.stdout)
        with open(os.path.join(self.project, "lagesrapport.yaml"), encoding="utf-8") as f:
            config = f.read()
        self.assertIn('region: "Skåne län"\n', config)
        self.assertIn(f'avsändare: "{SENDER}"\n', config)
        with open(os.path.join(self.project, "aktorer.yaml"), encoding="utf-8") as f:
            self.assertIn('namn: "Länsstyrelsen Skåne"', f.read())

        # The README's walk: forms, one statement back, the first report.
        new = run(["-C", self.project, "new", "2025"])
        self.assertEqual(new.returncode, 0, new.stderr)
        with open(os.path.join(self.project, "2025", "yttranden", "exempelkommun.yaml"), "w",
                  encoding="utf-8") as f:
            f.write(STATEMENT)
        build = run(["-C", self.project, "build", "2025"])
        self.assertEqual(build.returncode, 0, build.stderr)
        out = os.path.join(self.project, "out", "2025")
        with open(os.path.join(out, "lagesrapport-2025.md"), encoding="utf-8") as f:
            self.assertIn("Utbildning om våld i nära relationer", f.read())
        self.assertTrue(os.path.exists(os.path.join(out, "lagesrapport-2025.xlsx")))

        # The outputs are what .gitignore keeps out of version control.
        git = needs.program("git", package="git")
        subprocess.run([git, "init", "-q", self.project], check=True)
        ignored = subprocess.run([git, "-C", self.project, "check-ignore", "out/2025"],
                                 capture_output=True, text=True)
        self.assertEqual(ignored.stdout.strip(), "out/2025")
        # So is the cache of older years that build keeps (docs/format.md).
        cache = ".lagesrapport/cache/trender-2024.txt"
        ignored = subprocess.run([git, "-C", self.project, "check-ignore", cache],
                                 capture_output=True, text=True)
        self.assertEqual(ignored.stdout.strip(), cache)

    def test_without_sender_the_line_waits_commented_out(self):
        self.init()
        with open(os.path.join(self.project, "lagesrapport.yaml"), encoding="utf-8") as f:
            config = f.read()
        self.assertIn("# avsändare: ", config)
        self.assertNotIn("\navsändare:", config)
        self.assertEqual(run(["-C", self.project, "check"]).returncode, 0)

    def test_current_folder_by_default(self):
        os.mkdir(self.project)
        r = subprocess.run([BIN, "init", "--region", REGION], cwd=self.project,
                           capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(os.listdir(self.project)), FILES)

    def test_existing_files_are_each_an_error_and_nothing_is_written(self):
        os.mkdir(self.project)
        for name in ["strategi.yaml", ".gitignore"]:
            with open(os.path.join(self.project, name), "w", encoding="utf-8") as f:
                f.write("# min egen\n")
        before = tree(self.project)
        r = self.init(status=2)
        self.assertIn(f"{self.project}/strategi.yaml: fel: filen finns redan\n", r.stderr)
        self.assertIn(f"{self.project}/.gitignore: fel: filen finns redan\n", r.stderr)
        self.assertIn("init skriver aldrig över något", r.stderr)
        self.assertNotIn("aktorer.yaml", r.stderr)
        self.assertIn("inga filer skrevs", r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual(tree(self.project), before)

    def test_second_init_changes_nothing(self):
        self.init()
        before = tree(self.project)
        r = self.init(status=2)
        self.assertEqual(r.stderr.count(": fel: filen finns redan"), 4)
        self.assertEqual(tree(self.project), before)

    def test_a_folder_that_cannot_be_written(self):
        locked = os.path.join(self.tmp, "last")
        os.mkdir(locked)
        os.chmod(locked, 0o555)
        binary = None
        if os.geteuid() == 0:
            # Root writes anywhere; the officer the test plays does not. The
            # program runs as root without the capabilities that override
            # file permissions (util-linux's setpriv), rather than as another
            # user, who may not even reach the build folder.
            binary = [needs.program("setpriv", package="util-linux"), "--bounding-set",
                      "-dac_override,-dac_read_search", "--", BIN]
        r = run(["init", os.path.join(locked, "skane"), "--region", REGION], binary=binary)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(f"{locked}/skane: fel: kan inte skapa mappen: behörighet saknas\n", r.stderr)
        self.assertIn("inga filer skrevs", r.stderr)
        self.assertEqual(os.listdir(locked), [])
        r = run(["init", locked, "--region", REGION], binary=binary)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(f"{locked}/.gitignore: fel: kan inte skriva filen: behörighet saknas\n",
                      r.stderr)
        self.assertEqual(os.listdir(locked), [])

    def test_a_file_where_the_folder_should_be(self):
        with open(self.project, "w", encoding="utf-8") as f:
            f.write("x\n")
        r = self.init(status=2)
        self.assertIn(f"{self.project}: fel: det finns redan en fil med mappens namn\n", r.stderr)

    def test_region_is_required_without_a_terminal(self):
        r = run(["init", self.project])
        self.assertEqual(r.returncode, 2)
        self.assertIn("lagesrapport: fel: ange länets namn med --region", r.stderr)
        self.assertFalse(os.path.exists(self.project))

    def test_bad_values_are_refused_before_anything_is_written(self):
        r = run(["init", self.project, "--region", "Skåne\nlän", "--sender", "Länsstyrelsen <inte en adress>"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("fel: länets namn saknas eller är inte en rad text", r.stderr)
        self.assertIn('fel: ogiltig avsändare "Länsstyrelsen <inte en adress>"', r.stderr)
        self.assertFalse(os.path.exists(self.project))

    def test_questions_on_a_terminal(self):
        pid, fd = pty.fork()
        if pid == 0:
            os.execve(BIN, [BIN, "init", self.project], dict(os.environ, NO_COLOR="1"))
        seen = b""

        def read_until(text):
            nonlocal seen
            while text.encode() not in seen:
                chunk = os.read(fd, 1024)
                if not chunk:
                    break
                seen += chunk

        read_until("Länets namn")
        os.write(fd, "Skåne län\n".encode())
        read_until("Avsändare")
        os.write(fd, (SENDER + "\n").encode())
        read_until("Nästa steg")
        _, status = os.waitpid(pid, 0)
        os.close(fd)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0, seen.decode(errors="replace"))
        with open(os.path.join(self.project, "lagesrapport.yaml"), encoding="utf-8") as f:
            config = f.read()
        self.assertIn('region: "Skåne län"\n', config)
        self.assertIn(f'avsändare: "{SENDER}"\n', config)


if __name__ == "__main__":
    BIN = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
