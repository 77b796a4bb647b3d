#!/usr/bin/python3
"""Published outputs name organisations, never people: no contact person's
name or address from any statement appears in the report (md, html), the
workbook (xlsx) or a Word file, and an actor's feedback names no other
actor's contact. Only `build --intern` names them, in a file that says so
outside the reports folder,
and `mail` attaches only published files and the actor's own feedback.

The contacts are read from the statements with PyYAML, not from the
program, and the internal workbook is checked to hold them, so that the
search below is known to look in the right places.

Usage: privacy_test.py LAGESRAPPORT SOURCE_DIR
"""
import email
import email.policy
import html
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile

import needs

yaml = needs.module("yaml", "python3-yaml")

BIN = SRC = None  # set from argv
YEARS = ("2021", "2022")
# SOURCE_DATE_EPOCH for the messages: 2023-12-04 09:15:00 UTC.
EPOCH = "1701681300"


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def text_of(path):
    """What a reader of the file sees, as searchable text: the XML parts of
    an Office file, every file with entities decoded."""
    if path.endswith((".xlsx", ".docx")):
        with zipfile.ZipFile(path) as z:
            raw = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    else:
        with open(path, encoding="utf-8") as f:
            raw = f.read()
    return html.unescape(raw)


class PrivacyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lr-privacy-")
        cls.project = os.path.join(cls.tmp, "jonkoping")
        shutil.copytree(os.path.join(SRC, "data", "jonkoping"), cls.project,
                        ignore=shutil.ignore_patterns("out"))
        # actor -> {name and address of its contact, over all years}, and
        # year -> the same for that year's statements
        cls.contacts, cls.by_year = {}, {}
        for year in YEARS:
            folder = os.path.join(cls.project, year, "yttranden")
            for name in sorted(os.listdir(folder)):
                contact = load(os.path.join(folder, name)).get("kontakt") or {}
                found = {v for v in (contact.get("namn"), contact.get("epost")) if v}
                cls.contacts.setdefault(name[:-5], set()).update(found)
                cls.by_year.setdefault(year, set()).update(found)
        for year in YEARS:
            r = cls.run_lr("build", year, "--intern")
            assert r.returncode == 0, r.stderr
            assert f"intern/{year}/lagesrapport-{year}-intern.xlsx: den interna arbetsboken" in r.stdout

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    @classmethod
    def run_lr(cls, *args):
        env = dict(os.environ, NO_COLOR="1", SOURCE_DATE_EPOCH=EPOCH)
        return subprocess.run([BIN, "-C", cls.project] + list(args), env=env,
                              capture_output=True, text=True, timeout=300)

    def everyone(self, but=None):
        return {c for actor, found in self.contacts.items() if actor != but for c in found}

    def outputs(self, year):
        out = os.path.join(self.project, "out", year)
        for folder, _, files in os.walk(out):
            for name in sorted(files):
                if name.endswith((".md", ".html", ".xlsx", ".docx")):
                    yield os.path.relpath(os.path.join(folder, name), out), os.path.join(folder, name)

    def test_the_statements_have_contacts_to_look_for(self):
        self.assertGreaterEqual(len(self.everyone()), 20)
        self.assertTrue(all("@" in c or " " in c for c in self.everyone()))

    def test_only_the_internal_workbook_names_them(self):
        for year in YEARS:
            seen = {}
            for rel, path in self.outputs(year):
                text = text_of(path)
                actor = rel.split("/")[1].rsplit(".", 1)[0] if rel.startswith("aterkoppling/") else None
                # Feedback may name its own actor's contact, no one else's.
                leaked = sorted(c for c in self.everyone(but=actor) if c in text)
                seen[rel] = leaked
            internal = os.path.join(self.project, "intern", year, f"lagesrapport-{year}-intern.xlsx")
            with self.subTest(year=year):
                self.assertEqual([n for n in seen if "intern" in n], [])
                answered = os.listdir(os.path.join(self.project, year, "yttranden"))
                # The search finds them where they are.
                text = text_of(internal)
                self.assertEqual(sorted(c for c in self.by_year[year] if c not in text), [])
                self.assertIn(f"lagesrapport-{year}.xlsx", seen)
                self.assertIn(f"lagesrapport-{year}.html", seen)
                self.assertIn(f"lagesrapport-{year}.md", seen)
                self.assertEqual(len([r for r in seen if r.startswith("aterkoppling/")]), 2 * len(answered))
                self.assertEqual({rel: leaked for rel, leaked in seen.items() if leaked}, {})

    def test_mail_attaches_only_published_files_and_own_feedback(self):
        r = self.run_lr("mail", "2022")
        self.assertEqual(r.returncode, 0, r.stderr)
        folder = os.path.join(self.project, "utskick", "2022", "rapport")
        messages = sorted(n for n in os.listdir(folder) if n.endswith(".eml"))
        self.assertEqual(len(messages), 11)
        for name in messages:
            actor = name[:-4]
            with self.subTest(actor=actor):
                with open(os.path.join(folder, name), "rb") as f:
                    m = email.message_from_bytes(f.read(), policy=email.policy.default)
                names = [p.get_filename() for p in m.iter_attachments()]
                self.assertEqual(names, [f"aterkoppling-2022-{actor}.html", "lagesrapport-2022.html",
                                         "lagesrapport-2022.xlsx"])
                for part in m.iter_attachments():
                    path = os.path.join(self.tmp, "bilaga." + part.get_filename().rsplit(".", 1)[1])
                    with open(path, "wb") as f:
                        f.write(part.get_payload(decode=True))
                    text = text_of(path)
                    self.assertEqual(sorted(c for c in self.everyone(but=actor) if c in text), [],
                                     part.get_filename())
                body = m.get_body(("plain",)).get_content()
                self.assertEqual(sorted(c for c in self.everyone() if c in body), [])


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    BIN, SRC = os.path.abspath(sys.argv.pop(1)), os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=1)
