#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that po/POTFILES.in lists exactly the files that need translating.

Fails when a file under src/ or data/ has translatable strings (_(, N_(, C_(, NC_(,
translatable="yes", or is a desktop/metainfo/schema source) but is not listed, or when a
listed file does not exist (xgettext would stop on it).

Usage: check-potfiles.py SOURCE_ROOT
"""

import pathlib
import re
import sys

SCANNED_DIRS = ("src", "data")
MARKERS = re.compile(r'(?<![A-Za-z0-9_])(?:N|C|NC)?_ ?\(|translatable="yes"')
ALWAYS_TRANSLATABLE = (".desktop.in", ".metainfo.xml.in", ".gschema.xml")
# Python files are tutorial code or tools here, and Python code is never translated.
TEXT_SUFFIXES = (".c", ".h", ".ui", ".in", ".xml", ".json", ".js", ".blp")


def needs_translation(path):
    name = path.name
    if name.endswith(ALWAYS_TRANSLATABLE):
        return True
    if not name.endswith(TEXT_SUFFIXES):
        return False
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return False
    return MARKERS.search(text) is not None


def read_potfiles(potfiles):
    listed = []
    for line in potfiles.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            listed.append(line)
    return listed


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2

    root = pathlib.Path(sys.argv[1])
    potfiles = root / "po" / "POTFILES.in"
    listed = read_potfiles(potfiles)
    problems = []

    seen = set()
    for entry in listed:
        if entry in seen:
            problems.append(f"{entry}: listed twice in po/POTFILES.in; remove one line")
        seen.add(entry)
        if not (root / entry).is_file():
            problems.append(f"{entry}: listed in po/POTFILES.in but the file does not exist; "
                            "remove the line or restore the file")

    found = []
    for top in SCANNED_DIRS:
        for path in sorted((root / top).rglob("*")):
            if path.is_file() and needs_translation(path):
                found.append(path.relative_to(root).as_posix())

    for entry in found:
        if entry not in seen:
            problems.append(f"{entry}: has translatable strings but is missing from "
                            "po/POTFILES.in; add it there")

    print(f"{len(found)} files with translatable strings, {len(listed)} listed in POTFILES.in")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
