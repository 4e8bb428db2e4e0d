#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the Flatpak manifests in this folder (TAP output).

The GNOME SDK cannot be downloaded where the tests run, so instead of building the Flatpak
this validates every manifest against flatpak-manifest.schema.json (with python3-jsonschema)
and checks what matters for Socket Lab: the exact sandbox permissions, the ids, the runtime
and the meson module built from this repository.
"""

import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
SCHEMA = HERE / "flatpak-manifest.schema.json"

APP_ID = "io.github.socketlab.SocketLab"
FINISH_ARGS = {
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
}

results = []


def check(ok, description, detail=""):
    results.append((bool(ok), description, detail))


def skip(description, reason):
    results.append((None, description, reason))


def check_manifest(path, validator):
    name = path.name
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        check(False, f"{name}: is valid JSON", str(e))
        return
    check(True, f"{name}: is valid JSON")

    if validator is None:
        skip(f"{name}: matches the flatpak-builder schema", "python3-jsonschema not installed")
    else:
        errors = sorted(validator.iter_errors(manifest), key=lambda e: list(e.absolute_path))
        detail = "\n".join(f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
                           for e in errors)
        check(not errors, f"{name}: matches the flatpak-builder schema", detail)

    args = manifest.get("finish-args", [])
    extra = sorted(set(args) - FINISH_ARGS)
    missing = sorted(FINISH_ARGS - set(args))
    check(not extra and not missing and len(args) == len(FINISH_ARGS),
          f"{name}: finish-args are exactly network, ipc, wayland, fallback-x11 and dri",
          f"extra: {extra}, missing: {missing}, given: {args}")

    devel = name.endswith(".Devel.json")
    expected_id = APP_ID + (".Devel" if devel else "")
    check(manifest.get("id") == expected_id and name == expected_id + ".json",
          f"{name}: the app id is {expected_id} and names the file", f"id: {manifest.get('id')}")

    check(manifest.get("runtime") == "org.gnome.Platform"
          and manifest.get("sdk") == "org.gnome.Sdk",
          f"{name}: uses the GNOME runtime and SDK",
          f"runtime: {manifest.get('runtime')}, sdk: {manifest.get('sdk')}")
    check(manifest.get("command") == "socket-lab", f"{name}: runs socket-lab",
          f"command: {manifest.get('command')}")

    modules = manifest.get("modules", [])
    app = modules[-1] if modules and isinstance(modules[-1], dict) else {}
    sources = app.get("sources", [])
    check(app.get("name") == "socket-lab" and app.get("buildsystem") == "meson",
          f"{name}: the last module builds socket-lab with meson", json.dumps(app)[:300])
    check(len(sources) == 1 and sources[0].get("type") == "dir"
          and (HERE / sources[0].get("path", "")).resolve() == HERE.parent
          and (HERE.parent / "meson.build").is_file(),
          f"{name}: the module's source is this repository", json.dumps(sources))

    # The build sandbox has loopback networking but no display: the module runs every suite
    # that needs none (core, data, install) in its build directory, where test-commands run.
    commands = app.get("test-commands", [])
    suites = [word for command in commands for word in command.split()]
    check(app.get("run-tests") is True and any(c.startswith("meson test ") for c in commands)
          and all(f"--suite {s}" in " ".join(commands) for s in ("core", "data", "install"))
          and "ui" not in [suites[i + 1] for i, w in enumerate(suites[:-1]) if w == "--suite"],
          f"{name}: runs the core, data and install tests (not ui: no display) after building",
          f"run-tests: {app.get('run-tests')}, test-commands: {commands}")

    opts = app.get("config-opts", [])
    profile = "-Dprofile=development" if devel else "-Dprofile=default"
    check(profile in opts and not any(o.startswith("-Dprofile=") and o != profile for o in opts),
          f"{name}: is built with {profile}", f"config-opts: {opts}")


def main():
    try:
        import jsonschema
    except ImportError:
        jsonschema = None

    validator = None
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    if jsonschema is not None:
        cls = jsonschema.validators.validator_for(schema)
        try:
            cls.check_schema(schema)
            check(True, f"{SCHEMA.name}: is a valid JSON schema")
            validator = cls(schema)
        except jsonschema.exceptions.SchemaError as e:
            check(False, f"{SCHEMA.name}: is a valid JSON schema", str(e))

    manifests = sorted(p for p in HERE.glob("*.json") if p != SCHEMA)
    check(any(p.name == APP_ID + ".json" for p in manifests),
          f"{APP_ID}.json exists", f"found: {[p.name for p in manifests]}")
    for path in manifests:
        check_manifest(path, validator)

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
