#!/usr/bin/python3
"""The HTML form from `new` as an actor meets it, in Debian's Chromium.

tests/browser/form_driver.js (npm's puppeteer-core and axe-core, installed
from tests/browser/package-lock.json) fills in the form for a carried-over
activity and a new one, saves it, reloads the page, opens the saved file
again and tries another actor's file. This script judges what happened:
the saved file passes `lagesrapport check` unchanged and says what was
typed; last year's hostile text stayed text; the page made no request, logged
no error and has no accessibility violation. Files saved for the wrong actor
or year, or edited by hand into invalid YAML, get check's located error.

Usage: form_browser_test.py LAGESRAPPORT SOURCE_DIR NODE_DIR
"""
import base64
import hashlib
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import needs
import node_packages

BIN = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
NODE_DIR = os.path.abspath(sys.argv[3])
CHROMIUM = needs.program("chromium", "chromium-browser", package="chromium")
NODE = needs.program("node", "nodejs", package="nodejs")
yaml = needs.module("yaml", package="python3-yaml")

HOSTILE_TITLE = "</script><img src=x onerror=\"document.title='pwned'\"> & \"citat\"\u2028 slut"
HOSTILE_TEXT = "<script>document.title='pwned'</script>\n\u2029&amp; <b>fet</b>"
HOSTILE_ACTIVITY = """  - rubrik: "</script><img src=x onerror=\\"document.title='pwned'\\"> & \\"citat\\"\\L slut"
    mål: ["2:3"]
    status: planerad
    beskrivning: "<script>document.title='pwned'</script>\\n\\u2029&amp; <b>fet</b>"
"""


def run(args, cwd=None):
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([BIN] + args, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


class Page(html.parser.HTMLParser):
    """The inline elements and URLs of a page, as a browser would see them."""

    def __init__(self):
        super().__init__()
        self.csp = None
        self.inline = []  # (tag, type, text)
        self.urls = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a.get("content")
        for name in ("src", "href", "action", "data", "poster", "srcset"):
            if a.get(name):
                self.urls.append(a[name])
        if tag in ("script", "style"):
            self._open = [tag, a.get("type"), ""]

    def handle_data(self, data):
        if self._open:
            self._open[2] += data

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            self.inline.append(tuple(self._open))
            self._open = None


class FormInBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        node_packages.install(SRC, NODE_DIR)
        cls.tmp = tempfile.mkdtemp(prefix="lr-formular-")
        cls.project = os.path.join(cls.tmp, "projekt")
        shutil.copytree(os.path.join(SRC, "tests", "fixtures", "minimal"), cls.project)
        last_year = os.path.join(cls.project, "2022", "yttranden", "aneby.yaml")
        with open(last_year, encoding="utf-8") as f:
            text = f.read()
        with open(last_year, "w", encoding="utf-8") as f:
            f.write(text.replace("framgångsfaktorer:", HOSTILE_ACTIVITY + "framgångsfaktorer:"))
        r = run(["-C", cls.project, "new", "2023"])
        assert r.returncode == 0, r.stdout + r.stderr
        # The pages follow the YAML forms: one with ids and a joint owner
        # gives a page with them when `new` runs again.
        form = os.path.join(cls.project, "2023", "yttranden", "aneby.yaml")
        with open(form, encoding="utf-8") as f:
            statement = yaml.safe_load(f)
        carried, hostile = statement["aktiviteter"]
        carried["id"] = "kartlaggning"
        hostile.update({"id": "hot-och-hat", "ansvariga": ["polisen"]})
        with open(form, "w", encoding="utf-8") as f:
            yaml.safe_dump(statement, f, allow_unicode=True, sort_keys=False)
        r = run(["-C", cls.project, "new", "2023"])
        assert r.returncode == 0, r.stdout + r.stderr
        cls.new_output = r.stdout
        cls.page = os.path.join(cls.project, "2023", "formular", "aneby.html")
        work = os.path.join(cls.tmp, "webblasare")
        os.makedirs(work)
        result = os.path.join(work, "resultat.json")
        r = subprocess.run([NODE, os.path.join(SRC, "tests", "browser", "form_driver.js"), NODE_DIR,
                            cls.page, work, result], env=dict(os.environ, CHROMIUM=CHROMIUM),
                           capture_output=True, text=True, timeout=240)
        assert r.returncode == 0, r.stdout + r.stderr
        with open(result, encoding="utf-8") as f:
            cls.result = json.load(f)
        cls.saved = cls.result["saved"]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def copy_project(self, name):
        path = os.path.join(self.tmp, name)
        shutil.copytree(self.project, path)
        return path

    def write(self, path, text):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    def test_new_says_where_the_pages_are(self):
        self.assertIn("skrev 4 formulär i HTML i ", self.new_output)
        self.assertEqual(sorted(os.listdir(os.path.dirname(self.page))),
                         [".lagesrapport-manifest", "aneby.html", "eksjo.html", "lansstyrelsen.html",
                          "polisen.html"])

    def test_page_allows_only_its_own_script_and_style(self):
        with open(self.page, encoding="utf-8") as f:
            page = Page()
            page.feed(f.read())
        self.assertEqual(page.urls, [])
        executed = [(tag, text) for tag, kind, text in page.inline if kind != "application/json"]
        self.assertEqual([tag for tag, _ in executed], ["style", "script"])
        policy = dict(part.strip().split(" ", 1) for part in page.csp.split(";"))
        self.assertEqual(policy["default-src"], "'none'")
        for tag, text in executed:
            digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
            self.assertEqual(policy["script-src" if tag == "script" else "style-src"], f"'sha256-{digest}'")
        data = [text for _, kind, text in page.inline if kind == "application/json"][0]
        for raw in ("<", ">", "&", "\u2028", "\u2029"):
            self.assertNotIn(raw, data)
        parsed = json.loads(data)
        titles = [(a["id"], a["rubrik"], a["ansvariga"]) for a in parsed["yttrande"]["aktiviteter"]]
        self.assertEqual(titles, [("kartlaggning", "Kartläggning av våldsförebyggande arbete", []),
                                  ("hot-och-hat", HOSTILE_TITLE, ["polisen"])])

    def test_same_data_same_page(self):
        again = self.copy_project("igen")
        shutil.rmtree(os.path.join(again, "2023", "formular"))
        r = run(["-C", again, "new", "2023"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("hoppade över", r.stdout)
        with open(self.page, "rb") as a, open(os.path.join(again, "2023", "formular", "aneby.html"), "rb") as b:
            self.assertEqual(a.read(), b.read())

    def test_a_form_with_errors_gives_no_page_and_keeps_the_others(self):
        project = self.copy_project("trasigt-formular")
        pages = os.path.join(project, "2023", "formular")
        before = {name: open(os.path.join(pages, name), "rb").read() for name in os.listdir(pages)}
        form = os.path.join(project, "2023", "yttranden", "eksjo.yaml")
        with open(form, encoding="utf-8") as f:
            text = f.read()
        self.write(form, text.replace("aktiviteter: []", "aktiviteter:\n  - rubrik: Utan mål\n    status: klar"))
        line = text.splitlines().index("aktiviteter: []") + 2
        r = run(["-C", project, "new", "2023"])
        self.assertEqual(r.returncode, 2)
        self.assertRegex(r.stderr, rf"eksjo\.yaml:{line}:5: fel: ")
        self.assertIn("eksjo.yaml: fel: formuläret i HTML kan inte göras av ett yttrande med fel\n", r.stderr)
        self.assertNotIn("i HTML i", r.stdout)
        after = {name: open(os.path.join(pages, name), "rb").read() for name in os.listdir(pages)}
        self.assertEqual(after, before)

        # Pages for some actors leave the others' in place.
        self.write(form, text)
        os.remove(os.path.join(pages, "aneby.html"))
        r = run(["-C", project, "new", "2023", "--actor", "eksjo"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("skrev 1 formulär i HTML i ", r.stdout)
        self.assertEqual(sorted(os.listdir(pages)), [".lagesrapport-manifest", "eksjo.html", "lansstyrelsen.html",
                                                     "polisen.html"])

    def test_hostile_text_from_last_year_stays_text(self):
        h = self.result["hostile"]
        self.assertEqual(h["title"], "Yttrande 2023 från Aneby kommun")
        self.assertEqual(h["images"], 0)
        self.assertEqual(h["scripts"], 2)
        self.assertEqual(h["activities"], 2)
        self.assertEqual(h["rubrik"], HOSTILE_TITLE)
        self.assertEqual(h["heading"], "Aktivitet 2: " + HOSTILE_TITLE)
        self.assertEqual(h["beskrivning"], HOSTILE_TEXT)
        self.assertEqual(h["id"], "hot-och-hat")
        self.assertEqual(h["owners"], ["polisen"])

    def test_no_requests_console_errors_or_dialogs(self):
        self.assertEqual(self.result["requests"], [])
        self.assertEqual(self.result["console"], [])
        self.assertEqual(self.result["dialogs"], [])

    def test_axe_finds_no_violations(self):
        for when in ("axe_start", "axe_errors", "axe_filled", "axe_end"):
            self.assertEqual(self.result[when], [], when)

    def test_an_error_is_shown_beside_its_field_and_nothing_saved(self):
        shown = self.result["errors_shown"]
        self.assertEqual(shown["goal"], "Välj minst ett mål eller delmål för aktivitet 3.")
        self.assertEqual(shown["id"], "Id får bara ha små bokstäver a–z, siffror och bindestreck mellan dem, "
                                      "till exempel forum-kvinnofrid.")
        self.assertEqual(shown["invalid"], "true")
        self.assertIn("Formuläret har 2 fel", shown["summary"])
        self.assertEqual(shown["focused"], "sammanfattning")
        self.assertFalse(self.result["saved_despite_errors"])
        self.assertEqual(self.result["focus_after_add"], "akt3-rubrik")

    def test_saved_file_checks_unchanged(self):
        project = self.copy_project("svar")
        self.write(os.path.join(project, "2023", "yttranden", "aneby.yaml"), self.saved)
        r = run(["-C", project, "check", "2023"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("2023: 1 yttrande", r.stdout)
        self.assertNotIn("aneby.yaml:", r.stderr)

    def test_saved_file_says_what_was_typed(self):
        s = yaml.safe_load(self.saved)
        self.assertEqual(s["aktör"], "aneby")
        self.assertEqual(s["år"], 2023)
        self.assertRegex(str(s["inkom"]), r"^\d{4}-\d{2}-\d{2}$")
        self.assertEqual(s["kontakt"], {"namn": "Kim Kontakt", "epost": "kim@aneby.example"})
        self.assertEqual(s["styrdokument"], {"status": "under-arbete", "beskrivning": "Handlingsplanen revideras."})
        carried, hostile, added = s["aktiviteter"]
        self.assertEqual(carried, {
            "id": "kartlaggning", "rubrik": "Kartläggning av våldsförebyggande arbete", "mål": ["1:1"], "status": "genomförd",
            "beskrivning": "Kartläggningen blev klar i maj.\nRapporten finns hos kommunen.\n",
            "områden": ["vald-i-nara-relation"], "samverkan": ["lansstyrelsen"]})
        self.assertEqual(hostile, {"id": "hot-och-hat", "rubrik": HOSTILE_TITLE, "mål": ["2:3"],
                                   "ansvariga": ["polisen"], "status": "planerad", "beskrivning": HOSTILE_TEXT})
        self.assertEqual(added, {
            "id": "foraldraskapsstod-trygga-barn", "rubrik": "Föräldraskapsstöd \"Trygga barn\"",
            "mål": ["2:1", "1:2"], "ansvariga": ["eksjo"], "status": "planerad",
            "beskrivning": "Gruppträffar för föräldrar, med \"citat\", ett \\ snedstreck\u2028och en "
                           "radavgränsare.\n\n  Indraget stycke.",
            "områden": ["hedersvald"], "samverkan": ["polisen"], "målgrupp": "Föräldrar"})
        self.assertEqual(s["framgångsfaktorer"], "Tydligt uppdrag.")
        self.assertEqual(s["behov"], "Utbildning: \"grundkurs\" # inte en kommentar")
        self.assertNotIn("utmaningar", s)
        self.assertEqual(self.result["message"], "Yttrandet sparades som aneby.yaml i mappen för hämtade "
                                                 "filer. Skicka filen till Länsstyrelsen i Provlän.")

    def test_draft_survives_a_reload(self):
        after = self.result["after_reload"]
        self.assertEqual(len(after["activities"]), 3)
        self.assertEqual(after["activities"][2], "Aktivitet 3: Föräldraskapsstöd \"Trygga barn\"")
        self.assertEqual(after["contact"], "Kim Kontakt")
        self.assertIn("återställt från webbläsaren", after["notice"])
        self.assertEqual(self.result["after_reset"], 2)

    def test_reopening_the_saved_file_restores_the_form(self):
        self.assertEqual(self.result["after_open"]["activities"], self.result["after_reload"]["activities"])
        self.assertEqual(self.result["after_open"]["contact"], "kim@aneby.example")
        self.assertEqual(self.result["saved_again"], self.saved)
        self.assertEqual(self.result["pasted"], "Läste in yttrandet. Ändra det som behövs och spara igen.")

    def test_form_refuses_another_actors_file_and_broken_yaml(self):
        self.assertEqual(self.result["wrong_actor"],
                         "polisen.yaml: filen är yttrandet från Polisen, men formuläret gäller Aneby kommun; "
                         "öppna filen i det formulär som hör till den. Formuläret är oförändrat.")
        self.assertEqual(self.result["broken"],
                         "trasig.yaml: rad 4: texten inom citattecken tar aldrig slut. Formuläret är oförändrat.")
        self.assertEqual(self.result["kept"], 3)

    def test_check_catches_a_file_saved_for_another_actor(self):
        project = self.copy_project("fel-aktor")
        self.write(os.path.join(project, "2023", "yttranden", "polisen.yaml"), self.saved)
        r = run(["-C", project, "check", "2023"])
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"polisen\.yaml:3:9: fel: aktör \"aneby\" stämmer inte med filnamnet "
                                   r"polisen\.yaml\n")

    def test_check_catches_a_file_saved_for_another_year(self):
        project = self.copy_project("fel-ar")
        self.write(os.path.join(project, "2024", "yttranden", "aneby.yaml"), self.saved)
        r = run(["-C", project, "check", "2024"])
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"2024/yttranden/aneby\.yaml:4:5: fel: år 2023 stämmer inte med mappen 2024\n")

    def test_check_locates_a_hand_edited_mistake(self):
        project = self.copy_project("handredigerad")
        broken = self.saved.replace('    målgrupp: "Föräldrar"', '    målgrupp: "Föräldrar')
        self.assertNotEqual(broken, self.saved)
        path = os.path.join(project, "2023", "yttranden", "aneby.yaml")
        self.write(path, broken)
        line = broken.splitlines().index('    målgrupp: "Föräldrar') + 1
        r = run(["-C", project, "check", "2023"])
        self.assertEqual(r.returncode, 1)
        # The quote left open is named where it opens.
        self.assertRegex(r.stderr, rf"aneby\.yaml:{line}:15: fel: citattecknet \" öppnar en text som inte avslutas")
        with open(path, encoding="utf-8") as f:
            self.assertEqual(f.read(), broken)
        # A value the form would not have allowed is located exactly.
        wrong = self.saved.replace('status: "genomförd"', 'status: "klar"')
        self.write(path, wrong)
        line = wrong.splitlines().index('    status: "klar"') + 1
        r = run(["-C", project, "check", "2023"])
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, rf"aneby\.yaml:{line}:14: fel: okänd status \"klar\"")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
