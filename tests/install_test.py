#!/usr/bin/python3
"""The installation as an IT department meets it.

    install_test.py BUILD_DIR SOURCE_DIR [unittest arguments]

`cmake --install` into a temporary prefix, then the installed program run
from another folder on a copy of the Jönköping project; the Debian package
that `cpack -G DEB` writes, read with dpkg-deb; and the bash completion,
sourced in bash and asked what `lagesrapport b<TAB>` and friends complete to.
Installing the .deb itself needs root on a bare system: that is checked with
../shared/tools/fresh-debian, not here.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import needs

BUILD = os.path.abspath(sys.argv[1])
SOURCE = os.path.abspath(sys.argv[2])
JONKOPING = os.path.join(SOURCE, "data", "jonkoping")


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def version():
    """The version project() in CMakeLists.txt states: the one place it is written."""
    with open(os.path.join(SOURCE, "CMakeLists.txt"), encoding="utf-8") as f:
        return re.search(r"project\(lagesrapport VERSION (\S+)", f.read()).group(1)


class Installed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lr-install-")
        cls.prefix = os.path.join(cls.tmp, "prefix")
        r = run(["cmake", "--install", BUILD, "--prefix", cls.prefix])
        assert r.returncode == 0, r.stdout + r.stderr
        cls.program = os.path.join(cls.prefix, "bin", "lagesrapport")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_installs_every_part(self):
        for part in ["bin/lagesrapport",
                     "share/lagesrapport/report-templates/lagesrapport.md.mustache",
                     "share/lagesrapport/report-templates/lagesrapport.html.mustache",
                     "share/man/man1/lagesrapport.1.gz",
                     "share/bash-completion/completions/lagesrapport",
                     "share/doc/lagesrapport/README.md",
                     "share/doc/lagesrapport/ci.md"]:
            self.assertTrue(os.path.isfile(os.path.join(self.prefix, part)), part)
        templates = sorted(os.listdir(os.path.join(SOURCE, "report-templates")))
        self.assertEqual(sorted(os.listdir(os.path.join(self.prefix, "share/lagesrapport/report-templates"))),
                         templates)

    def test_version(self):
        r = run([self.program, "--version"])
        self.assertEqual((r.returncode, r.stdout), (0, f"lagesrapport {version()}\n"))

    def test_man_page_is_readable(self):
        r = run(["gzip", "-dc", os.path.join(self.prefix, "share/man/man1/lagesrapport.1.gz")])
        self.assertEqual(r.returncode, 0)
        self.assertIn(f'.TH LAGESRAPPORT 1 "2026" "lagesrapport {version()}"', r.stdout)

    def test_builds_a_project_from_another_folder(self):
        work = os.path.join(self.tmp, "elsewhere")
        shutil.copytree(JONKOPING, os.path.join(work, "jonkoping"),
                        ignore=shutil.ignore_patterns("out"))
        project = os.path.join(work, "jonkoping")
        r = run([self.program, "build", "2022"], cwd=project,
                env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "NO_COLOR": "1"})
        self.assertEqual(r.returncode, 0, r.stderr)
        out = os.path.join(project, "out", "2022")
        for name in ["lagesrapport-2022.md", "lagesrapport-2022.html", "lagesrapport-2022.xlsx",
                     "aterkoppling/aneby.md", "aterkoppling/aneby.html"]:
            self.assertGreater(os.path.getsize(os.path.join(out, name)), 0, name)
        # The installed templates, not the source tree's, wrote it: the same bytes
        # as the program in the build folder writes from the source tree.
        r2 = run([os.path.join(BUILD, "lagesrapport"), "-C", project, "build", "2022",
                  "--out", os.path.join(work, "from-build")])
        self.assertEqual(r2.returncode, 0, r2.stderr)
        with open(os.path.join(out, "lagesrapport-2022.md"), "rb") as a, \
                open(os.path.join(work, "from-build", "lagesrapport-2022.md"), "rb") as b:
            self.assertEqual(a.read(), b.read())

    def test_incomplete_install_says_so(self):
        """Without its templates an installed program stops with the folder it looked in,
        and never falls back to a source tree."""
        broken = os.path.join(self.tmp, "broken")
        shutil.copytree(self.prefix, broken, symlinks=True)
        shutil.rmtree(os.path.join(broken, "share", "lagesrapport"))
        project = os.path.join(self.tmp, "broken-project")
        shutil.copytree(JONKOPING, project, ignore=shutil.ignore_patterns("out"))
        r = run([os.path.join(broken, "bin", "lagesrapport"), "build", "2022"], cwd=project,
                env={"LC_ALL": "C.UTF-8", "NO_COLOR": "1"})
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertRegex(r.stderr, r"mallen \S+ finns inte")
        self.assertIn(os.path.join(broken, "bin", "..", "share", "lagesrapport", "report-templates"), r.stderr)
        self.assertFalse(os.path.exists(os.path.join(project, "out", "2022", "lagesrapport-2022.md")))


class DebianPackage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lr-deb-")
        r = run(["cpack", "-G", "DEB", "--config", os.path.join(BUILD, "CPackConfig.cmake"), "-B", cls.tmp])
        assert r.returncode == 0, r.stdout + r.stderr
        arch = run(["dpkg", "--print-architecture"]).stdout.strip()
        cls.deb = os.path.join(cls.tmp, f"lagesrapport_{version()}_{arch}.deb")
        assert os.path.isfile(cls.deb), os.listdir(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def field(self, name):
        r = run(["dpkg-deb", "--field", self.deb, name])
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.strip()

    def test_depends_on_the_runtime_libraries_only(self):
        depends = [d.strip().split()[0] for d in self.field("Depends").split(",")]
        for library in ["libyaml-", "libcmark", "libxlsxwriter", "libcurl", "libzip"]:
            self.assertTrue(any(d.startswith(library) for d in depends), (library, depends))
        self.assertFalse([d for d in depends if d.endswith("-dev")], depends)
        self.assertEqual(self.field("Package"), "lagesrapport")
        self.assertEqual(self.field("Version"), version())

    def test_files(self):
        r = run(["dpkg-deb", "--contents", self.deb])
        files = {line.split()[-1].lstrip(".") for line in r.stdout.splitlines()}
        for path in ["/usr/bin/lagesrapport",
                     "/usr/share/lagesrapport/report-templates/lagesrapport.md.mustache",
                     "/usr/share/man/man1/lagesrapport.1.gz",
                     "/usr/share/bash-completion/completions/lagesrapport",
                     "/usr/share/doc/lagesrapport/README.md"]:
            self.assertIn(path, files)
        self.assertFalse([f for f in files if "/include/" in f or f.endswith(".a")], files)


class Completion(unittest.TestCase):
    """The completion script as bash-completion loads it, asked for one word."""

    def complete(self, *words, cwd=JONKOPING):
        script = os.path.join(SOURCE, "completion", "lagesrapport.bash")
        r = run(["bash", "--norc", "-c",
                 'source "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _lagesrapport;'
                 ' printf "%s\\n" "${COMPREPLY[@]}"', script, *words],
                cwd=cwd, env={"PATH": f"{BUILD}:/usr/bin:/bin", "LC_ALL": "C.UTF-8"})
        self.assertEqual(r.returncode, 0, r.stderr)
        return sorted(w for w in r.stdout.splitlines() if w)

    def test_commands(self):
        self.assertEqual(self.complete("lagesrapport", "b"), ["build"])
        self.assertEqual(self.complete("lagesrapport", ""), ["build", "check", "diff", "export", "help", "init", "mail", "new", "schema", "status"])

    def test_flags(self):
        self.assertEqual(self.complete("lagesrapport", "build", "--"), ["--format", "--help", "--intern", "--out"])
        self.assertIn("--only", self.complete("lagesrapport", "mail", "--"))

    def test_actor_ids(self):
        with open(os.path.join(JONKOPING, "aktorer.yaml"), encoding="utf-8") as f:
            ids = sorted(re.findall(r'id: "([^"]+)"', f.read()))
        self.assertEqual(len(ids), 23)
        self.assertEqual(self.complete("lagesrapport", "mail", "--only", ""), ids)
        self.assertEqual(self.complete("lagesrapport", "mail", "--only", "aneby,v"),
                         ["aneby,vaggeryd", "aneby,varnamo", "aneby,vetlanda"])
        self.assertEqual(self.complete("lagesrapport", "new", "--actor", "=", "gn"), ["gnosjo"])

    def test_init_takes_a_folder_and_schema_its_files(self):
        with tempfile.TemporaryDirectory() as tmp:
            os.mkdir(os.path.join(tmp, "skane"))
            self.assertEqual(self.complete("lagesrapport", "init", "sk", cwd=tmp), ["skane"])
        self.assertEqual(self.complete("lagesrapport", "schema", "--file", "yttrande,"),
                         ["yttrande,aktorer", "yttrande,rapport", "yttrande,strategi"])

    def test_years_and_formats(self):
        self.assertEqual(self.complete("lagesrapport", "build", ""), ["2021", "2022", "2024"])
        self.assertEqual(self.complete("lagesrapport", "-C", JONKOPING, "diff", "2021", "2"),
                         ["2021", "2022", "2024"])
        self.assertEqual(self.complete("lagesrapport", "check", "--format", ""), ["json", "text"])
        self.assertEqual(self.complete("lagesrapport", "build", "--format", "md,"),
                         ["md,docx", "md,html", "md,xlsx"])

    def test_export_tables_and_its_file(self):
        self.assertEqual(self.complete("lagesrapport", "export", "2022", "--what", ""),
                         ["aktiviteter", "indikatorer", "svar", "täckning"])
        # export writes a file: -o and --out offer files, where build's --out offers folders.
        with tempfile.TemporaryDirectory() as tmp:
            open(os.path.join(tmp, "ut.csv"), "w").close()
            os.mkdir(os.path.join(tmp, "utdata"))
            self.assertEqual(self.complete("lagesrapport", "export", "2022", "-o", "ut", cwd=tmp),
                             ["ut.csv", "utdata"])
            self.assertEqual(self.complete("lagesrapport", "export", "--out", "ut", cwd=tmp),
                             ["ut.csv", "utdata"])
            self.assertEqual(self.complete("lagesrapport", "build", "--out", "ut", cwd=tmp), ["utdata"])

    def test_values_come_from_the_option_tables(self):
        self.assertEqual(self.complete("lagesrapport", "diff", "2021", "--format", ""), ["json", "md", "text"])
        self.assertEqual(self.complete("lagesrapport", "check", "--format", "=", "j"), ["json"])
        # A free value (a URL) gets no words; after a switch come the years.
        self.assertEqual(self.complete("lagesrapport", "mail", "--smtp", ""), [])
        self.assertEqual(self.complete("lagesrapport", "mail", "--send", ""), ["2021", "2022", "2024"])

    def test_completion_offers_the_flags_help_lists(self):
        env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}
        program = os.path.join(BUILD, "lagesrapport")
        for command in ("check", "build", "export", "diff", "new", "mail", "init", "schema", "status"):
            with self.subTest(command=command):
                text = run([program, "help", command], env=env).stdout
                listed = set(re.findall(r"^  (?:-[a-z], )?(--[a-z-]+)", text.split("Flaggor:\n")[1], re.M))
                offered = run([program, "__complete", "flags", command], env=env).stdout.split()
                self.assertEqual(set(offered), listed | {"--help"})
                self.assertEqual(set(self.complete("lagesrapport", command, "--")), listed | {"--help"})

    def test_outside_a_project_offers_nothing_and_prints_nothing(self):
        with tempfile.TemporaryDirectory() as empty:
            self.assertEqual(self.complete("lagesrapport", "build", "", cwd=empty), [])
            self.assertEqual(self.complete("lagesrapport", "mail", "--only", "", cwd=empty), [])


# The programs each group reads the installation with, and their Debian
# packages. cpack's DEB generator runs dpkg-shlibdeps (SHLIBDEPS ON), which
# needs file; the completion is sourced in bash.
TOOLS = {
    "Installed": [("cmake", "cmake"), ("gzip", "gzip")],
    "DebianPackage": [("cpack", "cmake"), ("dpkg", "dpkg"), ("dpkg-deb", "dpkg"),
                      ("dpkg-shlibdeps", "dpkg-dev"), ("file", "file")],
    "Completion": [("bash", "bash")],
}

if __name__ == "__main__":
    selected = sys.argv[3:]
    for group, tools in TOOLS.items():
        if not selected or any(a.startswith(group) for a in selected):
            for name, package in tools:
                needs.program(name, package=package)
    unittest.main(argv=sys.argv[:1] + sys.argv[3:], verbosity=1)
