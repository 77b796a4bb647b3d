#!/usr/bin/python3
"""`lagesrapport schema` read by python3-jsonschema as an editor would use
it: every shipped file validates against the schema of its project, each
mistake the loader refuses (an unknown key, sub-goal, actor type or status,
an activity id of the wrong shape) is refused by the schema too, the forms
from `new` name a schema beside them that exists and that they validate
against, and a project with errors gets no schema.

YAML is read as an editor's language server reads it, by the YAML 1.2 core
schema: 2023-02-14 and 1:1 are text, not a date and a sexagesimal number.

Usage: schema_test.py LAGESRAPPORT SOURCE_DIR
"""
import copy
import glob
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
jsonschema = needs.module("jsonschema", package="python3-jsonschema")

BIN = SRC = None  # set from argv
REGIONS = ["jonkoping", "vastmanland", "jamtland", "vasternorrland", "vasterbotten"]


class CoreLoader(yaml.SafeLoader):
    """PyYAML with the YAML 1.2 core schema's implicit types."""


CoreLoader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
        ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
        ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
        ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", list("-+0123456789")),
        ("tag:yaml.org,2002:float", r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$",
         list("-+.0123456789"))]:
    CoreLoader.add_implicit_resolver(tag, re.compile(pattern), first)


def read_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=CoreLoader)


def run(args):
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([BIN] + args, env=env, capture_output=True, text=True, timeout=120)


def validator(path):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(v, document):
    return [e.message for e in v.iter_errors(document)]


class ShippedData(unittest.TestCase):
    def test_every_shipped_file_validates(self):
        for region in REGIONS:
            with self.subTest(region=region), tempfile.TemporaryDirectory() as out:
                project = os.path.join(SRC, "data", region)
                r = run(["-C", project, "schema", "--out", out])
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(sorted(os.listdir(out)), ["aktorer.schema.json", "rapport.schema.json",
                                                           "strategi.schema.json", "yttrande.schema.json"])
                files = {
                    "yttrande": glob.glob(os.path.join(project, "*", "yttranden", "*.yaml")),
                    "strategi": [os.path.join(project, "strategi.yaml")],
                    "aktorer": [os.path.join(project, "aktorer.yaml")],
                    "rapport": glob.glob(os.path.join(project, "*", "rapport.yaml")),
                }
                self.assertTrue(files["yttrande"])
                for kind, paths in files.items():
                    v = validator(os.path.join(out, f"{kind}.schema.json"))
                    for path in paths:
                        self.assertEqual(errors(v, read_yaml(path)), [], path)

    def test_ids_are_enums_with_swedish_descriptions(self):
        with tempfile.TemporaryDirectory() as out:
            r = run(["-C", os.path.join(SRC, "data", "jonkoping"), "schema", "--file", "yttrande",
                     "--out", out])
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout, f"skrev {out}/yttrande.schema.json\n")
            self.assertEqual(os.listdir(out), ["yttrande.schema.json"])
            with open(os.path.join(out, "yttrande.schema.json"), encoding="utf-8") as f:
                schema = json.load(f)
        self.assertEqual(schema["$schema"], "https://json-schema.org/draft/2020-12/schema")
        defs = schema["$defs"]
        strategy = read_yaml(os.path.join(SRC, "data", "jonkoping", "strategi.yaml"))
        goal_ids = []
        for g in strategy["mål"]:
            goal_ids.append(str(g["id"]))
            goal_ids += [str(s["id"]) for s in g.get("delmål") or []]
        self.assertEqual([str(x) for x in defs["mal"]["enum"] if isinstance(x, str)], goal_ids)
        described = dict(zip(map(str, defs["mal"]["enum"]), defs["mal"]["enumDescriptions"]))
        self.assertTrue(described["1:1"].startswith("Delmål 1:1: Arbeta för universella"))
        self.assertEqual(described["1"], "Mål 1: " + strategy["mål"][0]["namn"])
        self.assertIn(1, defs["mal"]["enum"])  # an editor reads an unquoted 1 as a number
        actors = read_yaml(os.path.join(SRC, "data", "jonkoping", "aktorer.yaml"))["aktörer"]
        self.assertEqual(defs["aktor"]["enum"], [a["id"] for a in actors])
        self.assertEqual(defs["aktor"]["enumDescriptions"][0], "Aneby kommun")
        self.assertEqual(len(defs["omrade"]["enum"]), len(strategy["områden"]))
        self.assertEqual(defs["status"]["enum"], ["planerad", "pågående", "genomförd", "avbruten"])
        self.assertEqual(defs["plan-status"]["enum"], ["antagen", "under-arbete", "saknas"])
        self.assertIn("delmål", schema["$defs"]["aktivitet"]["properties"]["mål"]["description"])


class Mutations(unittest.TestCase):
    """Each mistake: `check` refuses the file, and so does the schema."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lr-schema-")
        cls.project = os.path.join(cls.tmp, "jonkoping")
        shutil.copytree(os.path.join(SRC, "data", "jonkoping"), cls.project)
        shutil.rmtree(os.path.join(cls.project, "2021"))
        r = run(["-C", cls.project, "schema"])
        assert r.returncode == 0, r.stderr
        cls.schema = {k: validator(os.path.join(cls.project, "schema", f"{k}.schema.json"))
                      for k in ["yttrande", "strategi", "aktorer", "rapport"]}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def mutate(self, relpath, kind, change):
        path = os.path.join(self.project, relpath)
        with open(path, encoding="utf-8") as f:
            original = f.read()
        document = read_yaml(path)
        self.assertEqual(errors(self.schema[kind], document), [])
        bad = copy.deepcopy(document)
        change(bad)
        try:
            with open(path, "w", encoding="utf-8") as f:
                yaml.safe_dump(bad, f, allow_unicode=True, sort_keys=False)
            r = run(["-C", self.project, "check", "2022"])
        finally:
            with open(path, "w", encoding="utf-8") as f:
                f.write(original)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(": fel: ", r.stderr)
        self.assertNotEqual(errors(self.schema[kind], bad), [], "the schema accepted it")

    def activity(self, change):
        return lambda s: change(s["aktiviteter"][0])

    def test_unknown_key_in_statement(self):
        self.mutate("2022/yttranden/aneby.yaml", "yttrande", lambda s: s.update({"delmal": ["1:1"]}))

    def test_unknown_key_in_activity(self):
        self.mutate("2022/yttranden/aneby.yaml", "yttrande",
                    self.activity(lambda a: a.update({"beskrivnig": "text"})))

    def test_unknown_subgoal(self):
        self.mutate("2022/yttranden/aneby.yaml", "yttrande",
                    self.activity(lambda a: a.update({"mål": ["1:9"]})))

    def test_bad_status(self):
        self.mutate("2022/yttranden/aneby.yaml", "yttrande",
                    self.activity(lambda a: a.update({"status": "klar"})))

    def test_bad_plan_status(self):
        self.mutate("2022/yttranden/aneby.yaml", "yttrande",
                    lambda s: s.update({"styrdokument": {"status": "antaget"}}))

    def test_unknown_actor_as_partner(self):
        self.mutate("2022/yttranden/aneby.yaml", "yttrande",
                    self.activity(lambda a: a.update({"samverkan": ["lunds-kommun"]})))

    def test_bad_activity_id(self):
        self.mutate("2022/yttranden/aneby.yaml", "yttrande",
                    self.activity(lambda a: a.update({"id": "Forum Kvinnofrid"})))

    def test_year_as_text(self):
        self.mutate("2022/yttranden/aneby.yaml", "yttrande", lambda s: s.update({"år": "2022"}))

    def test_missing_status(self):
        self.mutate("2022/yttranden/aneby.yaml", "yttrande", self.activity(lambda a: a.pop("status")))

    def test_bad_actor_type(self):
        self.mutate("aktorer.yaml", "aktorer", lambda r: r["aktörer"][0].update({"typ": "kommunen"}))

    def test_bad_actor_id(self):
        self.mutate("aktorer.yaml", "aktorer", lambda r: r["aktörer"][1].update({"id": "Eksjö"}))

    def test_unknown_key_in_strategy(self):
        self.mutate("strategi.yaml", "strategi", lambda s: s["mål"][0].update({"delmal": []}))

    def test_analysis_of_unknown_goal(self):
        self.mutate("2022/rapport.yaml", "rapport", lambda t: t["analys"].update({"9": "text"}))

    def test_example_without_its_actor(self):
        self.mutate("2022/rapport.yaml", "rapport", lambda t: t["mål"]["1"]["exempel"].append("projekt-heder"))

    def test_example_lead_in_without_its_activity(self):
        self.mutate("2022/rapport.yaml", "rapport",
                    lambda t: t["mål"]["2"]["exempel"].append({"inledning": "Utan aktivitet."}))


class Forms(unittest.TestCase):
    def test_forms_name_the_schema_beside_them(self):
        with tempfile.TemporaryDirectory() as tmp:
            project = os.path.join(tmp, "jonkoping")
            shutil.copytree(os.path.join(SRC, "data", "jonkoping"), project)
            r = run(["-C", project, "new", "2023"])
            self.assertEqual(r.returncode, 0, r.stderr)
            folder = os.path.join(project, "2023", "yttranden")
            forms = sorted(glob.glob(os.path.join(folder, "*.yaml")))
            self.assertEqual(len(forms), 23)
            v = None
            for path in forms:
                with open(path, encoding="utf-8") as f:
                    first = f.readline()
                m = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)\n", first)
                self.assertTrue(m, first)
                schema_path = os.path.join(folder, m.group(1))
                self.assertTrue(os.path.isfile(schema_path))
                v = v or validator(schema_path)
                self.assertEqual(errors(v, read_yaml(path)), [], path)
                wrong_year = read_yaml(path)
                wrong_year["år"] = 2022
                self.assertNotEqual(errors(v, wrong_year), [])


class Refusals(unittest.TestCase):
    def test_project_with_errors_gets_no_schema(self):
        with tempfile.TemporaryDirectory() as tmp:
            project = os.path.join(tmp, "p")
            shutil.copytree(os.path.join(SRC, "tests", "fixtures", "minimal"), project)
            with open(os.path.join(project, "aktorer.yaml"), "a", encoding="utf-8") as f:
                f.write("  - {id: ny, namn: Ny, typ: kommunen}\n")
            r = run(["-C", project, "schema"])
            self.assertEqual(r.returncode, 1)
            self.assertRegex(r.stderr, r"aktorer\.yaml:\d+:\d+: fel: okänd aktörstyp \"kommunen\"")
            self.assertIn("inga scheman skrevs", r.stderr)
            self.assertFalse(os.path.exists(os.path.join(project, "schema")))

    def test_unwritable_out(self):
        with tempfile.TemporaryDirectory() as tmp:
            blocker = os.path.join(tmp, "fil")
            with open(blocker, "w") as f:
                f.write("x")
            r = run(["-C", os.path.join(SRC, "tests", "fixtures", "minimal"), "schema",
                     "--out", os.path.join(blocker, "schema")])
            self.assertEqual(r.returncode, 2)
            self.assertIn(f"{blocker}/schema: fel: kan inte skapa mappen: "
                          "en del av sökvägen är inte en mapp", r.stderr)

    def test_unknown_file_kind(self):
        r = run(["-C", os.path.join(SRC, "tests", "fixtures", "minimal"), "schema", "--file", "yttranden"])
        self.assertEqual(r.returncode, 2)
        self.assertIn('okänd fil "yttranden"', r.stderr)


if __name__ == "__main__":
    BIN = os.path.abspath(sys.argv.pop(1))
    SRC = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
