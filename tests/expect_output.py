#!/usr/bin/python3
"""Runs a command and passes only if it exits 0 and its standard output
matches a regular expression.

    expect_output.py REGEX COMMAND [ARGUMENT...]

ctest's PASS_REGULAR_EXPRESSION on its own ignores the exit status, so a
program that printed the right line and then failed, crashed or leaked
under AddressSanitizer would pass. Both streams are passed through for
ctest's log.
"""
import os
import re
import subprocess
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    pattern, command = sys.argv[1], sys.argv[2:]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, NO_COLOR="1"))
    sys.stdout.write(proc.stdout)
    sys.stdout.write(proc.stderr)
    failures = 0
    if proc.returncode != 0:
        failures += 1
        print(f"exit status {proc.returncode}, want 0")
    if not re.search(pattern, proc.stdout):
        failures += 1
        print(f"standard output does not match {pattern!r}")
    print(f"{2 - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
