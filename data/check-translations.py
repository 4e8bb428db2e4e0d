#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that every translation in po/LINGUAS is valid and complete.

For each language:
  1. `msgfmt --check --statistics` must succeed and report no fuzzy and no untranslated
     messages;
  2. every string in the current sources (extracted with xgettext from po/POTFILES.in, the
     way meson's gettext 'glib' preset does) must have a non-fuzzy translation, so a string
     added to the code without updating the .po file fails here too.

Usage: check-translations.py SOURCE_ROOT
"""

import pathlib
import re
import subprocess
import sys
import tempfile

# The keywords and flags of meson's i18n.gettext(preset: 'glib').
XGETTEXT_ARGS = [
    "--from-code=UTF-8",
    "--add-comments",
    "--keyword=_",
    "--keyword=N_",
    "--keyword=C_:1c,2",
    "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2",
    "--keyword=g_dngettext:2,3",
    "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format",
    "--flag=C_:2:pass-c-format",
    "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format",
    "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format",
    "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format",
    "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format",
    "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format",
    "--flag=g_printerr:1:c-format",
    "--flag=g_printf:1:c-format",
    "--flag=g_fprintf:2:c-format",
    "--flag=g_sprintf:2:c-format",
    "--flag=g_snprintf:3:c-format",
]

STATS = re.compile(r"(\d+) (translated|fuzzy|untranslated)")


def run(cmd, cwd=None):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)


def check_po(po):
    """msgfmt --check --statistics; returns a list of problems."""
    result = run(["msgfmt", "--check", "--statistics", "--output-file=/dev/null", str(po)])
    report = (result.stdout + result.stderr).strip()
    print(f"{po.name}: {report}")
    if result.returncode != 0:
        return [f"{po.name}: msgfmt --check failed:\n{report}"]
    counts = {kind: int(n) for n, kind in STATS.findall(report)}
    problems = []
    if counts.get("fuzzy", 0):
        problems.append(f"{po.name}: {counts['fuzzy']} fuzzy translations; review them and "
                        "remove the fuzzy flag")
    if counts.get("untranslated", 0):
        problems.append(f"{po.name}: {counts['untranslated']} untranslated messages; "
                        "translate them")
    return problems


def extract_pot(root, pot):
    files = [line.strip()
             for line in (root / "po" / "POTFILES.in").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    result = run(["xgettext", *XGETTEXT_ARGS, "--package-name=socket-lab",
                  f"--output={pot}", *files], cwd=root)
    if result.returncode != 0:
        return [f"xgettext failed on po/POTFILES.in:\n{result.stderr.strip()}"]
    return []


def compare(po, pot):
    """msgcmp reports every msgid of the sources without a non-fuzzy translation."""
    result = run(["msgcmp", str(po), str(pot)])
    if result.returncode == 0:
        return []

    # Show each missing message as its source reference and msgid, not as a line number
    # of a temporary file.
    pot_lines = pot.read_text(encoding="utf-8").splitlines()
    missing = []
    for line in re.findall(rf"{re.escape(str(pot))}:(\d+):", result.stderr):
        # msgcmp points into the entry; print it from its first line to its msgstr.
        start = int(line) - 1
        while start > 0 and pot_lines[start - 1].strip():
            start -= 1
        block = []
        for text in pot_lines[start:]:
            if not text.strip() or text.startswith("msgstr"):
                break
            if not text.startswith(("#,", "#.")):
                block.append("    " + text)
        missing.append("\n".join(block))
    details = "\n".join(missing) if missing else result.stderr.strip()
    return [f"{po.name}: {max(len(missing), 1)} strings of the sources have no translation; "
            "update the .po file with `ninja socket-lab-update-po` and translate them:\n"
            + details]


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2

    root = pathlib.Path(sys.argv[1]).resolve()
    langs = [line.strip()
             for line in (root / "po" / "LINGUAS").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    problems = []

    if not langs:
        problems.append("po/LINGUAS lists no language")

    with tempfile.TemporaryDirectory() as tmp:
        pot = pathlib.Path(tmp) / "socket-lab.pot"
        problems += extract_pot(root, pot)
        for lang in langs:
            po = root / "po" / f"{lang}.po"
            if not po.is_file():
                problems.append(f"po/LINGUAS lists {lang} but po/{lang}.po does not exist")
                continue
            problems += check_po(po)
            if pot.is_file():
                problems += compare(po, pot)

    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
