#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the manual pages (TAP output), so that they cannot go stale.

Usage: check-man.py VERSION PAGE PROGRAM HELP-OPTION [PAGE PROGRAM HELP-OPTION ...]

For each page:
  - groff formats it with every warning enabled (-ww) and prints none;
  - its .TH line names "Socket Lab VERSION";
  - every long option that "PROGRAM HELP-OPTION" lists is documented in it;
  - every long option it mentions is one that PROGRAM really has;
  - for socket-lab-cli: every MODE named by --help has its own entry under MODES.
"""

import os
import re
import shutil
import subprocess
import sys

results = []


def check(ok, description, detail=""):
    results.append((bool(ok), description, detail))


def skip(description, reason):
    results.append((None, description, reason))


def roff_to_plain(source):
    """The page's text with roff escapes for dashes and non-breaking marks removed."""
    text = source.replace("\\%", "").replace("\\-", "-").replace("\\&", "")
    return text


def help_options(help_text):
    """Long options of a GOption --help output: lines such as '  -q, --quiet   ...'."""
    options = set()
    for line in help_text.splitlines():
        match = re.match(r"^\s+(?:-\w, )?(--[a-z][a-z0-9-]*)", line)
        if match:
            options.add(match.group(1))
    return options


def page_options(plain):
    """Long options the page mentions anywhere (outside comments)."""
    lines = [line for line in plain.splitlines() if not line.startswith('.\\"')]
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", "\n".join(lines)))


def check_shortcuts(name, source):
    """Every keyboard shortcut the application sets has an entry under KEYBOARD SHORTCUTS."""
    app = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "ui",
                       "sl-application.c")
    try:
        code = open(app, encoding="utf-8").read()
    except OSError as e:
        check(False, f"{name}: the shortcuts of sl-application.c can be read", str(e))
        return
    # { "app.quit", { "<Control>q", NULL } }: the first accelerator of each action.
    accels = re.findall(r'\{ "(?:app|win|window)\.[a-z-]+", \{ "([^"]+)"', code)
    shown = []
    for accel in accels:
        key = accel.replace("<Control>", "")
        key = key.capitalize() if len(key) > 1 and not key.startswith("F") else key.upper()
        shown.append(("Ctrl+" if "<Control>" in accel else "") + key)
    section = source.split(".SH KEYBOARD SHORTCUTS", 1)[-1].split(".SH ", 1)[0]
    missing = [k for k in shown if not re.search(r"(?<![\w+])" + re.escape(k) + r"(?!\w)", section)]
    check(len(shown) >= 5 and not missing,
          f"{name}: every keyboard shortcut of the application is listed",
          f"found {shown}; not in KEYBOARD SHORTCUTS: {', '.join(missing)}")


def check_page(version, page, program, help_option, groff):
    name = os.path.basename(page)
    try:
        source = open(page, encoding="utf-8").read()
    except OSError as e:
        check(False, f"{name}: can be read", str(e))
        return
    plain = roff_to_plain(source)

    if groff is None:
        skip(f"{name}: groff -man -ww prints no warning", "groff is not installed")
    else:
        run = subprocess.run([groff, "-man", "-ww", "-z", "-Tutf8", page],
                             capture_output=True, text=True, env=dict(os.environ, LC_ALL="C.UTF-8"))
        check(run.returncode == 0 and not run.stderr.strip(),
              f"{name}: groff -man -ww prints no warning",
              f"exit {run.returncode}\n{run.stderr}")

    th = next((line for line in source.splitlines() if line.startswith(".TH ")), "")
    check(f'"Socket Lab {version}"' in th, f"{name}: .TH names Socket Lab {version}", th)

    env = dict(os.environ, LC_ALL="C.UTF-8")
    env.pop("LANGUAGE", None)
    run = subprocess.run([program, help_option], capture_output=True, text=True, env=env,
                         stdin=subprocess.DEVNULL, timeout=30)
    check(run.returncode == 0 and run.stdout,
          f"{name}: {os.path.basename(program)} {help_option} runs",
          f"exit {run.returncode}\n{run.stderr}")
    options = help_options(run.stdout)
    check(len(options) >= 2, f"{name}: {help_option} lists long options", run.stdout[:500])

    documented = page_options(plain)
    missing = sorted(o for o in options
                     if not re.search(r"(?<![\w-])" + re.escape(o) + r"(?![\w-])", plain))
    check(not missing, f"{name}: documents every option of {help_option}",
          f"not in the page: {', '.join(missing)}")
    unknown = sorted(documented - options)
    check(not unknown, f"{name}: mentions only options the program has",
          f"not in {help_option}: {', '.join(unknown)}")

    if os.path.basename(program) == "socket-lab":
        check_shortcuts(name, source)

    if os.path.basename(program) == "socket-lab-cli":
        match = re.search(r"MODE is one of ([a-z, -]+)\.", run.stdout)
        modes = [m.strip() for m in match.group(1).split(",")] if match else []
        check(len(modes) >= 6, f"{name}: --help names the modes", run.stdout[:500])
        entries = set(re.findall(r"^\.TP\n\.B ([a-z-]+)$", source, re.MULTILINE))
        missing = sorted(set(modes) - entries)
        check(not missing, f"{name}: every MODE has an entry", f"no entry: {', '.join(missing)}")
        check(re.search(r"^\.B export-python$", source, re.MULTILINE) is not None,
              f"{name}: documents the export-python subcommand")


def main():
    if len(sys.argv) < 5 or (len(sys.argv) - 2) % 3 != 0:
        print(__doc__, file=sys.stderr)
        return 2
    version = sys.argv[1]
    groff = shutil.which("groff")
    args = sys.argv[2:]
    for i in range(0, len(args), 3):
        check_page(version, args[i], args[i + 1], args[i + 2], groff)

    print(f"1..{len(results)}")
    failed = 0
    for number, (ok, description, detail) in enumerate(results, 1):
        if ok is None:
            print(f"ok {number} {description} # SKIP {detail}")
            continue
        print(f"{'ok' if ok else 'not ok'} {number} {description}")
        if not ok:
            failed += 1
            for line in detail.splitlines():
                print(f"# {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
