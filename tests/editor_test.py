#!/usr/bin/python3
"""A form from `new` in an editor: npm's yaml-language-server (the language
server behind VS Code's YAML extension, tests/editor/package.json) opens it
over the Language Server Protocol, as the editor does. The first line of the
form leads it to the schema beside it; an untouched form gets no complaint,
a mistyped sub-goal, status and key each get one on their own line, and
completion after "mål:" offers the strategy's sub-goals with their text.

Usage: editor_test.py LAGESRAPPORT SOURCE_DIR NODE_DIR
"""
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import needs
import node_packages

BIN = SRC = NODE_DIR = None  # set from argv
HERE = os.path.dirname(os.path.abspath(__file__))


def install():
    """yaml-language-server from tests/editor/package-lock.json, installed once."""
    node_packages.install(SRC, NODE_DIR, "editor")
    server = os.path.join(NODE_DIR, "node_modules", ".bin", "yaml-language-server")
    if not os.path.exists(server):
        print("skipped: npm ci did not install yaml-language-server")
        sys.exit(needs.SKIPPED)
    return server


class LanguageServer:
    """Just enough of an LSP client: requests, notifications, and answers to
    the server's own requests for settings."""

    SETTINGS = {"validate": True, "completion": True, "hover": True,
                "schemaStore": {"enable": False}}

    def __init__(self, program, root):
        self.proc = subprocess.Popen([program, "--stdio"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.buf = b""
        self.next_id = 0
        self.diagnostics = {}
        self.request("initialize", {"processId": os.getpid(), "rootUri": "file://" + root,
                                    "capabilities": {}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": self.SETTINGS}})

    def close(self):
        self.proc.kill()
        self.proc.wait()
        self.proc.stdin.close()
        self.proc.stdout.close()

    def send(self, message):
        body = json.dumps(dict(message, jsonrpc="2.0")).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def receive(self, deadline):
        while time.time() < deadline:
            if b"\r\n\r\n" in self.buf:
                head, rest = self.buf.split(b"\r\n\r\n", 1)
                length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length"))
                if len(rest) >= length:
                    self.buf = rest[length:]
                    return self.handle(json.loads(rest[:length]))
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    raise AssertionError("the language server stopped")
                self.buf += chunk
        return None

    def handle(self, m):
        if m.get("method") == "workspace/configuration":
            self.send({"id": m["id"], "result": [self.SETTINGS] * len(m["params"]["items"])})
        elif m.get("method") == "textDocument/publishDiagnostics":
            self.diagnostics[m["params"]["uri"]] = m["params"]["diagnostics"]
        elif "method" in m and "id" in m:
            self.send({"id": m["id"], "result": None})
        return m

    def request(self, method, params, timeout=60):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        deadline = time.time() + timeout
        while True:
            m = self.receive(deadline)
            if m is None:
                raise AssertionError(f"no answer to {method}")
            if m.get("id") == self.next_id and "method" not in m:
                return m.get("result")

    def open(self, path, timeout=60):
        """The diagnostics of a document the server has read with its schema."""
        uri = "file://" + path
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.diagnostics.pop(uri, None)
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        deadline = time.time() + timeout
        while uri not in self.diagnostics and time.time() < deadline:
            self.receive(deadline)
        # The first answer may come before the schema is read; a second
        # request settles it (the server validates again on request).
        self.request("textDocument/hover", {"textDocument": {"uri": uri},
                                            "position": {"line": 1, "character": 0}})
        return uri


class EditorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        server = install()
        cls.tmp = tempfile.mkdtemp(prefix="lr-editor-")
        cls.project = os.path.join(cls.tmp, "jonkoping")
        shutil.copytree(os.path.join(SRC, "data", "jonkoping"), cls.project)
        r = subprocess.run([BIN, "-C", cls.project, "new", "2023", "--actor", "aneby,eksjo"],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        cls.folder = os.path.join(cls.project, "2023", "yttranden")
        cls.lsp = LanguageServer(server, cls.project)

    @classmethod
    def tearDownClass(cls):
        cls.lsp.close()
        shutil.rmtree(cls.tmp)

    def diagnostics_of(self, uri, settle=5):
        """Waits until the server has said the same thing for `settle` seconds."""
        deadline = time.time() + 60
        last, since = None, time.time()
        while time.time() < deadline:
            now = self.lsp.diagnostics.get(uri)
            if now != last:
                last, since = now, time.time()
            elif time.time() - since >= settle:
                break
            self.lsp.receive(time.time() + 0.5)
        return [(d["range"]["start"]["line"] + 1, d["message"]) for d in last or []]

    def test_an_untouched_form_has_nothing_to_complain_about(self):
        path = os.path.join(self.folder, "eksjo.yaml")
        uri = self.lsp.open(path)
        self.assertEqual(self.diagnostics_of(uri), [])
        # Nothing to say, and not for want of a schema: it describes the keys.
        with open(path, encoding="utf-8") as f:
            line = next(i for i, text in enumerate(f.read().split("\n")) if text.startswith("aktör:"))
        hover = self.lsp.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                        "position": {"line": line, "character": 1}})
        self.assertIn("Aktörens id i aktörsregistret", json.dumps(hover, ensure_ascii=False))

    def test_mistakes_are_flagged_and_subgoals_completed(self):
        path = os.path.join(self.folder, "aneby.yaml")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertTrue(text.startswith("# yaml-language-server: $schema=yttrande.schema.json\n"))
        mistakes = ('  - rubrik: Samtalsgrupper\n'
                    '    mål: ["1:9"]\n'
                    '    status: klar\n'
                    '    delmal: x\n')
        self.assertIn("\naktiviteter:\n", text)
        text = text.replace("\naktiviteter:\n", "\naktiviteter:\n" + mistakes, 1)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        lines = text.split("\n")
        line_of = {key: lines.index(line) + 1 for key, line in
                   [("mål", '    mål: ["1:9"]'), ("status", "    status: klar"),
                    ("delmal", "    delmal: x")]}
        uri = self.lsp.open(path)
        found = self.diagnostics_of(uri)
        self.assertEqual(sorted(line for line, _ in found), sorted(line_of.values()), found)
        by_line = dict(found)
        self.assertIn('"1:1"', by_line[line_of["mål"]])
        self.assertIn('"pågående"', by_line[line_of["status"]])
        self.assertIn("delmal", by_line[line_of["delmal"]])

        items = self.lsp.request("textDocument/completion", {
            "textDocument": {"uri": uri},
            "position": {"line": line_of["mål"] - 1, "character": len('    mål: ["')}})
        items = items["items"] if isinstance(items, dict) else items
        offered = {}
        for item in items:
            doc = item.get("documentation") or ""
            offered[item["label"].strip('"')] = doc if isinstance(doc, str) else doc.get("value", "")
        self.assertIn("1:1", offered)
        self.assertIn("5:5", offered)
        self.assertIn("Delmål 1:1: Arbeta för universella", offered["1:1"])


if __name__ == "__main__":
    BIN = os.path.abspath(sys.argv.pop(1))
    SRC = os.path.abspath(sys.argv.pop(1))
    NODE_DIR = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
