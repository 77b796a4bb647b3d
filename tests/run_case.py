#!/usr/bin/python3
"""Runs one data-driven test case of the command line.

A case file (tests/cases/*.case) names the files to add to or delete from a
copy of a fixture project, the command line to run there, and what must come
out. Sections:

    # free-text description (lines before the first section)
    -- fixture --          optional: the fixture directory (default: minimal)
    -- args --             the arguments after `lagesrapport`, shell-split
    -- stdout-to --        optional: a file standard output goes to instead of
                           being captured, e.g. /dev/full for a failed write
    -- file: PATH --       content written to PATH in the copy (UTF-8)
    -- delete: PATH --     PATH removed from the copy
    -- link: PATH --       PATH made a symbolic link to the body's one line
    -- exit --             the expected exit code (required)
    -- stdout --           expected standard output, exactly
    -- stderr --           expected standard error, exactly

A missing stdout or stderr section means that stream must be empty: a
command that starts printing something new fails its cases until the
expectation is written down. Any other section name, or a section given
twice, is an error in the case, so that a misspelt section cannot turn
into an unchecked one.

Run with --update to rewrite the expected sections from what the program
prints now (a stream that printed nothing gets no section); review the
diff before committing it.
"""
import contextlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

SECTION = re.compile(r"^-- (.+?) --$")


def parse(text):
    header, sections, current = [], [], None
    for line in text.splitlines(keepends=True):
        m = SECTION.match(line.rstrip("\n"))
        if m:
            current = [m.group(1), ""]
            sections.append(current)
        elif current is None:
            header.append(line)
        else:
            current[1] += line
    return "".join(header), sections


def problems(sections):
    """What is wrong with the case file itself, as messages."""
    out, seen = [], set()
    for name, _ in sections:
        known = name in ("fixture", "args", "stdout-to", "exit", "stdout", "stderr") \
            or name.startswith(("file: ", "delete: ", "link: "))
        if not known:
            out.append(f"unknown section -- {name} --")
        elif name in seen:
            out.append(f"section -- {name} -- given twice")
        seen.add(name)
    if "exit" not in seen:
        out.append("the case has no -- exit -- section")
    return out


def render(header, sections):
    out = header
    for name, body in sections:
        out += f"-- {name} --\n{body}"
    return out


def main():
    update = "--update" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--update"]
    binary, case_path = os.path.abspath(args[0]), args[1]
    here = os.path.dirname(os.path.abspath(__file__))
    with open(case_path, encoding="utf-8") as f:
        header, sections = parse(f.read())
    wrong = problems(sections)
    if update:  # --update writes the exit section; everything else must be right
        wrong = [w for w in wrong if "-- exit --" not in w]
    if wrong:
        for message in wrong:
            print(f"{case_path}: {message}")
        print("0 passed, 1 failed")
        return 1
    get = {name: body for name, body in sections}
    fixture = get.get("fixture", "minimal\n").strip()

    with tempfile.TemporaryDirectory(prefix="lr-case-") as tmp:
        work = os.path.join(tmp, "projekt")
        shutil.copytree(os.path.join(here, "fixtures", fixture), work)
        for name, body in sections:
            if name.startswith("file: "):
                path = os.path.join(work, name[6:])
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(body)
            elif name.startswith("link: "):
                path = os.path.join(work, name[6:])
                os.makedirs(os.path.dirname(path), exist_ok=True)
                if os.path.lexists(path):
                    os.remove(path)
                os.symlink(body.strip("\n"), path)
            elif name.startswith("delete: "):
                path = os.path.join(work, name[8:])
                if os.path.isdir(path):
                    shutil.rmtree(path)
                else:
                    os.remove(path)
        env = dict(os.environ, NO_COLOR="1", LC_ALL="C.UTF-8")
        stdout_to = get.get("stdout-to", "").strip()
        with open(stdout_to, "wb") if stdout_to else contextlib.nullcontext(subprocess.PIPE) as out:
            proc = subprocess.run([binary] + shlex.split(get.get("args", "check")),
                                  cwd=work, env=env, stdout=out, stderr=subprocess.PIPE, timeout=60)
        got = {
            "exit": f"{proc.returncode}\n",
            "stdout": (proc.stdout or b"").decode("utf-8", "replace"),
            "stderr": proc.stderr.decode("utf-8", "replace"),
        }

    if update:
        sections = [[n, got[n] if n in got else b] for n, b in sections]
        names = [n for n, _ in sections]
        for n in ("exit", "stdout", "stderr"):
            if n not in names and (n == "exit" or got[n]):
                sections.append([n, got[n]])
        with open(case_path, "w", encoding="utf-8") as f:
            f.write(render(header, sections))
        print(f"updated {case_path}")
        return 0

    failures = 0
    for name in ("exit", "stdout", "stderr"):
        want = get.get(name, "")
        if want != got[name]:
            failures += 1
            print(f"{name} differs.\n--- want\n{want}--- got\n{got[name]}---")
    print(f"{3 - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
