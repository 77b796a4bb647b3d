#!/usr/bin/python3
"""`lagesrapport new` as the officer meets it: forms that check clean as they
stand, last year's planned and ongoing activities carried over exactly (read
back with PyYAML, a reader independent of the program), nothing ever
overwritten, and unknown actors refused with a suggestion.

Usage: new_test.py LAGESRAPPORT SOURCE_DIR
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import needs

yaml = needs.module("yaml", package="python3-yaml")

BIN = SRC = None  # set from argv


def run(args, env=None):
    e = dict(os.environ, NO_COLOR="1")
    e.update(env or {})
    return subprocess.run([BIN] + args, env=e, capture_output=True, text=True, timeout=120)


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def digest(root):
    """Relative path -> sha256 of every file below root."""
    out = {}
    for d, _, files in os.walk(root):
        for name in files:
            p = os.path.join(d, name)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = hashlib.sha256(f.read()).hexdigest()
    return out


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def unique(items):
    seen, out = set(), []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def carried_over(statement):
    """The activities `new` must carry over from a statement, as the form
    should hold them: ids deduplicated, the actor itself not its own partner."""
    out = []
    for a in statement.get("aktiviteter") or []:
        if a["status"] not in ("planerad", "pågående"):
            continue
        out.append({
            "rubrik": a["rubrik"],
            "mål": unique(str(m) for m in as_list(a["mål"])),
            "status": a["status"],
            "beskrivning": a.get("beskrivning"),
            "områden": unique(as_list(a.get("områden"))),
            "samverkan": [p for p in unique(as_list(a.get("samverkan")))
                          if p != statement["aktör"]],
            "målgrupp": a.get("målgrupp"),
            "intern": bool(a.get("intern", False)),
        })
    return out


def in_form(form):
    return [{
        "rubrik": a["rubrik"],
        "mål": a["mål"],
        "status": a["status"],
        "beskrivning": a.get("beskrivning"),
        "områden": a.get("områden", []),
        "samverkan": a.get("samverkan", []),
        "målgrupp": a.get("målgrupp"),
        "intern": a.get("intern", False),
    } for a in form["aktiviteter"]]


class NewTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lr-new-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def copy(self, source):
        project = os.path.join(self.tmp, os.path.basename(source))
        shutil.copytree(source, project, ignore=shutil.ignore_patterns("out"))
        return project

    def jonkoping(self):
        return self.copy(os.path.join(SRC, "data", "jonkoping"))

    def test_every_form_checks_clean_and_carries_last_years_work(self):
        project = self.jonkoping()
        r = run(["-C", project, "new", "2023"])
        self.assertEqual(r.returncode, 0, r.stderr)
        actors = [a["id"] for a in load(os.path.join(project, "aktorer.yaml"))["aktörer"]]
        folder = os.path.join(project, "2023", "yttranden")
        # The forms, and the schema their first line names for an editor.
        self.assertEqual(sorted(os.listdir(folder)),
                         sorted([a + ".yaml" for a in actors] + ["yttrande.schema.json"]))
        self.assertIn("2023: 23 formulär skrivna, 0 formulär fanns redan", r.stdout)

        c = run(["-C", project, "check", "2023"])
        self.assertEqual(c.returncode, 0, c.stderr)
        self.assertNotIn(": fel:", c.stderr)
        # A form that has not come back is not an answer.
        self.assertIn("2023: 0 yttranden (23 aktörer har inte svarat, 23 formulär väntar på svar)", c.stdout)
        aneby = os.path.join(folder, "aneby.yaml")
        with open(aneby, encoding="utf-8") as f:
            text = f.read()
        self.assertEqual(text.count("\ninkom:\n"), 1)
        with open(aneby, "w", encoding="utf-8") as f:
            f.write(text.replace("\ninkom:\n", "\ninkom: 2024-02-15\n"))
        c = run(["-C", project, "check", "2023"])
        self.assertEqual(c.returncode, 0, c.stderr)
        self.assertIn("2023: 1 yttrande (22 aktörer har inte svarat, 22 formulär väntar på svar)", c.stdout)
        self.assertIn("22 av dem har ett formulär som väntar på svar", c.stderr)

        carried = 0
        for actor in actors:
            with self.subTest(actor=actor):
                form = load(os.path.join(folder, actor + ".yaml"))
                self.assertEqual(form["aktör"], actor)
                self.assertEqual(form["år"], 2023)
                last = os.path.join(project, "2022", "yttranden", actor + ".yaml")
                want = carried_over(load(last)) if os.path.exists(last) else []
                self.assertEqual(in_form(form), want)
                # Every carried activity leaves with an id, unique in the form,
                # so that next year's report can follow it.
                ids = [a["id"] for a in form["aktiviteter"]]
                self.assertEqual(len(set(ids)), len(ids), ids)
                for i in ids:
                    self.assertRegex(i, r"^[a-z0-9]+(-[a-z0-9]+)*$")
                carried += len(want)
        self.assertGreater(carried, 20)  # the shipped data has plenty ongoing

    def test_goals_and_an_example_are_listed_as_comments(self):
        project = self.jonkoping()
        self.assertEqual(run(["-C", project, "new", "2023", "--actor", "habo"]).returncode, 0)
        with open(os.path.join(project, "2023", "yttranden", "habo.yaml"), encoding="utf-8") as f:
            text = f.read()
        strategy = load(os.path.join(project, "strategi.yaml"))
        for goal in strategy["mål"]:
            self.assertIn(f"# Mål {goal['id']}: {goal['namn']}\n", text)
            for sub in goal.get("delmål", []):
                self.assertIn(f"#   {sub['id']}  {sub['text']}\n", text)
        self.assertIn('#  - id: ', text)
        self.assertIn('#    rubrik: "', text)
        self.assertIn('#    mål: ["1:1"]', text)
        self.assertEqual(load(os.path.join(project, "2023", "yttranden", "habo.yaml"))["aktiviteter"], [])
        self.assertIn("aktiviteter: []\n", text)

    def test_contact_and_plan_are_carried_over(self):
        project = self.jonkoping()
        self.assertEqual(run(["-C", project, "new", "2023"]).returncode, 0)
        actors = [a["id"] for a in load(os.path.join(project, "aktorer.yaml"))["aktörer"]]
        with_plan = 0
        for actor in actors:
            with self.subTest(actor=actor):
                form = load(os.path.join(project, "2023", "yttranden", actor + ".yaml"))
                last_path = os.path.join(project, "2022", "yttranden", actor + ".yaml")
                last = load(last_path) if os.path.exists(last_path) else {}
                self.assertEqual(form.get("kontakt"), last.get("kontakt"))
                self.assertEqual(form.get("styrdokument"), last.get("styrdokument"))
                with_plan += "styrdokument" in last
        self.assertGreaterEqual(with_plan, 3)

        # Answered unchanged, the plans are no difference: no "antagen → uppgift saknas".
        folder = os.path.join(project, "2023", "yttranden")
        for name in os.listdir(folder):
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.replace("\ninkom:\n", "\ninkom: 2024-02-15\n"))
        r = run(["-C", project, "diff", "2022", "2023", "--format", "json"])
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(json.loads(r.stdout)["plans"], [])
        self.assertNotIn("uppgift saknas", run(["-C", project, "diff", "2022", "2023"]).stdout)

    def test_partners_and_statuses_are_listed_as_comments(self):
        project = self.jonkoping()
        self.assertEqual(run(["-C", project, "new", "2023", "--actor", "habo"]).returncode, 0)
        with open(os.path.join(project, "2023", "yttranden", "habo.yaml"), encoding="utf-8") as f:
            text = f.read()
        listed = re.findall(r"^#   ([a-z0-9-]+)  (.+)$", text.split('under "samverkan"')[1].split("\n#\n")[0], re.M)
        registry = load(os.path.join(project, "aktorer.yaml"))["aktörer"]
        self.assertEqual(listed, [(a["id"], a["namn"]) for a in registry if a["id"] != "habo"])
        self.assertIn("# En aktivitets status är planerad, pågående, genomförd eller avbruten.\n", text)
        self.assertIn("(status: antagen, under-arbete eller saknas)", text)

    def test_second_run_overwrites_nothing(self):
        project = self.jonkoping()
        self.assertEqual(run(["-C", project, "new", "2023"]).returncode, 0)
        aneby = os.path.join(project, "2023", "yttranden", "aneby.yaml")
        with open(aneby, "a", encoding="utf-8") as f:
            f.write("# ifyllt av Aneby\n")
        before = digest(os.path.join(project, "2023"))
        r = run(["-C", project, "new", "2023"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(digest(os.path.join(project, "2023")), before)
        self.assertIn("hoppade över " + aneby + ": finns redan", r.stdout)
        self.assertEqual(r.stdout.count("finns redan\n"), 23)
        self.assertIn("0 formulär skrivna, 23 formulär fanns redan", r.stdout)

    def test_a_yml_statement_is_not_doubled(self):
        project = self.jonkoping()
        folder = os.path.join(project, "2023", "yttranden")
        os.makedirs(folder)
        with open(os.path.join(folder, "eksjo.yml"), "w", encoding="utf-8") as f:
            f.write("aktör: eksjo\når: 2023\naktiviteter: []\n")
        r = run(["-C", project, "new", "2023", "--actor", "eksjo,aneby"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("eksjo.yaml: eksjo.yml finns redan", r.stdout)
        self.assertEqual(sorted(os.listdir(folder)), ["aneby.yaml", "eksjo.yml", "yttrande.schema.json"])

    def test_only_the_named_actors(self):
        project = self.jonkoping()
        r = run(["-C", project, "new", "2023", "--actor", "polisen", "--actor=aneby"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(os.listdir(os.path.join(project, "2023", "yttranden"))),
                         ["aneby.yaml", "polisen.yaml", "yttrande.schema.json"])

    def test_unknown_actor_is_a_usage_error_with_a_suggestion(self):
        project = self.jonkoping()
        r = run(["-C", project, "new", "2023", "--actor", "aneby", "--actor", "anebi"])
        self.assertEqual(r.returncode, 2)
        self.assertIn('okänd aktör "anebi" — menade du "aneby"?', r.stderr)
        self.assertFalse(os.path.exists(os.path.join(project, "2023")))
        for args in (["new"], ["new", "23"], ["new", "2023", "--actor"], ["new", "2023", "--x"]):
            with self.subTest(args=args):
                self.assertEqual(run(["-C", project] + args).returncode, 2)

    def test_hostile_text_round_trips_exactly(self):
        project = self.copy(os.path.join(SRC, "tests", "fixtures", "minimal"))
        heading = ('"Citat" och \'apostrof\': kolon, # ingen kommentar, \\ [x] {y} &a *b !c %d @e `f` '
                   "- ? | > ~ yes\u00a0nbsp \u2028LS \u2029PS \u0085NEL \ufeffBOM \u0080C1 "
                   "\u200fRTL e\u0301 \U0001F600 \u2013 Åäö")
        described = ("Första stycket: kolon och # hash.\n\n  Indragen rad med \"citat\".\n"
                     "- punkt\n--- \n...\nsista raden   \n")
        awkward = "\n inleds med radbrytning och blanksteg\n\tmed tabb\n\n"
        target_group = "Barn & unga: 13–18 år # \"alla\""
        activities = [
            {"rubrik": heading, "mål": ["1:1"], "status": "pågående", "beskrivning": described,
             "målgrupp": target_group, "samverkan": ["polisen", "aneby"], "intern": True},
            {"rubrik": "yes", "mål": "2:1", "status": "planerad", "beskrivning": awkward,
             "områden": ["hedersvald"]},
            {"rubrik": "genomförd följer inte med", "mål": ["1:2"], "status": "genomförd",
             "beskrivning": "x"},
        ]
        statement = {"aktör": "aneby", "år": 2022, "aktiviteter": activities}
        # JSON is YAML, every character an escape; only YAML spells a
        # character beyond U+FFFF as one \U escape, not a surrogate pair.
        text = re.sub(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})",
                      lambda m: "\\U%08X" % (0x10000 + ((int(m[1], 16) - 0xD800) << 10)
                                               + int(m[2], 16) - 0xDC00),
                      json.dumps(statement, ensure_ascii=True))
        with open(os.path.join(project, "2022", "yttranden", "aneby.yaml"), "w",
                  encoding="utf-8") as f:
            f.write(text)
        self.assertEqual(run(["-C", project, "check", "2022"]).returncode, 0)

        r = run(["-C", project, "new", "2023", "--actor", "aneby"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("(2 aktiviteter från 2022)", r.stdout)
        c = run(["-C", project, "check", "2023"])
        self.assertEqual(c.returncode, 0, c.stderr)
        self.assertNotIn(": fel:", c.stderr)
        path = os.path.join(project, "2023", "yttranden", "aneby.yaml")
        form = load(path)
        self.assertEqual(in_form(form), carried_over(statement))
        self.assertEqual(form["aktiviteter"][0]["rubrik"], heading)
        self.assertEqual(form["aktiviteter"][0]["beskrivning"], described)
        self.assertEqual(form["aktiviteter"][1]["beskrivning"], awkward)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        # Markdown stays readable for the actor who edits it.
        self.assertIn("    beskrivning: |\n      Första stycket: kolon och # hash.\n\n", text)

    def test_broken_last_year_writes_nothing(self):
        project = self.copy(os.path.join(SRC, "tests", "fixtures", "minimal"))
        with open(os.path.join(project, "2022", "yttranden", "polisen.yaml"), "a",
                  encoding="utf-8") as f:
            f.write("\nokänd: 1\n")
        r = run(["-C", project, "new", "2023"])
        self.assertEqual(r.returncode, 1)
        self.assertIn('polisen.yaml', r.stderr)
        self.assertIn("inga formulär skrevs", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(project, "2023")))

    def test_a_template_that_makes_no_statement_is_refused(self):
        project = self.copy(os.path.join(SRC, "tests", "fixtures", "minimal"))
        os.mkdir(os.path.join(project, "mallar"))
        with open(os.path.join(project, "lagesrapport.yaml"), "a", encoding="utf-8") as f:
            f.write("mallar: mallar\n")
        with open(os.path.join(project, "mallar", "yttrande.yaml.mustache"), "w",
                  encoding="utf-8") as f:
            f.write("aktör: {{aktor.id}}\når: {{{ar}}}\nrubrik: fel\n")
        r = run(["-C", project, "new", "2023"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("formuläret blev inget giltigt yttrande", r.stderr)
        self.assertEqual(os.listdir(os.path.join(project, "2023", "yttranden")), [])


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    BIN, SRC = os.path.abspath(sys.argv.pop(1)), os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=1)
