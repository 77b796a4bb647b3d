#!/usr/bin/python3
"""Curated examples and the complete appendix, on Jönköping 2022 as the
county publishes it: the body shows exactly the examples rapport.yaml
chooses, in its order, and "Bilaga: samtliga aktiviteter" lists every
published activity of the statements exactly once. Without a choice the
report picks a few per goal and says so; citations become numbered links
to the sources.

Usage: examples_test.py LAGESRAPPORT SOURCE_DIR
"""
import glob
import html
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


def text(fragment):
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def goal_sections(page):
    """Goal id -> the HTML of its section, up to the next section."""
    parts = re.split(r'<section aria-labelledby="', page)
    out = {}
    for part in parts:
        m = re.match(r'mal-\d+">\s*<h2 id="mal-\d+">Mål (\S+) –', part)
        if m:
            out[m.group(1)] = part
    return out


def appendix_rows(page):
    m = re.search(r'<section aria-labelledby="bilaga".*?</section>', page, re.S)
    if not m:
        return []
    return [tuple(text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S))
            for row in re.findall(r"<tr>(.*?)</tr>", m.group(0).split("<tbody>", 1)[-1], re.S)
            if "<th scope=\"row\">" in row]


class Jonkoping(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lr-examples-")
        self.project = os.path.join(self.tmp, "jonkoping")
        shutil.copytree(os.path.join(SRC, "data", "jonkoping"), self.project)
        self.statements = []
        for path in sorted(glob.glob(os.path.join(self.project, "2022", "yttranden", "*.yaml"))):
            with open(path, encoding="utf-8") as f:
                self.statements.append(yaml.safe_load(f))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def build(self):
        out = os.path.join(self.tmp, "ut")
        r = subprocess.run([BIN, "-C", self.project, "build", "2022", "--out", out, "--format", "md,html"],
                           capture_output=True, text=True, timeout=120, env=dict(os.environ, NO_COLOR="1"))
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "lagesrapport-2022.html"), encoding="utf-8") as f:
            return f.read()

    def published(self):
        """Each published activity once: a joint one may be written by
        several owners, and is the same activity."""
        seen, headings = set(), []
        for s in self.statements:
            for a in s.get("aktiviteter") or []:
                if a.get("intern"):
                    continue
                owners = frozenset([s["aktör"], *(a.get("ansvariga") or [])])
                key = (owners, a.get("id")) if a.get("id") else None
                if key and key in seen:
                    continue
                seen.add(key)
                headings.append(a["rubrik"])
        return headings

    def heading_of(self, ref):
        actor, ident = ref.split("/")
        for s in self.statements:
            for a in s.get("aktiviteter") or []:
                owners = [s["aktör"], *(a.get("ansvariga") or [])]
                if a.get("id") == ident and actor in owners:
                    return a["rubrik"]
        self.fail(f"{ref} finns inte i yttrandena")

    def rapport(self):
        with open(os.path.join(self.project, "2022", "rapport.yaml"), encoding="utf-8") as f:
            return yaml.safe_load(f)

    def test_appendix_lists_every_published_activity_once(self):
        rows = appendix_rows(self.build())
        self.assertEqual(sorted(r[0] for r in rows), sorted(self.published()))
        for row in rows:
            self.assertEqual(len(row), 4, row)
            self.assertRegex(row[2], r"^(mål|delmål) ")
            self.assertIn(row[3], ("planerad", "pågående", "genomförd", "avbruten"))

    def test_body_shows_the_chosen_examples_in_their_order(self):
        sections = goal_sections(self.build())
        for goal, texts in self.rapport()["mål"].items():
            want = [self.heading_of(e if isinstance(e, str) else e["aktivitet"]) for e in texts["exempel"]]
            got = [text(h) for h in re.findall(r'<article class="aktivitet">\s*<h4>(.*?)</h4>', sections[goal], re.S)]
            self.assertEqual(got, want, f"mål {goal}")

    def test_lead_ins_stand_before_their_example(self):
        sections = goal_sections(self.build())
        two = text(sections["2"])
        lead = "Att upptäcka våld som chef och kollega är ett perspektiv som flera kommuner lyft i årets rapportering."
        self.assertIn(lead, re.sub(r"\s+", " ", two))
        flat = re.sub(r"\s+", " ", two)
        self.assertLess(flat.index(lead), flat.index("Frågan om våld i omtankesamtal"))

    def test_without_a_choice_a_few_per_goal_and_the_report_says_so(self):
        path = os.path.join(self.project, "2022", "rapport.yaml")
        texts = self.rapport()
        del texts["mål"]
        with open(path, "w", encoding="utf-8") as f:
            yaml.safe_dump(texts, f, allow_unicode=True)
        page = self.build()
        sections = goal_sections(page)
        for goal, section in sections.items():
            shown = re.findall(r'<article class="aktivitet">', section)
            self.assertGreater(len(shown), 0, goal)
            self.assertLessEqual(len(shown), 4, goal)
            self.assertIn("Här visas ett urval", text(section), goal)
        self.assertEqual(sorted(r[0] for r in appendix_rows(page)), sorted(self.published()))

    def test_citations_are_numbered_links_to_the_sources(self):
        page = self.build()
        self.assertIn('<a href="#kalla-1">[1]</a>', page)
        sources = re.search(r'<ol class="kallor">(.*?)</ol>', page, re.S).group(1)
        self.assertIn('<li id="kalla-1">', sources)
        self.assertIn("Inget att vänta på", text(sources))
        self.assertNotIn("[^", page)


if __name__ == "__main__":
    BIN, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"])
