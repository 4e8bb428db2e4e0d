#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that the built-in labs quote the app's labels as each language shows them.

A lab's English text quotes what the student sees: “Uppercase”, “Reset”. When such a
quote is a string of the app (a msgid of po/LANG.po), the translated text of the same key
([LANG] in the .lab file) must quote that string's translation, so that a student reading
the lab in Chinese looks for the words the Chinese window really shows.

Usage: check-lab-quotes.py SOURCE_ROOT
"""

import configparser
import gettext
import pathlib
import re
import subprocess
import sys
import tempfile

QUOTE = re.compile(r"“([^”]+)”")
# GTK mnemonics: "_Reset" in English, "重置(_R)" in Chinese.
MNEMONIC_SUFFIX = re.compile(r"\(_[A-Za-z0-9]\)$")


def plain(label):
    return MNEMONIC_SUFFIX.sub("", label).replace("_", "")


def load_catalog(po, workdir):
    """msgid (without mnemonics) -> set of translations, from msgfmt's .mo."""
    mo = pathlib.Path(workdir) / (po.stem + ".mo")
    result = subprocess.run(["msgfmt", "--output-file", str(mo), str(po)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{po}: msgfmt failed: {result.stderr.strip()}")
    with open(mo, "rb") as stream:
        # _catalog: every message of the .mo (the same attribute since Python 2).
        catalog = gettext.GNUTranslations(stream)._catalog
    labels = {}
    for msgid, msgstr in catalog.items():
        if isinstance(msgid, tuple) or not msgid or not msgstr:
            continue
        msgid = msgid.split("\x04")[-1]
        labels.setdefault(plain(msgid), set()).add(plain(msgstr))
    return labels


def check_lab(path, lang, labels):
    parser = configparser.ConfigParser(interpolation=None, strict=False, delimiters=("=",),
                                       comment_prefixes=("#",))
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    problems = []
    for section in parser.sections():
        for key, english in parser.items(section):
            if key.endswith("]"):
                continue
            translated = parser.get(section, f"{key}[{lang}]", fallback=None)
            if translated is None:
                continue
            quoted = set(QUOTE.findall(translated))
            for quote in QUOTE.findall(english):
                shown = labels.get(quote)
                if shown and not shown & quoted:
                    expected = " or ".join(f"“{s}”" for s in sorted(shown))
                    problems.append(f"{path.name} [{section}] {key}: the English text quotes "
                                    f"“{quote}”, which the {lang} window shows as {expected}; "
                                    f"quote that in {key}[{lang}]")
    return problems


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    labs = sorted((root / "data" / "labs").glob("*.lab"))
    languages = (root / "po" / "LINGUAS").read_text(encoding="utf-8").split()
    if not labs:
        sys.exit(f"no lab files in {root / 'data' / 'labs'}")
    problems = []
    checked = 0
    with tempfile.TemporaryDirectory() as workdir:
        for lang in languages:
            labels = load_catalog(root / "po" / f"{lang}.po", workdir)
            for lab in labs:
                problems += check_lab(lab, lang, labels)
                checked += 1
    for problem in problems:
        print(problem)
    print(f"check-lab-quotes: {checked} lab texts checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
