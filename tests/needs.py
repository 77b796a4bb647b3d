"""The real tools a test checks the program with, looked up before it starts.

The end-to-end tests read the program's output with what a user has: a
browser, an SMTP server, a spreadsheet reader, git, dpkg-deb. Without the
tool such a test checks nothing, so it must not pass: it exits with 77,
which ctest reports as skipped (SKIP_RETURN_CODE 77 on the test), and
`./bootstrap test`, which installs every tool, counts a skip as a failure.
"""
import importlib
import shutil
import sys

SKIPPED = 77


def _missing(what, package):
    print(f"skipped: {what} is missing; install the Debian package {package} "
          "(./bootstrap test installs it)")
    sys.stdout.flush()
    sys.exit(SKIPPED)


def program(*names, package):
    """The path of the first of names found on PATH; exits 77 if none is."""
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return _missing(" or ".join(names), package)


def module(name, package):
    """The Python module name, imported; exits 77 if it cannot be."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return _missing(f"the Python module {name}", package)
