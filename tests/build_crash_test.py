#!/usr/bin/python3
"""`build` killed at any moment: the year folder then holds exactly the old
reports or exactly the new ones, never a mix; the officer's own files in it
are there at every moment; and the next build leaves nothing of the dead
run behind.

Usage: build_crash_test.py LAGESRAPPORT SOURCE_DIR kills|points

kills   40 SIGKILLs at random moments (fixed seed) on a copy of the
        Jönköping project, each build with changed input.
points  with strace(1), a kill just before every call that changes the file
        system, in turn, on the small fixture, also where hard links are
        not to be had; and a file system without RENAME_EXCHANGE. Exits 77
        (skipped) without strace, or where it may not trace.
"""
import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import needs

BIN = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
MODE = sys.argv[3]
MANIFEST = ".lagesrapport-manifest"
LEFTOVER = re.compile(r"^\.2022\.lagesrapport-[A-Za-z0-9]{6}$")

# What an officer keeps in the year folder: never the build's to touch.
USER_FILES = {
    "important.md": "# Mina anteckningar\n",
    "aterkoppling/keep.html": "<p>behåll</p>\n",
    "aterkoppling/notes.md": "anteckningar\n",
    "egna/utkast/brev.txt": "Hej!\n",
}


def tree(root):
    """Relative path -> sha256 of every file below root."""
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Project:
    """A copy of a project in a temporary folder, its 2022 reports in
    out/2022, and its input in one of two variants that change every page."""

    def __init__(self, test, source):
        self.test = test
        self.tmp = tempfile.mkdtemp(prefix="lr-crash-")
        self.root = os.path.join(self.tmp, "projekt")
        shutil.copytree(source, self.root, ignore=shutil.ignore_patterns("out"))
        self.parent = os.path.join(self.root, "out")
        self.out = os.path.join(self.parent, "2022")
        # The region is on every page; an activity's title is in the workbook.
        self.variants = [{}, {}]
        for rel, pattern in [("lagesrapport.yaml", r"^region: .*$"),
                             ("2022/yttranden/aneby.yaml", r"^(  - |    )rubrik: .*$")]:
            with open(os.path.join(self.root, rel), encoding="utf-8") as f:
                text = f.read()
            self.variants[0][rel] = text
            self.variants[1][rel] = re.sub(pattern, lambda m: m.group(0) + " (ny version)", text,
                                           count=1, flags=re.M)
        # libxlsxwriter's scratch files, which a kill can leave: in here.
        self.env = dict(os.environ, NO_COLOR="1", TMPDIR=self.tmp)
        self.refs = [self.reference(v) for v in range(2)]
        for a, b in zip(sorted(self.refs[0].items()), sorted(self.refs[1].items())):
            if a[0] != MANIFEST:
                test.assertNotEqual(a, b, "the variants must differ in every report")

    def use(self, variant):
        for rel, text in self.variants[variant].items():
            with open(os.path.join(self.root, rel), "w", encoding="utf-8") as f:
                f.write(text)

    def build_args(self):
        return [BIN, "-C", self.root, "build", "2022"]

    def build(self):
        r = subprocess.run(self.build_args(), env=self.env, capture_output=True, text=True,
                           timeout=300)
        self.test.assertEqual(r.returncode, 0, r.stderr)
        return r

    def reference(self, variant):
        self.use(variant)
        ref = os.path.join(self.tmp, "ref-%d" % variant)
        r = subprocess.run(self.build_args() + ["--out", ref], env=self.env, capture_output=True,
                           text=True, timeout=300)
        self.test.assertEqual(r.returncode, 0, r.stderr)
        return tree(ref)

    def add_user_files(self):
        for rel, text in USER_FILES.items():
            path = os.path.join(self.out, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)

    def state(self, old, new, context, moved=False):
        """Which variant's reports the year folder holds: fails on a mix, a
        missing user file, or anything but leftovers beside the folder.
        moved: a user file may be in a leftover instead, to be moved back."""
        t = tree(self.out)
        beside = [n for n in os.listdir(self.parent) if n != "2022"]
        self.test.assertEqual([n for n in beside if not LEFTOVER.match(n)], [], context)
        for rel, text in USER_FILES.items():
            found = [t.pop(rel, None)]
            if moved and found[0] is None:
                found = [tree(os.path.join(self.parent, n)).get(rel) for n in beside]
            self.test.assertIn(digest(text), found, "%s: %s" % (context, rel))
        for variant in (old, new):
            if t == self.refs[variant]:
                return variant
        mixed = sorted(rel for rel in set(t) | set(self.refs[old])
                       if t.get(rel) != self.refs[old].get(rel))
        self.test.fail("%s: neither the old nor the new set; differs from the old in %s"
                       % (context, mixed[:8]))

    def assert_clean(self, variant, context):
        """After a build that finished: exactly that set, nothing left over."""
        self.test.assertEqual(self.state(variant, variant, context), variant)
        self.test.assertEqual(os.listdir(self.parent), ["2022"], context)
        hidden = [os.path.join(d, n) for d, ds, fs in os.walk(self.out) for n in ds + fs
                  if n.startswith(".") and n != MANIFEST]
        self.test.assertEqual(hidden, [], context)
        self.test.assertEqual([n for n in os.listdir(self.tmp) if n.startswith("tmp")], [], context)

    def close(self):
        shutil.rmtree(self.tmp)


class RandomKills(unittest.TestCase):
    def test_forty_kills_at_random_moments(self):
        p = Project(self, os.path.join(SRC, "data", "jonkoping"))
        self.addCleanup(p.close)
        p.use(0)
        p.build()
        p.add_user_files()
        times = []
        for _ in range(3):
            start = time.monotonic()
            p.build()
            times.append(time.monotonic() - start)
        duration = sorted(times)[1]
        rng = random.Random(20240611)
        current, outcomes = 0, {"old": 0, "new": 0, "finished": 0}
        for i in range(40):
            new = 1 - current
            p.use(new)
            run = subprocess.Popen(p.build_args(), env=p.env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0, duration))
            run.send_signal(signal.SIGKILL)
            status = run.wait()
            got = p.state(current, new, "kill %d" % i)
            if status == 0:
                self.assertEqual(got, new, "kill %d: the build had finished" % i)
                outcomes["finished"] += 1
            else:
                self.assertEqual(status, -signal.SIGKILL)
                outcomes["new" if got == new else "old"] += 1
            current = got
        print("40 kills: %(old)d left the old set, %(new)d the new one; "
              "%(finished)d builds had finished" % outcomes, file=sys.stderr)
        # Most kills must land inside a build, or this proves little.
        self.assertGreaterEqual(outcomes["old"] + outcomes["new"], 10, outcomes)
        p.use(1 - current)
        p.build()
        p.assert_clean(1 - current, "the build after the kills")


def need_strace():
    strace = needs.program("strace", package="strace")
    r = subprocess.run([strace, "-f", "-o", os.devnull, "true"], capture_output=True, text=True)
    if r.returncode != 0:
        # A container without CAP_SYS_PTRACE: the tool is there, tracing is not.
        print("skipped: strace may not trace processes here: " + r.stderr.strip())
        sys.stdout.flush()
        sys.exit(needs.SKIPPED)


# Every call by which the build changes the file system or makes it durable.
CALLS = ["mkdir", "mkdirat", "linkat", "renameat", "renameat2", "unlink", "unlinkat", "rmdir",
         "fchmodat", "fsync", "syncfs"]


class CrashPoints(unittest.TestCase):
    def setUp(self):
        self.p = Project(self, os.path.join(SRC, "tests", "fixtures", "minimal"))
        self.addCleanup(self.p.close)
        self.p.use(0)
        self.p.build()
        self.p.add_user_files()
        self.snapshot = os.path.join(self.p.tmp, "snapshot")
        shutil.copytree(self.p.parent, self.snapshot, symlinks=True)
        self.p.use(1)

    def restore(self):
        shutil.rmtree(self.p.parent)
        shutil.copytree(self.snapshot, self.p.parent, symlinks=True)

    def traced(self, *injections):
        args = ["strace", "-f", "-qq", "-o", os.devnull]
        for injection in injections:
            args += ["-e", "inject=" + injection]
        # LeakSanitizer cannot run under ptrace; the untraced builds check leaks.
        env = dict(self.p.env, ASAN_OPTIONS=self.p.env.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
        return subprocess.run(args + self.p.build_args(), env=env, capture_output=True, text=True,
                              timeout=300)

    def kill_everywhere(self, calls, *also):
        """A kill before the n-th call of each kind, n = 1, 2, ... until a
        build gets through; then a normal build must clean up. also: more
        injections, which may keep a user's file out of the folder until
        the next build."""
        kills = {}
        for call in calls:
            n = 1
            while True:
                self.restore()
                r = self.traced("%s:signal=KILL:when=%d" % (call, n), *also)
                context = "killed before %s #%d%s" % (call, n, " with " + also[0] if also else "")
                got = self.p.state(0, 1, context, moved=bool(also))
                if r.returncode == 0:
                    self.assertEqual(got, 1, context)
                    break
                self.assertIn(r.returncode, (-signal.SIGKILL, 128 + signal.SIGKILL), r.stderr)
                kills[call] = n
                self.p.build()
                self.p.assert_clean(1, context + ", then built again")
                n += 1
        return kills

    def test_a_kill_before_any_change_to_the_file_system(self):
        kills = self.kill_everywhere(CALLS)
        print("kills before: %s" % kills, file=sys.stderr)
        # The swap, the links of the officer's files and the removal of
        # the old set were all among them.
        for call in ("renameat2", "linkat", "unlinkat"):
            self.assertIn(call, kills)
        self.assertGreaterEqual(kills["unlinkat"], 8)

    def test_a_kill_where_hard_links_are_not_to_be_had(self):
        # The officer's files are moved into the new set instead, and a
        # dead run's next build must move them back.
        kills = self.kill_everywhere(["renameat2", "unlinkat"], "linkat:error=EPERM")
        print("kills before, without links: %s" % kills, file=sys.stderr)
        self.assertGreaterEqual(kills["renameat2"], 5)

    def test_a_kill_while_settling_what_a_dead_run_left(self):
        # Killed right after the swap: the old set is left beside the folder.
        self.restore()
        r = self.traced("unlinkat:signal=KILL:when=1")
        self.assertNotEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.p.state(0, 1, "killed after the swap"), 1)
        self.assertEqual(len(os.listdir(self.p.parent)), 2)
        # cp -a keeps the links between the folder and the leftover.
        dead = os.path.join(self.p.tmp, "dead")
        subprocess.run(["cp", "-a", self.p.parent, dead], check=True)
        # The next build is killed at every step of clearing it away; the
        # one after must still clear everything.
        n = 1
        while True:
            shutil.rmtree(self.p.parent)
            subprocess.run(["cp", "-a", dead, self.p.parent], check=True)
            r = self.traced("unlinkat:signal=KILL:when=%d" % n)
            context = "settling killed before unlinkat #%d" % n
            self.assertEqual(self.p.state(1, 1, context), 1)
            if r.returncode == 0:
                break
            self.p.build()
            self.p.assert_clean(1, context + ", then built again")
            n += 1
        self.assertGreaterEqual(n, 8)

    def test_file_system_without_exchange(self):
        before = tree(self.p.out)
        r = self.traced("renameat2:error=EINVAL:when=1")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(self.p.out + ": fel: filsystemet där " + self.p.out + " ligger kan inte byta "
                      "ut en mapp i ett enda steg (ogiltigt argument), så rapporten skrevs inte",
                      r.stderr)
        self.assertIn("tips: rapporten byts bara ut hel, aldrig till hälften; lägg utdata på en "
                      "lokal disk", r.stderr)
        self.assertEqual(tree(self.p.out), before)
        self.assertEqual(os.listdir(self.p.parent), ["2022"])


if __name__ == "__main__":
    if MODE == "points":
        need_strace()
    case = RandomKills if MODE == "kills" else CrashPoints
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(case)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
