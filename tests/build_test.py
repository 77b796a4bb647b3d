#!/usr/bin/python3
"""`lagesrapport build` as a user meets it: what lands on disk, what does not
when something is wrong, and that two builds are the same bytes.

Usage: build_test.py LAGESRAPPORT SOURCE_DIR
"""
import fcntl
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


MANIFEST = ".lagesrapport-manifest"


def leftovers(root):
    """Every hidden name below root that is no manifest, nor the project's
    cache folder (.lagesrapport, whose own files are checked all the same):
    what a run left behind."""
    return sorted(os.path.relpath(os.path.join(d, n), root)
                  for d, dirs, files in os.walk(root) for n in dirs + files
                  if n.startswith(".") and n != MANIFEST
                  and not (n == ".lagesrapport" and n in dirs))


def manifest_paths(folder):
    with open(os.path.join(folder, MANIFEST), encoding="utf-8") as f:
        return [line for line in f.read().splitlines() if not line.startswith("#")]


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
        out = os.path.join(self.project, "out", "2022")
        reports = {
            "lagesrapport-2022.md", "lagesrapport-2022.html", "lagesrapport-2022.xlsx",
            "aterkoppling/aneby.md", "aterkoppling/aneby.html",
            "aterkoppling/polisen.md", "aterkoppling/polisen.html",
        }
        self.assertEqual(set(tree(out)), reports | {MANIFEST})
        # The manifest names exactly the build's files, sorted, so that
        # committed reports diff cleanly.
        self.assertEqual(manifest_paths(out), sorted(reports))
        self.assertIn("2 återkopplingar", r.stdout)
        self.assertEqual(leftovers(os.path.join(self.project, "out")), [])

    def test_two_builds_are_identical_on_any_machine(self):
        out1, out2 = os.path.join(self.tmp, "a"), os.path.join(self.tmp, "b")
        self.assertEqual(run(["-C", self.project, "build", "2022", "--out", out1]).returncode, 0)
        r = run(["-C", self.project, "build", "2022", "--out", out2],
                env={"TZ": "Pacific/Kiritimati", "LANG": "C", "LC_ALL": "C"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(tree(out1), tree(out2))

    def outputs(self, out):
        """Relative path -> (inode, mtime in ns, sha256) of every report file."""
        return {rel: (os.stat(os.path.join(out, rel)).st_ino,
                      os.stat(os.path.join(out, rel)).st_mtime_ns, digest)
                for rel, digest in tree(out).items() if rel != MANIFEST}

    def test_rebuild_without_changes_rewrites_nothing(self):
        # make and rsync go by mtime, and a rebuild that changed nothing
        # must not make them copy 800 pages again.
        out = os.path.join(self.project, "out", "2022")
        self.assertEqual(run(["-C", self.project, "build", "2022", "--format", "md,html,xlsx,docx"]).returncode, 0)
        before = self.outputs(out)
        self.assertIn("lagesrapport-2022.xlsx", before)
        self.assertIn("lagesrapport-2022.docx", before)
        r = run(["-C", self.project, "build", "2022", "--format", "md,html,xlsx,docx"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.outputs(out), before)
        self.assertEqual(manifest_paths(out), sorted(before))
        self.assertEqual(leftovers(os.path.join(self.project, "out")), [])

    def test_rebuild_replaces_only_files_whose_bytes_change(self):
        out = os.path.join(self.project, "out", "2022")
        self.assertEqual(run(["-C", self.project, "build", "2022"]).returncode, 0)
        before = self.outputs(out)
        polisen = os.path.join(self.project, "2022", "yttranden", "polisen.yaml")
        with open(polisen, encoding="utf-8") as f:
            statement = f.read()
        self.write("2022/yttranden/polisen.yaml", statement.replace("Regelbundna möten", "Månatliga möten"))
        r = run(["-C", self.project, "build", "2022"])
        self.assertEqual(r.returncode, 0, r.stderr)
        after = self.outputs(out)
        self.assertEqual(set(after), set(before))
        changed = {rel for rel in after if after[rel][2] != before[rel][2]}
        # The police's text is in the report, the workbook and its own
        # feedback, and nowhere in Aneby's.
        self.assertEqual(changed, {"lagesrapport-2022.md", "lagesrapport-2022.html",
                                   "lagesrapport-2022.xlsx", "aterkoppling/polisen.md",
                                   "aterkoppling/polisen.html"})
        for rel in after:
            if rel in changed:
                self.assertNotEqual(after[rel][0], before[rel][0], rel)
            else:
                self.assertEqual(after[rel], before[rel], rel)
        with open(os.path.join(out, "aterkoppling", "polisen.md"), encoding="utf-8") as f:
            self.assertIn("Månatliga möten", f.read())
        self.assertEqual(leftovers(os.path.join(self.project, "out")), [])

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
        self.assertEqual(leftovers(os.path.join(self.project, "out")), [])

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
        self.assertEqual(leftovers(os.path.join(self.project, "out")), [])

    def test_project_template_overrides_builtin(self):
        os.makedirs(os.path.join(self.project, "mallar"))
        self.write("mallar/lagesrapport.md.mustache", "Egen mall för {{region}} {{ar}}: {{svarsmening}}\n")
        with open(os.path.join(self.project, "lagesrapport.yaml"), "a", encoding="utf-8") as f:
            f.write("mallar: mallar\n")
        r = run(["-C", self.project, "build", "2022", "--format", "md"])
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(self.project, "out", "2022", "lagesrapport-2022.md"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "Egen mall för Provlän 2022: Totalt svarade två aktörer på yttrande "
                                       "för 2022, vilket är fler svar jämfört med 2021 då en aktör svarade.\n")

    def test_format_and_out_select_what_is_written(self):
        out = os.path.join(self.tmp, "bara-md")
        r = run(["-C", self.project, "build", "2022", "--out", out, "--format", "md"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(set(tree(out)), {"lagesrapport-2022.md", "aterkoppling/aneby.md",
                                          "aterkoppling/polisen.md", MANIFEST})

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


class OutputFolderTest(unittest.TestCase):
    """The year folder as something people keep their own files in too: build
    replaces only what its manifest lists, and refuses a folder it cannot
    know is its own."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lr-build-")
        self.project = os.path.join(self.tmp, "projekt")
        shutil.copytree(FIXTURE, self.project)
        self.out = os.path.join(self.project, "out", "2022")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def put(self, path, text):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    def build(self, *extra, status=0):
        r = run(["-C", self.project, "build", "2022"] + list(extra))
        self.assertEqual(r.returncode, status, r.stderr)
        return r

    def user_files(self):
        """What an officer put into the year folder herself, by path."""
        files = {
            "important.md": "# Mina anteckningar\n",
            "aterkoppling/keep.html": "<p>behåll</p>\n",
            "aterkoppling/notes.md": "anteckningar\n",
            "egna/utkast/brev.txt": "Hej!\n",
        }
        for rel, text in files.items():
            self.put(os.path.join(self.out, rel), text)
        os.symlink("important.md", os.path.join(self.out, "genväg.md"))
        return files

    def assert_user_files(self, files, inodes=None):
        for rel, text in files.items():
            with open(os.path.join(self.out, rel), encoding="utf-8") as f:
                self.assertEqual(f.read(), text, rel)
            if inodes:
                self.assertEqual(os.stat(os.path.join(self.out, rel)).st_ino, inodes[rel], rel)
        self.assertEqual(os.readlink(os.path.join(self.out, "genväg.md")), "important.md")

    def test_files_the_build_did_not_write_are_never_removed(self):
        self.build()
        files = self.user_files()
        inodes = {rel: os.stat(os.path.join(self.out, rel)).st_ino for rel in files}
        polisen = os.path.join(self.project, "2022", "yttranden", "polisen.yaml")
        with open(polisen, encoding="utf-8") as f:
            statement = f.read()
        os.remove(polisen)
        self.build()
        # The stale feedback goes, the officer's files stay: the same
        # files, not copies.
        self.assertFalse(os.path.exists(os.path.join(self.out, "aterkoppling", "polisen.md")))
        self.assert_user_files(files, inodes)
        self.put(polisen, statement)
        self.build("--format", "md")
        self.assert_user_files(files, inodes)
        # A narrower build replaces the set: no html or workbook of the
        # old data next to the new Markdown.
        self.assertEqual(sorted(manifest_paths(self.out)),
                         ["aterkoppling/aneby.md", "aterkoppling/polisen.md", "lagesrapport-2022.md"])
        self.assertFalse(os.path.exists(os.path.join(self.out, "lagesrapport-2022.html")))
        self.assertFalse(os.path.exists(os.path.join(self.out, "lagesrapport-2022.xlsx")))
        self.assertEqual(leftovers(os.path.join(self.project, "out")), [])

    def test_folder_without_manifest_is_refused(self):
        # As in the issue: utdata pointing at a folder with someone's files.
        self.put(os.path.join(self.out, "aterkoppling", "important.md"), "viktigt\n")
        self.put(os.path.join(self.out, "notes.md"), "anteckningar\n")
        before = tree(self.out)
        r = self.build(status=2)
        self.assertIn(self.out + ": fel: skriver inte i en mapp som redan innehåller annat: "
                      "här finns \"aterkoppling/important.md\" men ingen .lagesrapport-manifest", r.stderr)
        self.assertIn("tips: välj en ny eller tom mapp med --out", r.stderr)
        self.assertEqual(tree(self.out), before)
        self.assertEqual(leftovers(os.path.join(self.project, "out")), [])

    def test_out_folder_with_other_files_is_refused(self):
        folder = os.path.join(self.tmp, "Dokument")
        self.put(os.path.join(folder, "keep.html"), "<p>min</p>\n")
        r = self.build("--out", folder, status=2)
        self.assertIn(folder + ": fel: skriver inte i en mapp som redan innehåller annat: "
                      "här finns \"keep.html\"", r.stderr)
        self.assertEqual(os.listdir(folder), ["keep.html"])
        self.assertEqual(leftovers(self.tmp), [])

    def test_empty_folder_is_used_and_keeps_its_mode(self):
        folder = os.path.join(self.tmp, "delad")
        os.mkdir(folder)
        os.chmod(folder, 0o750)
        self.build("--out", folder)
        self.assertIn("lagesrapport-2022.html", os.listdir(folder))
        self.assertEqual(os.stat(folder).st_mode & 0o7777, 0o750)
        self.build("--out", folder)
        self.assertEqual(os.stat(folder).st_mode & 0o7777, 0o750)
        self.assertEqual(leftovers(self.tmp), [])

    def test_someone_elses_file_where_a_report_goes_is_an_error(self):
        self.build()
        polisen = os.path.join(self.project, "2022", "yttranden", "polisen.yaml")
        with open(polisen, encoding="utf-8") as f:
            statement = f.read()
        os.remove(polisen)
        self.build()
        # Now polisen.md is not the build's: someone wrote it by hand.
        self.put(os.path.join(self.out, "aterkoppling", "polisen.md"), "egen text\n")
        self.put(os.path.join(self.out, "aterkoppling", "polisen.html"), "<p>egen sida</p>\n")
        self.put(polisen, statement)
        before = tree(self.out)
        r = self.build(status=2)
        # Both are named, not just the first.
        for rel in ["aterkoppling/polisen.md", "aterkoppling/polisen.html"]:
            self.assertIn(os.path.join(self.out, rel) + ": fel: skrevs inte av lagesrapport och "
                          "skulle ersättas av en fil i rapporten", r.stderr)
        self.assertIn("tips: flytta den eller byt namn på den och kör igen", r.stderr)
        self.assertEqual(tree(self.out), before)
        self.assertEqual(leftovers(os.path.join(self.project, "out")), [])

    def test_year_folder_that_is_a_symlink_stays_one(self):
        shared = os.path.join(self.tmp, "delat", "rapport-2022")
        os.makedirs(shared)
        os.makedirs(os.path.dirname(self.out))
        os.symlink(shared, self.out)
        self.build()
        self.build()
        self.assertEqual(os.readlink(self.out), shared)
        self.assertIn("lagesrapport-2022.md", os.listdir(shared))
        self.assertEqual(leftovers(self.tmp), [])

    def test_mail_stays_out_of_the_reports_folder(self):
        self.build()
        reports = tree(self.out)
        r = run(["-C", self.project, "mail", "2022"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(tree(self.out), reports)
        mail = os.path.join(self.project, "utskick", "2022", "rapport")
        self.put(os.path.join(mail, "journal.tsv"), "aneby\t<a@b>\t2023-04-12T09:30:00Z\n")
        before = tree(mail)
        self.build()
        self.assertEqual(tree(mail), before)

    def test_leftovers_of_runs_that_died_are_settled(self):
        self.build()
        before = tree(self.out)
        parent = os.path.dirname(self.out)
        # An old set whose run died after the swap: its own files listed,
        # a file of the officer's that arrived at the last moment.
        old = os.path.join(parent, ".2022.lagesrapport-Ab3dE9")
        self.put(os.path.join(old, "lagesrapport-2022.md"), "gammal rapport\n")
        self.put(os.path.join(old, "sent-tillagd.md"), "min fil\n")
        self.put(os.path.join(old, MANIFEST), "# manifest\nlagesrapport-2022.md\n")
        # A carried link turned into a copy (a backup restored): the same bytes.
        self.put(os.path.join(self.out, "egen.md"), "samma text\n")
        self.put(os.path.join(old, "egen.md"), "samma text\n")
        # A staging folder of a run that died while writing.
        staging = os.path.join(parent, ".2022.lagesrapport-x7Y8z9")
        self.put(os.path.join(staging, "aterkoppling", "aneby.md"), "halv")
        self.put(os.path.join(staging, MANIFEST), "aterkoppling/aneby.md\n")
        # One holding a file that differs from the folder's: kept, with a word.
        odd = os.path.join(parent, ".2022.lagesrapport-QQQQQQ")
        self.put(os.path.join(odd, "important.md"), "en version\n")
        self.put(os.path.join(self.out, "important.md"), "en annan version\n")
        # Another set's, and a name that only looks like one: not this build's.
        other = os.path.join(parent, ".2021.lagesrapport-abcdef")
        self.put(os.path.join(other, "x.md"), "x\n")
        r = self.build()
        self.assertFalse(os.path.exists(old))
        self.assertFalse(os.path.exists(staging))
        with open(os.path.join(self.out, "sent-tillagd.md"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "min fil\n")
        self.assertEqual({k: v for k, v in tree(self.out).items()
                          if k not in ("sent-tillagd.md", "important.md", "egen.md")}, before)
        with open(os.path.join(self.out, "egen.md"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "samma text\n")
        with open(os.path.join(odd, "important.md"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "en version\n")
        self.assertIn(os.path.join(odd, "important.md") + ": varning: blev kvar efter en avbruten "
                      "körning: det finns redan en annan fil med samma namn", r.stderr)
        self.assertIn("tips: jämför med " + os.path.join(self.out, "important.md"), r.stderr)
        self.assertTrue(os.path.exists(os.path.join(other, "x.md")))

    def test_a_run_still_going_is_left_alone(self):
        self.build()
        parent = os.path.dirname(self.out)
        live = os.path.join(parent, ".2022.lagesrapport-L1veRn")
        self.put(os.path.join(live, "lagesrapport-2022.md"), "skrivs just nu\n")
        self.put(os.path.join(live, MANIFEST), "lagesrapport-2022.md\n")
        written = tree(live)
        fd = os.open(live, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self.build()
            self.assertEqual(tree(live), written)
            # A second run on a folder that one is writing stops at once.
            year = os.open(self.out, os.O_RDONLY)
            try:
                fcntl.flock(year, fcntl.LOCK_EX)
                before = tree(self.out)
                r = self.build(status=2)
                self.assertIn(self.out + ": fel: en annan körning av lagesrapport skriver redan "
                              "till mappen", r.stderr)
                self.assertEqual(tree(self.out), before)
            finally:
                os.close(year)
        finally:
            os.close(fd)
        self.build()
        self.assertFalse(os.path.exists(live))

    def test_mail_folder_from_before_utskick_is_moved_as_told(self):
        """A journal under out/<år>/mail, where mail went before utskick/:
        refused (a new folder would send everything again) with the command
        that moves it, which works; the folder from before manifests is
        then taken over."""
        self.build()
        old = os.path.join(self.out, "mail")
        journal = "aneby\t<a@b>\t2023-04-12T09:30:00Z\n"
        self.put(os.path.join(old, "journal.tsv"), journal)
        self.put(os.path.join(old, "aneby.eml"), "gammalt meddelande\n")
        self.put(os.path.join(old, "borttagen.eml"), "till en aktör som inte längre finns\n")
        r = run(["-C", self.project, "mail", "2022"])
        self.assertEqual(r.returncode, 2)
        self.assertIn(old + ": fel: utskicket ligger kvar i rapportmappen", r.stderr)
        hint = r.stderr.split("flytta mappen med journalen dit: ", 1)[1].splitlines()[0]
        self.assertEqual(subprocess.run(hint, shell=True).returncode, 0)
        mail = os.path.join(self.project, "utskick", "2022", "rapport")
        r = run(["-C", self.project, "mail", "2022"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(old))
        with open(os.path.join(mail, "journal.tsv"), encoding="utf-8") as f:
            self.assertEqual(f.read(), journal)
        with open(os.path.join(mail, "aneby.eml"), encoding="utf-8") as f:
            self.assertIn("Message-ID:", f.read())
        self.assertTrue(os.path.exists(os.path.join(mail, "borttagen.eml")))
        self.assertEqual(manifest_paths(mail), ["aneby.eml", "polisen.eml"])
        # Mail for one actor keeps the others' messages.
        r = run(["-C", self.project, "mail", "2022", "--only", "aneby"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(manifest_paths(mail), ["aneby.eml", "polisen.eml"])
        self.assertTrue(os.path.exists(os.path.join(mail, "polisen.eml")))
        self.assertEqual([x for x in leftovers(os.path.dirname(mail)) if "lagesrapport" in x], [])

if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
