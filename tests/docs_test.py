#!/usr/bin/python3
"""docs/format.md kept true by the sources: every key in a KEYS table of the
loaders (src/model/*.c) and every value of the token tables (statuses, plan
statuses, actor types in src/model/labels.c) is written in the reference as
`code`, so a key added to a loader without its documentation fails here.
The README and the documents link only to files the repository has, and
none of them sends the reader to a specification it does not have.

Usage: docs_test.py SOURCE_DIR
"""
import glob
import os
import re
import sys
import unittest

SRC = None  # set from argv

KEYS_TABLE = re.compile(r"const char \*const ([A-Z_]*KEYS)\[\] = \{(.*?)\};", re.S)
TOKENS_TABLE = re.compile(r"const char \*const (lr_[a-z_]*tokens)\[[^]]*\] = \{(.*?)\};", re.S)
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def read(relpath):
    with open(os.path.join(SRC, relpath), encoding="utf-8") as f:
        return f.read()


def tables(pattern, text):
    return {m.group(1): STRING.findall(m.group(2)) for m in pattern.finditer(text)}


class FormatReference(unittest.TestCase):
    def setUp(self):
        self.doc = read("docs/format.md")

    def test_every_key_the_loaders_accept_is_documented(self):
        found = 0
        for path in sorted(glob.glob(os.path.join(SRC, "src", "model", "*.c"))):
            with open(path, encoding="utf-8") as f:
                for table, keys in tables(KEYS_TABLE, f.read()).items():
                    for key in keys:
                        found += 1
                        with self.subTest(file=os.path.basename(path), table=table, key=key):
                            self.assertTrue(f"`{key}`" in self.doc)
        # The tables are where the pattern looks: an edit that hides them
        # from it must not pass as "nothing to document".
        self.assertGreater(found, 40)

    def test_every_allowed_value_is_documented(self):
        found = tables(TOKENS_TABLE, read("src/model/labels.c"))
        self.assertEqual(sorted(found), ["lr_actor_type_tokens", "lr_plan_status_tokens",
                                         "lr_status_tokens"])
        for table, values in found.items():
            for value in values:
                with self.subTest(table=table, value=value):
                    self.assertTrue(f"`{value}`" in self.doc)

    def test_every_command_is_documented(self):
        table = re.search(r"COMMANDS\[\] = \{(.*?)\};", read("cli/main.c"), re.S).group(1)
        commands = re.findall(r"&cmd_([a-z]+)_command", table)
        self.assertIn("init", commands)
        for command in commands:
            with self.subTest(command=command):
                self.assertTrue(f"lagesrapport {command}" in self.doc + read("README.md"))


class Links(unittest.TestCase):
    def setUp(self):
        self.docs = ["README.md"] + sorted(os.path.relpath(p, SRC)
                                           for p in glob.glob(os.path.join(SRC, "docs", "*.md")))

    def test_local_links_point_at_files(self):
        for doc in self.docs:
            text = read(doc)
            for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
                if re.match(r"[a-z]+:", target):
                    continue
                with self.subTest(doc=doc, target=target):
                    path = os.path.normpath(os.path.join(SRC, os.path.dirname(doc), target))
                    self.assertTrue(os.path.exists(path))

    def test_named_documents_exist(self):
        for doc in self.docs:
            text = read(doc)
            m = re.search(r"(?i)(?<!officiella )(?<!mustache-)specifikationen\b", text)
            self.assertIsNone(m and text[max(0, m.start() - 60):m.end()], doc)
            for name in re.findall(r"`(docs/[A-Za-z0-9_.-]+)`", text):
                with self.subTest(doc=doc, name=name):
                    self.assertTrue(os.path.exists(os.path.join(SRC, name)))

    def test_readme_links_to_the_reference(self):
        self.assertIn("(docs/format.md)", read("README.md"))


if __name__ == "__main__":
    SRC = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
