"""npm packages for the browser tests (tests/browser/package-lock.json),
installed once into a folder of the build and shared by the tests that
drive Chromium. A test that cannot install them is skipped, which CI
counts as a failure."""
import hashlib
import os
import shutil
import subprocess
import sys

import needs


def install(src, node_dir):
    """npm ci into node_dir, unless the same lock file is installed there."""
    npm = needs.program("npm", package="npm")
    lock_path = os.path.join(src, "tests", "browser", "package-lock.json")
    with open(lock_path, "rb") as f:
        lock = hashlib.sha256(f.read()).hexdigest()
    stamp = os.path.join(node_dir, "installed-lock.sha256")
    if os.path.exists(stamp) and open(stamp).read() == lock:
        return
    os.makedirs(node_dir, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(os.path.join(src, "tests", "browser", name), node_dir)
    r = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=node_dir,
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        print(r.stdout + r.stderr)
        print("skipped: npm ci could not install puppeteer-core and axe-core")
        sys.exit(needs.SKIPPED)
    with open(stamp, "w") as f:
        f.write(lock)
