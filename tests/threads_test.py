"""The statement loader on more than one thread, with errors in files that
every thread reads: each error is reported once at its own file and line,
and the report is the same bytes run after run, whichever thread read what.

src/model/project.c splits a year's statements over the cores from 32
files on, so this needs a machine with two cores; on one it exits 77
(skipped), which `./bootstrap test` counts as a failure, rather than pass
without a second thread. Under ThreadSanitizer (LR_SANITIZE=thread) the
same runs are what finds a race between the loaders.

Usage: threads_test.py LAGESRAPPORT LR_GENERATE
"""
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import needs  # noqa: E402

PROGRAM, GENERATE = sys.argv[1], sys.argv[2]
ACTORS = 64  # four loaders' worth at 16 files each
YEAR = 2021


def damage(path, how):
    """One kind of error per damaged file, so that each thread meets
    several: a parse error, an unknown goal (with its did-you-mean), an
    unknown field and a statement for the wrong year."""
    with open(path, encoding="utf-8") as f:
        text = before = f.read()
    if how == 0:
        text = text.replace("aktör: ", "aktör: [", 1)
    elif how == 1:
        text = text.replace('mål: ["', 'mål: ["9', 1)
    elif how == 2:
        text = text.replace(f"år: {YEAR}", f"år: {YEAR}\nokänt_fält: 1", 1)
    else:
        text = text.replace(f"år: {YEAR}", f"år: {YEAR - 7}", 1)
    if text == before:
        raise AssertionError(f"{path}: damage {how} found nothing to change")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class ThreadedLoad(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if (os.cpu_count() or 1) < 2:
            print("skipped: one core, so statements load on one thread")
            sys.stdout.flush()
            sys.exit(needs.SKIPPED)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = os.path.join(cls.tmp.name, "projekt")
        subprocess.run([GENERATE, "--seed", "3", "--years", "1", "--first-year", str(YEAR),
                        "--actors", str(ACTORS), "--activities", "2", cls.dir],
                       check=True, capture_output=True)
        folder = os.path.join(cls.dir, str(YEAR), "yttranden")
        names = sorted(os.listdir(folder))
        if len(names) != ACTORS:
            raise AssertionError(f"{len(names)} statements generated, not {ACTORS}")
        # Every fifth file in name order, i.e. spread over every thread's share.
        cls.damaged = names[::5]
        for i, name in enumerate(cls.damaged):
            damage(os.path.join(folder, name), i % 4)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def check(self):
        return subprocess.run([PROGRAM, "-C", self.dir, "check"], capture_output=True,
                              text=True, env=dict(os.environ, NO_COLOR="1"), timeout=120)

    def test_every_error_once_and_in_the_same_order(self):
        first = self.check()
        self.assertEqual(first.returncode, 1, first.stderr)
        errors = [line for line in first.stderr.splitlines() if ": fel: " in line]
        for name in self.damaged:
            at = [line for line in errors if f"/{name}:" in line]
            self.assertEqual(len(at), 1, f"{name}: {at}")
        self.assertEqual(len(errors), len(self.damaged), "\n".join(errors))
        for _ in range(3):
            again = self.check()
            self.assertEqual((again.returncode, again.stdout, again.stderr),
                             (first.returncode, first.stdout, first.stderr))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
