#!/usr/bin/python3
"""Every shipped region's report and feedback pages, as a reader with a
screen reader, a keyboard or a phone meets them: built by the program,
opened in Debian's Chromium at 1280 and 390 px, and checked by npm's
axe-core against WCAG 2.1 AA. Zero violations anywhere.

Usage: axe_test.py LAGESRAPPORT SOURCE_DIR NODE_DIR
"""
import glob
import json
import os
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


def years(region):
    return sorted(int(d) for d in os.listdir(region) if d.isdigit() and
                  os.path.isdir(os.path.join(region, d, "yttranden")))


class AxeTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lr-axe-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_every_region_has_no_violations(self):
        node_packages.install(SRC, NODE_DIR)
        pages = []
        regions = sorted(glob.glob(os.path.join(SRC, "data", "*", "lagesrapport.yaml")))
        self.assertGreaterEqual(len(regions), 5)
        for config in regions:
            region = os.path.dirname(config)
            for year in years(region):
                out = os.path.join(self.tmp, os.path.basename(region), str(year))
                r = subprocess.run([BIN, "-C", region, "build", str(year), "--out", out, "--format", "html"],
                                   capture_output=True, text=True, timeout=300)
                self.assertEqual(r.returncode, 0, r.stderr)
                report = os.path.join(out, f"lagesrapport-{year}.html")
                feedback = sorted(glob.glob(os.path.join(out, "aterkoppling", "*.html")))
                self.assertTrue(os.path.exists(report))
                self.assertTrue(feedback, out)
                pages += [report] + feedback
        # A period's report has tables of its own: answers per year.
        out = os.path.join(self.tmp, "jonkoping", "2021-2022")
        r = subprocess.run([BIN, "-C", os.path.join(SRC, "data", "jonkoping"), "build", "2021-2022", "--out", out,
                            "--format", "html"], capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        pages.append(os.path.join(out, "lagesrapport-2021-2022.html"))
        result = os.path.join(self.tmp, "axe.json")
        r = subprocess.run([NODE, os.path.join(SRC, "tests", "browser", "axe_pages.js"), NODE_DIR, result]
                           + pages, capture_output=True, text=True, timeout=1200,
                           env=dict(os.environ, CHROMIUM=CHROMIUM))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with open(result, encoding="utf-8") as f:
            found = json.load(f)
        self.assertEqual(len(found), 2 * len(pages))
        bad = {page: v for page, v in found.items() if v}
        self.assertEqual(bad, {}, json.dumps(bad, ensure_ascii=False, indent=1)[:4000])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
