#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Install the build into a private DESTDIR and check the installed tree (TAP output).

Usage: check-install.py MESON BUILD_ROOT PREFIX BINDIR DATADIR MANDIR LOCALEDIR APP_ID
                        VERSION GUI(true|false)

Runs `meson install --destdir TMP --no-rebuild` into a new temporary directory (unique, so that
it cannot collide with other tests running in parallel; removed at the end), then:
  - runs the installed socket-lab-cli --version and socket-lab --version, the latter with no
    display at all;
  - checks the desktop file, AppStream metainfo, GSettings schema, icons, man pages, D-Bus
    service file and translations are at their installed paths, and that they name the app id,
    the installed binaries and each other consistently;
  - with a display (the CI runs its tests under Xvfb), starts the installed application the
    way a desktop does for DBusActivatable=true: a private session bus reads the installed
    service file, a method call to the app id starts it, it activates and quits on app.quit;
  - lists every installed file as TAP comments (what a Flatpak of this build would contain).
"""

import configparser
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

results = []


def check(ok, description, detail=""):
    results.append((bool(ok), description, detail))


def skip(description, reason):
    results.append((None, description, reason))


def comment(text):
    results.append(("#", text, ""))


def read_desktop(path):
    parser = configparser.RawConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser


def quiet_env():
    """No display, no session bus, the C locale: --version must work anywhere."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "LANGUAGE")}
    env["LC_ALL"] = "C.UTF-8"
    env["GDK_BACKEND"] = "wayland"  # with no WAYLAND_DISPLAY: fails if GTK were initialised
    return env


def run_version(path, name, version):
    try:
        run = subprocess.run([path, "--version"], capture_output=True, text=True,
                             env=quiet_env(), stdin=subprocess.DEVNULL, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        check(False, f"installed {name} --version runs without a display", str(e))
        return
    check(run.returncode == 0 and run.stdout.strip() == f"{name} {version}",
          f"installed {name} --version runs without a display and prints “{name} {version}”",
          f"exit {run.returncode}\nstdout: {run.stdout}\nstderr: {run.stderr}")


def check_tree(root, args):
    prefix, bindir, datadir, mandir, localedir = (
        args["prefix"], args["bindir"], args["datadir"], args["mandir"], args["localedir"])
    app_id, version, gui = args["app_id"], args["version"], args["gui"]

    def installed(*parts):
        """The path inside the DESTDIR of an installed file."""
        path = os.path.join(prefix, *parts)
        return os.path.join(root, path.lstrip("/"))

    bin_dir = installed(bindir)
    share = installed(datadir)

    # Binaries.
    cli = os.path.join(bin_dir, "socket-lab-cli")
    check(os.access(cli, os.X_OK), f"{prefix}/{bindir}/socket-lab-cli is installed")
    run_version(cli, "socket-lab-cli", version)
    gui_bin = os.path.join(bin_dir, "socket-lab")
    if gui:
        check(os.access(gui_bin, os.X_OK), f"{prefix}/{bindir}/socket-lab is installed")
        run_version(gui_bin, "socket-lab", version)
    else:
        check(not os.path.exists(gui_bin), "-Dgui=false installs no socket-lab")

    # Man pages.
    man1 = installed(mandir, "man1")
    pages = ["socket-lab-cli.1"] + (["socket-lab.1"] if gui else [])
    for page in pages:
        path = os.path.join(man1, page)
        ok = os.path.isfile(path)
        th = ""
        if ok:
            th = next((line for line in open(path, encoding="utf-8") if line.startswith(".TH ")),
                      "")
        check(ok and f"Socket Lab {version}" in th,
              f"man page {prefix}/{mandir}/man1/{page} is installed for version {version}", th)

    # Translations.
    mo = installed(localedir, "zh_CN", "LC_MESSAGES", "socket-lab.mo")
    check(os.path.isfile(mo), f"{prefix}/{localedir}/zh_CN/LC_MESSAGES/socket-lab.mo is installed")

    schema = os.path.join(share, "glib-2.0", "schemas", "io.github.socketlab.SocketLab.gschema.xml")
    desktop = os.path.join(share, "applications", app_id + ".desktop")
    metainfo = os.path.join(share, "metainfo", app_id + ".metainfo.xml")
    icon = os.path.join(share, "icons", "hicolor", "scalable", "apps", app_id + ".svg")
    symbolic = os.path.join(share, "icons", "hicolor", "symbolic", "apps",
                            app_id + "-symbolic.svg")
    service = os.path.join(share, "dbus-1", "services", app_id + ".service")
    desktop_files = [schema, desktop, metainfo, icon, symbolic, service]

    if not gui:
        present = [p for p in desktop_files if os.path.exists(p)]
        check(not present, "-Dgui=false installs no desktop integration files",
              "\n".join(present))
        return

    for path in desktop_files:
        check(os.path.isfile(path), f"/{os.path.relpath(path, root)} is installed")

    # Settings schema: compiles strictly where it was installed.
    compiler = shutil.which("glib-compile-schemas")
    if compiler and os.path.isfile(schema):
        run = subprocess.run([compiler, "--strict", "--dry-run", os.path.dirname(schema)],
                             capture_output=True, text=True)
        check(run.returncode == 0 and not run.stderr, "the installed schema compiles strictly",
              run.stderr)

    # Desktop file: D-Bus activatable, its name is the app id, runs the installed binary.
    if os.path.isfile(desktop):
        entry = read_desktop(desktop)["Desktop Entry"]
        check(entry.get("DBusActivatable") == "true", "the desktop file is DBusActivatable")
        check(entry.get("Exec", "").split()[0] == "socket-lab"
              and entry.get("Icon") == app_id,
              "the desktop file runs socket-lab and shows the app's icon",
              f"Exec={entry.get('Exec')} Icon={entry.get('Icon')}")
        check("Keywords[zh_CN]" in entry and "套接字" in entry.get("Keywords[zh_CN]", ""),
              "the desktop file has Chinese keywords", str(dict(entry)))
        validator = shutil.which("desktop-file-validate")
        if validator:
            run = subprocess.run([validator, desktop], capture_output=True, text=True)
            # Hints are allowed: Education;Network; (asked for) are two main categories.
            problems = [line for line in run.stdout.splitlines() if ": hint: " not in line]
            check(run.returncode == 0 and not problems,
                  "desktop-file-validate accepts the installed desktop file",
                  run.stdout + run.stderr)

    # D-Bus service: named by the app id, starts the installed binary as a GApplication service.
    if os.path.isfile(service):
        parser = read_desktop(service)
        section = parser["D-BUS Service"] if parser.has_section("D-BUS Service") else {}
        exec_line = section.get("Exec", "")
        expected = os.path.join(prefix, bindir, "socket-lab") + " --gapplication-service"
        check(section.get("Name") == app_id, f"the D-Bus service is named {app_id}",
              f"Name={section.get('Name')}")
        check(exec_line == expected, f"the D-Bus service runs “{expected}”", f"Exec={exec_line}")
        target = os.path.join(root, exec_line.split()[0].lstrip("/")) if exec_line else ""
        check(target and os.access(target, os.X_OK),
              "the D-Bus service's Exec is an installed program", target)

    # Metainfo: id, launchable and binaries match what was installed.
    if os.path.isfile(metainfo):
        component = ET.parse(metainfo).getroot()
        check(component.findtext("id") == app_id, f"the metainfo's id is {app_id}",
              f"id: {component.findtext('id')}")
        launchable = component.findtext("launchable")
        check(launchable == app_id + ".desktop"
              and os.path.isfile(os.path.join(share, "applications", launchable or "")),
              "the metainfo's launchable is the installed desktop file", f"{launchable}")
        binaries = [b.text for b in component.iter("binary")]
        check(sorted(binaries) == ["socket-lab", "socket-lab-cli"]
              and all(os.access(os.path.join(bin_dir, b), os.X_OK) for b in binaries),
              "the metainfo provides socket-lab and socket-lab-cli, both installed",
              str(binaries))
        lang = "{http://www.w3.org/XML/1998/namespace}lang"
        check(any(s.get(lang) in ("zh_CN", "zh-CN") for s in component.iter("summary")),
              "the metainfo has the Chinese summary")

    # Icons: SVG documents of the right kind.
    for path in (icon, symbolic):
        if os.path.isfile(path):
            try:
                root_tag = ET.parse(path).getroot().tag
            except ET.ParseError as e:
                root_tag = str(e)
            check(root_tag == "{http://www.w3.org/2000/svg}svg",
                  f"{os.path.basename(path)} is an SVG image", root_tag)


def gdbus(env, dest, path, method, *args, timeout=60):
    return subprocess.run(["gdbus", "call", "--session", "--dest", dest, "--object-path", path,
                           "--method", method, *args],
                          capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                          timeout=timeout)


def name_has_owner(env, name):
    run = gdbus(env, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner", name, timeout=10)
    return run.stdout.strip() == "(true,)"


def check_dbus_activation(root, args, tmp):
    """Start the installed app through its installed D-Bus service file on a private bus."""
    description = "a private session bus starts the installed socket-lab from its service file"
    app_id = args["app_id"]
    service = os.path.join(root, os.path.join(args["prefix"], args["datadir"]).lstrip("/"),
                           "dbus-1", "services", app_id + ".service")
    schemas = os.path.join(root, os.path.join(args["prefix"], args["datadir"]).lstrip("/"),
                           "glib-2.0", "schemas")
    if not os.environ.get("DISPLAY"):
        skip(description, "no X display (run the tests under xvfb-run, as .ci/test does)")
        return
    if not (shutil.which("dbus-daemon") and shutil.which("gdbus")
            and shutil.which("glib-compile-schemas")):
        skip(description, "dbus-daemon, gdbus or glib-compile-schemas is not installed")
        return
    if not os.path.isfile(service):
        check(False, description, f"{service} is not installed")
        return

    # The installed service file, with Exec pointing into the DESTDIR instead of the prefix.
    parser = read_desktop(service)
    section = parser["D-BUS Service"]
    program = section["Exec"].split()
    services_dir = os.path.join(tmp, "services")
    os.makedirs(services_dir)
    with open(os.path.join(services_dir, app_id + ".service"), "w", encoding="utf-8") as f:
        f.write("[D-BUS Service]\n"
                f"Name={section['Name']}\n"
                f"Exec={os.path.join(root, program[0].lstrip('/'))} {' '.join(program[1:])}\n")
    config = os.path.join(tmp, "session.conf")
    with open(config, "w", encoding="utf-8") as f:
        f.write(f"""<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={tmp}</listen>
  <servicedir>{services_dir}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
""")
    compiled = os.path.join(tmp, "schemas")
    os.makedirs(compiled)
    subprocess.run(["glib-compile-schemas", "--targetdir", compiled, schemas], check=False)

    # The bus passes its environment to the programs it starts.
    env = {key: value for key, value in os.environ.items()
           if key not in ("DBUS_SESSION_BUS_ADDRESS", "WAYLAND_DISPLAY", "G_DEBUG")}
    env.update(GDK_BACKEND="x11", GSK_RENDERER="cairo", GTK_A11Y="test", NO_AT_BRIDGE="1",
               GSETTINGS_BACKEND="memory", GSETTINGS_SCHEMA_DIR=compiled, LC_ALL="C.UTF-8")
    daemon = subprocess.Popen(["dbus-daemon", "--config-file", config, "--nofork",
                               "--print-address=1"],
                              stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env,
                              text=True)
    try:
        ready, _, _ = select.select([daemon.stdout], [], [], 10)
        address = daemon.stdout.readline().strip() if ready else ""
        if not address:
            check(False, description, "dbus-daemon printed no address within 10 s")
            return
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        path = "/" + app_id.replace(".", "/").replace("-", "_")

        run = gdbus(env, app_id, path, "org.freedesktop.Application.Activate", "{}")
        check(run.returncode == 0 and name_has_owner(env, app_id),
              f"{description} and it is activated as {app_id} (Activate on {path})",
              f"exit {run.returncode}\n{run.stdout}\n{run.stderr}")
        if run.returncode != 0:
            return

        run = gdbus(env, app_id, path, "org.freedesktop.Application.ActivateAction",
                    "quit", "[]", "{}")
        deadline = time.monotonic() + 10
        while name_has_owner(env, app_id) and time.monotonic() < deadline:
            time.sleep(0.1)
        check(run.returncode == 0 and not name_has_owner(env, app_id),
              "the activated application quits on app.quit and leaves the bus",
              f"exit {run.returncode}\n{run.stdout}\n{run.stderr}")
    finally:
        daemon.terminate()
        try:
            daemon.wait(timeout=10)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()


def main():
    if len(sys.argv) != 11:
        print(__doc__, file=sys.stderr)
        return 2
    names = ["meson", "build", "prefix", "bindir", "datadir", "mandir", "localedir", "app_id",
             "version", "gui"]
    args = dict(zip(names, sys.argv[1:]))
    args["gui"] = args["gui"] == "true"

    tmp = tempfile.mkdtemp(prefix="sl-install-")
    try:
        root = os.path.join(tmp, "destdir")
        run = subprocess.run([args["meson"], "install", "-C", args["build"], "--destdir", root,
                              "--no-rebuild", "--quiet"],
                             capture_output=True, text=True, stdin=subprocess.DEVNULL,
                             env=dict(os.environ, LC_ALL="C.UTF-8"), timeout=300)
        check(run.returncode == 0, "meson install --destdir succeeds",
              f"exit {run.returncode}\n{run.stdout}\n{run.stderr}")
        if run.returncode == 0:
            outside = []
            files = []
            for directory, _, filenames in os.walk(root):
                for filename in filenames:
                    path = "/" + os.path.relpath(os.path.join(directory, filename), root)
                    files.append(path)
                    if not path.startswith(args["prefix"].rstrip("/") + "/"):
                        outside.append(path)
            check(not outside, f"everything is installed under {args['prefix']}",
                  "\n".join(outside))
            dev = [f for f in files if f.endswith((".a", ".la", ".h", ".pc"))]
            check(not dev, "no static libraries, headers or pkg-config files are installed",
                  "\n".join(dev))
            check_tree(root, args)
            if args["gui"]:
                check_dbus_activation(root, args, tmp)
            comment(f"{len(files)} files installed:")
            for path in sorted(files):
                comment(f"  {path}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    planned = [r for r in results if r[0] != "#"]
    print(f"1..{len(planned)}")
    failed = 0
    number = 0
    for ok, description, detail in results:
        if ok == "#":
            print(f"# {description}")
            continue
        number += 1
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
