#!/usr/bin/python3
"""The HTML pages in a real browser: the Jönköping report and a feedback
page rendered by headless Chromium, with every network request the page
tries caught by a local proxy that must see none.

Usage: browser_test.py LAGESRAPPORT SOURCE_DIR
"""
import http.server
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import unittest

import needs

BIN = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
CHROMIUM = needs.program("chromium", "chromium-browser", package="chromium")


class NoRequests(http.server.BaseHTTPRequestHandler):
    """A proxy that only counts: every request the page made would pass here."""
    seen = []

    def do_GET(self):
        NoRequests.seen.append(self.path)
        self.send_response(404)
        self.end_headers()

    do_CONNECT = do_POST = do_HEAD = do_GET

    def log_message(self, *args):
        pass


class BrowserTest(unittest.TestCase):
    def test_report_renders_offline(self):
        tmp = tempfile.mkdtemp(prefix="lr-chromium-")
        try:
            out = os.path.join(tmp, "out")
            r = subprocess.run([BIN, "-C", os.path.join(SRC, "data", "jonkoping"), "build", "2022",
                                "--out", out, "--format", "html"], capture_output=True, text=True, timeout=120)
            self.assertEqual(r.returncode, 0, r.stderr)
            proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NoRequests)
            threading.Thread(target=proxy.serve_forever, daemon=True).start()
            shot = os.path.join(tmp, "sida.png")
            for page in ["lagesrapport-2022.html", "aterkoppling/aneby.html"]:
                if os.path.exists(shot):
                    os.remove(shot)
                cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                       "--no-first-run", "--disable-background-networking", "--disable-component-update",
                       "--disable-sync", "--disable-extensions", f"--user-data-dir={tmp}/profil",
                       f"--proxy-server=http://127.0.0.1:{proxy.server_address[1]}",
                       "--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND",
                       "--window-size=1024,3000", f"--screenshot={shot}",
                       "file://" + os.path.join(out, page)]
                subprocess.run(cmd, capture_output=True, timeout=120)
                self.assertTrue(os.path.exists(shot), page)
                with open(shot, "rb") as f:
                    data = f.read()
                self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
                width, height = struct.unpack(">II", data[16:24])
                self.assertEqual((width, height), (1024, 3000), page)
                # A blank page compresses to almost nothing; a rendered report does not.
                self.assertGreater(len(data), 50_000, page)
            proxy.shutdown()
            self.assertEqual(NoRequests.seen, [], "the page made network requests")
        finally:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
