#!/usr/bin/python3
"""End-to-end tests of `lagesrapport diff` and of the CI recipes' shell part.

    diff_test.py BINARY SOURCE_DIR [unittest arguments]

The expectations for the shipped Jönköping years are derived here from the
statement files themselves (python3-yaml), independently of the C code, and
asserted in all three formats. docs/ci-steps.sh is run exactly as the
recipes in docs/ci.md run it, on a copy of the data in a temporary git
repository.
"""
import json
import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import needs

yaml = needs.module("yaml", package="python3-yaml")

BINARY = os.path.abspath(sys.argv[1])
SOURCE = os.path.abspath(sys.argv[2])
JONKOPING = os.path.join(SOURCE, "data", "jonkoping")
MINIMAL = os.path.join(SOURCE, "tests", "fixtures", "minimal")
CI_STEPS = os.path.join(SOURCE, "docs", "ci-steps.sh")
MINUS = "\u2212"


def clean_env(**extra):
    """The environment of a CI job without the runner's own variables."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LR_", "GITHUB_", "LAGESRAPPORT"))}
    env.update(LC_ALL="C.UTF-8", NO_COLOR="1")
    env.update(extra)
    return env


def run(*args, project=JONKOPING, env=None):
    return subprocess.run([BINARY, "-C", project, *args], capture_output=True, text=True,
                          env=env or clean_env(), timeout=60)


def run_on_terminal(args, env):
    """stdout of the program on a pseudo-terminal, as raw bytes."""
    main, sub = pty.openpty()
    proc = subprocess.Popen([BINARY, *args], stdout=sub, stderr=subprocess.DEVNULL, env=env)
    os.close(sub)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:  # EIO: the program closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(main)
    proc.wait(timeout=60)
    return b"".join(chunks)


def change(before, after):
    return "±0" if before == after else (f"+{after - before}" if after > before
                                        else f"{MINUS}{before - after}")


def md_escape(s):
    return "".join("\\" + c if c in "\\`*_[]<>|#&~" else c for c in s).replace("\n", " ")


class Expected:
    """What a comparison of two years must say, read from the YAML files."""

    def __init__(self, project, before, after):
        with open(os.path.join(project, "strategi.yaml"), encoding="utf-8") as f:
            self.strategy = yaml.safe_load(f)
        with open(os.path.join(project, "aktorer.yaml"), encoding="utf-8") as f:
            self.actors = yaml.safe_load(f)["aktörer"]
        self.names = {a["id"]: a["namn"] for a in self.actors}
        self.goals = self.strategy["mål"]
        self.subgoal_goal = {sg["id"]: g["id"] for g in self.goals for sg in g.get("delmål") or []}
        self.years = (before, after)
        self.statements = [self.read_year(project, y) for y in self.years]
        # What diff may never name: activities without an id (they cannot be
        # followed, only counted) and intern ones.
        self.unnamed_headings = [a["rubrik"] for s in self.statements for st in s.values()
                                 for a in st.get("aktiviteter") or []
                                 if a.get("intern") or not a.get("id")]
        self.internal_headings = [a["rubrik"] for s in self.statements for st in s.values()
                                  for a in st.get("aktiviteter") or [] if a.get("intern")]
        counts = [self.count(s) for s in self.statements]
        self.per_goal = [c[0] for c in counts]
        self.per_subgoal = [c[1] for c in counts]
        self.per_actor = [c[2] for c in counts]
        self.activities = [c[3] for c in counts]

    @staticmethod
    def read_year(project, year):
        folder = os.path.join(project, str(year), "yttranden")
        out = {}
        for name in sorted(os.listdir(folder)):
            if name.endswith(".yaml"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    out[name[:-5]] = yaml.safe_load(f)
        return out

    def count(self, statements):
        per_goal, per_subgoal, per_actor, total = {}, {}, {}, 0
        for actor, st in statements.items():
            for a in st.get("aktiviteter") or []:
                targets = a["mål"] if isinstance(a["mål"], list) else [a["mål"]]
                total += 1
                # A joint activity is written once and counts for each owner.
                for owner in {actor, *(a.get("ansvariga") or [])}:
                    per_actor[owner] = per_actor.get(owner, 0) + 1
                for g in {self.subgoal_goal.get(t, t) for t in targets}:
                    per_goal[g] = per_goal.get(g, 0) + 1
                for t in targets:
                    if t in self.subgoal_goal:
                        per_subgoal[t] = per_subgoal.get(t, 0) + 1
        return per_goal, per_subgoal, per_actor, total

    def answered_only(self, which):
        mine, other = self.statements[which], self.statements[1 - which]
        return [a["id"] for a in self.actors if a["id"] in mine and a["id"] not in other]

    def coverage(self, gained):
        """Sub-goals, and goals without sub-goals, in strategy order."""
        out = []
        for g in self.goals:
            items = [(sg["id"], sg["text"], self.per_subgoal) for sg in g.get("delmål") or []]
            if not g.get("delmål"):
                items = [(g["id"], g["namn"], self.per_goal)]
            for id_, text, table in items:
                b, a = table[0].get(id_, 0), table[1].get(id_, 0)
                if (gained and not b and a) or (not gained and b and not a):
                    out.append((id_, text, "subgoal" if table is self.per_subgoal else "goal", g["id"]))
        return out

    def plan_changes(self):
        def status(st):
            return (st.get("styrdokument") or {}).get("status")
        out = []
        for a in self.actors:
            b, c = (s.get(a["id"]) for s in self.statements)
            if b is not None and c is not None and status(b) != status(c):
                out.append((a["id"], status(b), status(c)))
        return out


class JonkopingDiff(unittest.TestCase):
    """2021 → 2022 of the shipped data, in text, md and json."""

    @classmethod
    def setUpClass(cls):
        cls.x = Expected(JONKOPING, 2021, 2022)
        cls.out = {fmt: run("diff", "2021", "2022", "--format", fmt) for fmt in ("text", "md", "json")}

    def test_data_is_what_the_issue_describes(self):
        self.assertEqual([len(s) for s in self.x.statements], [15, 11])
        self.assertTrue(self.x.coverage(True) and self.x.coverage(False))

    def test_exit_code_is_one_and_stderr_empty(self):
        for fmt, proc in self.out.items():
            self.assertEqual(proc.returncode, 1, f"{fmt}: {proc.stderr}")
            self.assertEqual(proc.stderr, "", fmt)

    def test_json_is_the_data(self):
        x, d = self.x, json.loads(self.out["json"].stdout)
        self.assertEqual(list(d), ["version", "strategy", "before", "after", "identical",
                                   "include_internal", "lost", "gained", "statements", "activities",
                                   "answered_only_before", "answered_only_after", "revisions",
                                   "goals", "actors", "indicators",
                                   "plans", "outcomes", "followups", "new_without_id", "new"])
        self.assertEqual((d["version"], d["strategy"]), (1, x.strategy["id"]))
        self.assertEqual((d["before"], d["after"], d["identical"]), (2021, 2022, False))
        self.assertTrue(d["include_internal"])
        self.assertEqual(d["statements"], {"before": 15, "after": 11, "change": -4})
        self.assertEqual(d["activities"], {"before": x.activities[0], "after": x.activities[1],
                                           "change": x.activities[1] - x.activities[0]})
        for key, gained in (("lost", False), ("gained", True)):
            self.assertEqual([(i["id"], i["text"], i["type"], i["goal"]) for i in d[key]],
                             x.coverage(gained), key)
        self.assertEqual([a["id"] for a in d["answered_only_before"]], x.answered_only(0))
        self.assertEqual([a["id"] for a in d["answered_only_after"]], x.answered_only(1))
        self.assertEqual([a["name"] for a in d["answered_only_before"]],
                         [x.names[i] for i in x.answered_only(0)])
        self.assertEqual(d["revisions"], [])  # no revision between these years
        self.assertEqual([g["id"] for g in d["goals"]], [g["id"] for g in x.goals])
        for g, sg_list in zip(d["goals"], x.goals):
            b, a = x.per_goal[0].get(g["id"], 0), x.per_goal[1].get(g["id"], 0)
            self.assertEqual((g["before"], g["after"], g["change"]), (b, a, a - b), g["id"])
            self.assertEqual([s["id"] for s in g["subgoals"]],
                             [s["id"] for s in sg_list.get("delmål") or []])
            for s in g["subgoals"]:
                b, a = x.per_subgoal[0].get(s["id"], 0), x.per_subgoal[1].get(s["id"], 0)
                self.assertEqual((s["before"], s["after"], s["change"]), (b, a, a - b), s["id"])
        self.assertEqual([a["id"] for a in d["actors"]], [a["id"] for a in x.actors])
        for a in d["actors"]:
            b, c = x.per_actor[0].get(a["id"], 0), x.per_actor[1].get(a["id"], 0)
            self.assertEqual((a["before"], a["after"], a["change"]), (b, c, c - b), a["id"])
        self.assertEqual([(p["id"], p["before"], p["after"]) for p in d["plans"]],
                         x.plan_changes())

    def test_json_is_byte_identical_and_valid(self):
        again = run("diff", "2021", "2022", "--format", "json")
        self.assertEqual(again.stdout, self.out["json"].stdout)
        tool = subprocess.run([sys.executable, "-m", "json.tool"], input=again.stdout,
                              capture_output=True, text=True)
        self.assertEqual(tool.returncode, 0, tool.stderr)
        for fmt in ("text", "md"):
            self.assertEqual(run("diff", "2021", "2022", "--format", fmt).stdout,
                             self.out[fmt].stdout, fmt)

    def test_text(self):
        x, text = self.x, self.out["text"].stdout
        self.assertEqual(run("diff", "2021", "2022").stdout, text, "text is the default")
        lines = text.splitlines()
        self.assertRegex(text, r"\n  Yttranden +15 +11 +−4\n")
        # The key signal comes first: coverage before any count.
        first_count = lines.index("Yttranden och aktiviteter")
        for gained in (False, True):
            for id_, txt, kind, _ in x.coverage(gained):
                label = id_ if kind == "subgoal" else f"Mål {id_}"
                sign = "+" if gained else MINUS
                line = f"  {sign} {label}"
                hits = [i for i, l in enumerate(lines) if l.startswith(line + " ")]
                self.assertTrue(hits and hits[0] < first_count, line)
                self.assertTrue(lines[hits[0]].endswith(txt), line)
        head = lines.index("Svarade 2021 men inte 2022 (6)")
        self.assertEqual(lines[head + 1:head + 7],
                         [f"  {MINUS} {x.names[i]}" for i in x.answered_only(0)])
        head = lines.index("Svarade 2022 men inte 2021 (2)")
        self.assertEqual(lines[head + 1:head + 3], [f"  + {x.names[i]}" for i in x.answered_only(1)])
        for sg, goal in x.subgoal_goal.items():
            b, a = x.per_subgoal[0].get(sg, 0), x.per_subgoal[1].get(sg, 0)
            row = re.compile(rf"^    {re.escape(sg)} +{b} +{a} +{re.escape(change(b, a))}  ", re.M)
            if b != a:
                self.assertRegex(text, row)
            else:
                self.assertNotRegex(text, row, "unchanged rows are left out")
        for actor in x.actors:
            b, a = (x.per_actor[k].get(actor["id"]) for k in (0, 1))
            if (b or 0) == (a or 0):
                self.assertNotRegex(text, rf"\n  {re.escape(actor['namn'])} +\d")
                continue
            cells = [str(v) if v is not None else ("–" if actor["id"] not in s else "0")
                     for v, s in ((b, x.statements[0]), (a, x.statements[1]))]
            self.assertRegex(text, rf"\n  {re.escape(actor['namn'])} +{cells[0]} +{cells[1]} +"
                                   rf"{re.escape(change(b or 0, a or 0))}\n")
        self.assertIn("Styrdokument som bytt status", text)

    def test_markdown(self):
        x, md = self.x, self.out["md"].stdout
        self.assertTrue(md.startswith("## Skillnader mellan 2021 och 2022"))
        self.assertIn("\n| Yttranden | 15 | 11 | −4 |\n", md)
        first_table = md.index("### Yttranden och aktiviteter")
        for gained in (False, True):
            for id_, txt, kind, _ in x.coverage(gained):
                label = id_ if kind == "subgoal" else f"Mål {id_}"
                item = f"- **{md_escape(label)}** {md_escape(txt)}\n"
                self.assertIn(item, md)
                self.assertLess(md.index(item), first_table, "the key signal comes first")
        self.assertIn("**Svarade 2021 men inte 2022 (6):** "
                      + ", ".join(md_escape(x.names[i]) for i in x.answered_only(0)) + "\n", md)
        self.assertIn("**Svarade 2022 men inte 2021 (2):** "
                      + ", ".join(md_escape(x.names[i]) for i in x.answered_only(1)) + "\n", md)
        goal_texts = {sg["id"]: sg["text"] for g in x.goals for sg in g.get("delmål") or []}
        for sg, txt in goal_texts.items():
            b, a = x.per_subgoal[0].get(sg, 0), x.per_subgoal[1].get(sg, 0)
            row = f"| {md_escape(sg)} | {md_escape(txt)} | {b} | {a} | {change(b, a)} |\n"
            (self.assertIn if a != b else self.assertNotIn)(row, md)
        # Every table row has as many cells as its header.
        for table in re.findall(r"(?:^\|.*\|\n)+", md, re.M):
            rows = table.splitlines()
            widths = {len(re.findall(r"(?<!\\)\|", r)) for r in rows}
            self.assertEqual(len(widths), 1, table)
            self.assertRegex(rows[1], r"^\| ---")

    def test_activities_without_id_or_intern_are_never_named(self):
        self.assertTrue(self.x.internal_headings, "the data should have intern activities")
        for fmt, proc in self.out.items():
            for heading in self.x.unnamed_headings:
                self.assertNotIn(heading, proc.stdout, fmt)

    def test_colour_only_on_a_terminal_without_no_color(self):
        for fmt, proc in self.out.items():
            self.assertNotIn("\033", proc.stdout, f"{fmt} through a pipe")
        piped = run("diff", "2021", "2022", env={k: v for k, v in clean_env().items()
                                                 if k != "NO_COLOR"})
        self.assertNotIn("\033", piped.stdout, "a pipe without NO_COLOR")
        args = ["-C", JONKOPING, "diff", "2021", "2022"]
        env = clean_env(TERM="xterm")
        self.assertNotIn(b"\033", run_on_terminal(args, env), "NO_COLOR on a terminal")
        del env["NO_COLOR"]
        self.assertIn(b"\033[", run_on_terminal(args, env), "a terminal without NO_COLOR")
        self.assertNotIn(b"\033", run_on_terminal(args + ["--format", "md"], env))


class DiffCases(unittest.TestCase):
    """A year against itself, errors, and what equal totals can hide."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lr-diff-")
        self.project = os.path.join(self.tmp, "projekt")
        shutil.copytree(MINIMAL, self.project)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, path, text):
        with open(os.path.join(self.project, path), "w", encoding="utf-8") as f:
            f.write(text)

    def test_a_year_against_itself(self):
        for fmt in ("text", "md", "json"):
            proc = run("diff", "2022", "2022", "--format", fmt)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            if fmt == "json":
                d = json.loads(proc.stdout)
                self.assertTrue(d["identical"])
                self.assertEqual(d["lost"] + d["gained"] + d["plans"], [])
            else:
                self.assertIn("Inga skillnader mellan 2022 och 2022.", proc.stdout)
        self.assertEqual(run("diff", "2022", "2022").stdout, "Inga skillnader mellan 2022 och 2022.\n")

    def test_a_missing_year(self):
        proc = run("diff", "2021", "2030")
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stdout, "")
        self.assertIn("fel: det finns inga yttranden för 2030", proc.stderr)
        self.assertEqual(run("diff", "2030", "2021", "--format", "json").returncode, 2)

    def test_an_invalid_statement(self):
        self.write("2022/yttranden/aneby.yaml",
                   "aktör: aneby\når: 2022\naktiviteter:\n  - rubrik: Något\n    mål: [\"9:9\"]\n"
                   "    status: pågående\n    beskrivning: Text.\n")
        for fmt in ("text", "md", "json"):
            proc = run("diff", "2021", "2022", "--format", fmt, project=self.project)
            self.assertEqual(proc.returncode, 2, fmt)
            self.assertEqual(proc.stdout, "", fmt)
            self.assertRegex(proc.stderr, r"2022/yttranden/aneby\.yaml:5:\d+: fel: .*9:9")
            self.assertIn("åren jämförs inte", proc.stderr)

    def test_an_unknown_format_and_bad_arguments(self):
        proc = run("diff", "2021", "2022", "--format", "xml")
        self.assertEqual(proc.returncode, 2)
        self.assertIn('okänt format "xml" (välj text, md eller json)', proc.stderr)
        self.assertEqual(proc.stdout, "")
        for args in (["2021"], [], ["2021", "2022", "2023"], ["tjugo", "2022"],
                     ["2021", "2022", "--format"], ["2021", "2022", "--färg"]):
            proc = run("diff", *args)
            self.assertEqual(proc.returncode, 2, args)
            self.assertIn('tips: se "lagesrapport help diff"', proc.stderr, args)

    def test_moved_activities_are_a_difference(self):
        # Same statements, same totals and the same coverage: only rows changed.
        def statement(year, targets):
            acts = "".join(f"  - rubrik: Aktivitet {i}\n    mål: [\"{t}\"]\n    status: pågående\n"
                           f"    beskrivning: Text.\n" for i, t in enumerate(targets))
            return f"aktör: aneby\når: {year}\naktiviteter:\n{acts}"
        self.write("2021/yttranden/aneby.yaml", statement(2021, ["1:1", "1:1", "1:2"]))
        self.write("2022/yttranden/aneby.yaml", statement(2022, ["1:1", "1:2", "1:2"]))
        os.remove(os.path.join(self.project, "2022/yttranden/polisen.yaml"))
        proc = run("diff", "2021", "2022", project=self.project)
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("Täckningen är oförändrad", proc.stdout)
        self.assertRegex(proc.stdout, r"\n    1:1 +2 +1 +−1  ")
        d = json.loads(run("diff", "2021", "2022", "--format", "json", project=self.project).stdout)
        self.assertFalse(d["identical"])
        self.assertEqual(d["lost"] + d["gained"], [])

    def test_the_documented_json_example(self):
        with open(os.path.join(SOURCE, "docs", "diff-json.md"), encoding="utf-8") as f:
            doc = f.read()
        example = re.search(r"```json\n(.*?)```", doc, re.S).group(1)
        got = run("diff", "2021", "2022", "--format", "json", project=MINIMAL).stdout.splitlines()
        at = 0
        for line in example.splitlines():
            if line.strip() == "…":
                continue
            self.assertIn(line, got[at:], "the example in docs/diff-json.md is out of date")
            at = got.index(line, at) + 1


class CiSteps(unittest.TestCase):
    """docs/ci-steps.sh on a copy of the Jönköping data in its own git repository."""

    def setUp(self):
        self.repo = tempfile.mkdtemp(prefix="lr-ci-")
        # The recipe's defaults (the two newest years, the newest report)
        # are exercised on the two years taken from the county's report;
        # the illustrative 2024 after the revision has revision_test.py.
        shutil.copytree(JONKOPING, self.repo, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("out", "2024"))
        self.env = clean_env(LAGESRAPPORT=BINARY, GIT_AUTHOR_NAME="CI", GIT_AUTHOR_EMAIL="ci@example.org",
                             GIT_COMMITTER_NAME="CI", GIT_COMMITTER_EMAIL="ci@example.org",
                             GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
        self.git("init", "-q")
        self.commit("Yttranden")

    def tearDown(self):
        shutil.rmtree(self.repo)

    def git(self, *args):
        subprocess.run(["git", *args], cwd=self.repo, env=self.env, check=True, capture_output=True)

    def commit(self, message):
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)

    def step(self, *args, **env):
        return subprocess.run(["bash", CI_STEPS, *args], cwd=self.repo, capture_output=True,
                              text=True, env=dict(self.env, **env), timeout=300)

    def test_check(self):
        proc = self.step("check")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("inga fel", proc.stdout)
        with open(os.path.join(self.repo, "2022/yttranden/aneby.yaml"), "a", encoding="utf-8") as f:
            f.write("okänd: nyckel\n")
        proc = self.step("check")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("aneby.yaml", proc.stderr)

    def test_diff_goes_to_the_job_summary(self):
        want = run("diff", "2021", "2022", "--format", "md", project=self.repo).stdout
        summary = os.path.join(self.repo, "..", os.path.basename(self.repo) + "-summary.md")
        try:
            for env in ({"GITHUB_STEP_SUMMARY": summary}, {"LR_SUMMARY": summary}):
                with open(summary, "w", encoding="utf-8") as f:
                    f.write("# Tidigare steg\n")
                proc = self.step("diff", **env)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                with open(summary, encoding="utf-8") as f:
                    self.assertEqual(f.read(), "# Tidigare steg\n" + want, env)
            proc = self.step("diff", "2021", "2022")
            self.assertEqual((proc.returncode, proc.stdout), (0, want))
        finally:
            os.remove(summary)
        proc = self.step("diff", "2021", "2030")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("det finns inga yttranden för 2030", proc.stderr)

    def withdraw_mullsjo(self):
        """Mullsjö's statement withdrawn, and with it its example in
        rapport.yaml, which may only name activities that are there."""
        os.remove(os.path.join(self.repo, "2022/yttranden/mullsjo.yaml"))
        path = os.path.join(self.repo, "2022/rapport.yaml")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("      - mullsjo/information-sprak\n", text)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace("      - mullsjo/information-sprak\n", ""))

    def test_stale_reports_fail(self):
        proc = self.step("reports")
        self.assertEqual(proc.returncode, 1, "reports that were never committed are stale")
        self.assertIn("out/2022/lagesrapport-2022.md", proc.stdout)
        self.assertIn("inaktuella", proc.stderr)

        self.commit("Rapporter 2022")
        proc = self.step("reports")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("aktuella (2022)", proc.stdout)

        # A statement withdrawn without rebuilding: the report changes and
        # the actor's feedback files disappear.
        self.withdraw_mullsjo()
        self.commit("Yttrande borttaget utan nya rapporter")
        proc = self.step("reports")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("out/2022/lagesrapport-2022.md", proc.stdout)
        self.assertIn("out/2022/aterkoppling/mullsjo.md", proc.stdout)
        self.assertIn("inaktuella", proc.stderr)

    def test_the_hint_is_a_command_that_works(self):
        for year in ("2021", "2022"):
            self.assertEqual(run("build", year, project=self.repo).returncode, 0)
        self.commit("Rapporter 2021 och 2022")
        self.withdraw_mullsjo()
        os.remove(os.path.join(self.repo, "2021/yttranden/aneby.yaml"))
        self.commit("Två yttranden borttagna utan nya rapporter")
        proc = self.step("reports")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        hint = re.search(r'kör "([^"]*)" och checka in out/', proc.stderr)
        self.assertIsNotNone(hint, proc.stderr)
        self.assertEqual(hint.group(1), "lagesrapport build 2021 && lagesrapport build 2022")
        path = os.path.dirname(BINARY) + os.pathsep + self.env.get("PATH", "/usr/bin:/bin")
        done = subprocess.run(["bash", "-c", hint.group(1)], cwd=self.repo, capture_output=True,
                              text=True, env=dict(self.env, PATH=path), timeout=300)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.commit("Nya rapporter")
        proc = self.step("reports")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("aktuella (2021 2022)", proc.stdout)

    def test_reports_stay_current_after_mail(self):
        self.assertEqual(run("build", "2022", project=self.repo).returncode, 0)
        self.commit("Rapporter 2022")
        for args in (["mail", "2022"], ["new", "2023"], ["mail", "2023", "--forms"]):
            proc = run(*args, project=self.repo)
            self.assertEqual(proc.returncode, 0, proc.stderr)
        proc = self.step("reports")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("aktuella (2022)", proc.stdout)
        out = os.path.join(self.repo, "out")
        self.assertEqual(sorted(os.listdir(out)), ["2022"])
        self.assertNotIn("mail", os.listdir(os.path.join(out, "2022")))
        self.assertTrue(os.path.isdir(os.path.join(self.repo, "utskick", "2022", "rapport")))

    def test_recipes_run_the_script(self):
        with open(os.path.join(SOURCE, "docs", "ci.md"), encoding="utf-8") as f:
            blocks = re.findall(r"```yaml\n(.*?)```", f.read(), re.S)
        self.assertEqual(len(blocks), 2, "one GitHub and one GitLab recipe")
        github, gitlab = (yaml.safe_load(b) for b in blocks)
        steps = " ".join(s.get("run", "") for s in github["jobs"]["lagesrapport"]["steps"])
        job = gitlab["lagesrapport"]
        scripts = " ".join(job["before_script"] + job["script"])
        for text in (steps, scripts):
            self.assertIn("bootstrap", text)
            for step in ("check", "diff", "reports"):
                self.assertRegex(text, rf"(ci-steps\.sh|\$LR_STEPS) {step}\b")
        with open(CI_STEPS, encoding="utf-8") as f:
            self.assertIn("GITHUB_STEP_SUMMARY", f.read())


if __name__ == "__main__":
    # The CI recipes run in a git repository, and ci-steps.sh asks git what
    # was committed: without git the group checks nothing.
    if not sys.argv[3:] or any(a.startswith("CiSteps") for a in sys.argv[3:]):
        needs.program("git", package="git")
    unittest.main(argv=[sys.argv[0], *sys.argv[3:]], verbosity=2)
