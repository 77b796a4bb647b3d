"""npm packages for the tests that need them (tests/<folder>/package-lock.json),
installed once into a folder of the build. A test that cannot install them
is skipped, which CI counts as a failure."""
import hashlib
import os
import shutil
import subprocess
import sys
import time

import needs

# The registry is reached over the network, which may drop a request now and
# then; a failed install is tried again before the test gives up.
ATTEMPTS = 3


def install(src, node_dir, folder="browser"):
    """npm ci into node_dir, unless the same lock file is installed there."""
    npm = needs.program("npm", package="npm")
    lock_path = os.path.join(src, "tests", folder, "package-lock.json")
    with open(lock_path, "rb") as f:
        lock = hashlib.sha256(f.read()).hexdigest()
    stamp = os.path.join(node_dir, "installed-lock.sha256")
    if os.path.exists(stamp) and open(stamp).read() == lock:
        return
    os.makedirs(node_dir, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(os.path.join(src, "tests", folder, name), node_dir)
    # npm trusts the certificates the machine trusts, as apt and curl do, so
    # that a registry reached through the organisation's proxy works here too.
    env = dict(os.environ)
    system_store = "/etc/ssl/certs/ca-certificates.crt"
    if os.path.exists(system_store) and "npm_config_cafile" not in env:
        env["npm_config_cafile"] = system_store
    for attempt in range(1, ATTEMPTS + 1):
        r = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=node_dir,
                           capture_output=True, text=True, timeout=600, env=env)
        if r.returncode == 0:
            break
        print(f"npm ci, försök {attempt} av {ATTEMPTS}:\n" + r.stdout + r.stderr)
        if attempt < ATTEMPTS:
            time.sleep(10 * attempt)
    else:
        print(f"skipped: npm ci could not install tests/{folder}/package-lock.json")
        sys.exit(needs.SKIPPED)
    with open(stamp, "w") as f:
        f.write(lock)
