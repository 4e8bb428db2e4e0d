#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drives the real socket-lab through the accessibility tree, like a user.

Fill the New Endpoint form, start a TCP server, connect to it with ncat, see the
received row appear in the call trace, send a reply from the composer, and read
it at the ncat side. Runs inside dbus-run-session with an X display; accessible
names are English, so the app runs in the C locale.
"""

import re
import os
import socket
import subprocess
import sys
import time

SKIP = 77
TIMEOUT = 20  # seconds for any single wait: only stops a broken run from hanging


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


if not os.environ.get("DISPLAY"):
    skip("no X display (run under xvfb-run)")
if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
    skip("no session bus (run under dbus-run-session)")
try:
    import gi
    gi.require_version("Atspi", "2.0")
    from gi.repository import Atspi
except (ImportError, ValueError) as error:
    skip(f"AT-SPI bindings missing: {error}")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import sl_atspi  # noqa: E402
from sl_atspi import click, find_app, name, role, walk  # noqa: E402
NCAT = "/usr/bin/ncat"
if not os.path.exists(NCAT):
    skip("ncat is not installed")

APP = os.environ["SL_APP_PATH"]


def wait_for(what, predicate):
    return sl_atspi.wait_for(what, predicate, TIMEOUT)


def has_state(node, state):
    try:
        return node.get_state_set().contains(state)
    except Exception:
        return False


def find(root, role_name, text, exact=False, prefix=False):
    """The first node in tree order with @role_name whose name is, starts with or contains
    @text. GTK 4.8 reports no SHOWING state, so order decides: the selected endpoint's page
    comes before the (hidden) side-by-side pages; the one-line field before the multi-line
    editor of the same composer."""
    for node in walk(root):
        if (role_name is not None and role(node) != role_name) or \
           has_state(node, Atspi.StateType.MULTI_LINE):
            continue
        node_name = name(node)
        if exact and node_name == text:
            return node
        if prefix and node_name.startswith(text):
            return node
        if not exact and not prefix and text in node_name:
            return node
    return None




def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", LANGUAGE="C",
               GSETTINGS_BACKEND="memory", GSK_RENDERER="cairo")
    env.pop("GTK_A11Y", None)
    app_process = subprocess.Popen([APP], env=env)
    ncat = None
    try:
        app = wait_for("the app on the accessibility bus", lambda: find_app(app_process.pid))

        # 1. Fill the form: New Endpoint, a free port, Start.
        click(wait_for("the New Endpoint button",
                       lambda: find(app, "push button", "New Endpoint", exact=True)))
        dialog = wait_for("the New Endpoint window",
                          lambda: find(app, "frame", "New Endpoint"))
        port = free_port()
        port_entry = wait_for("the Port field", lambda: find(dialog, "text", "Port", prefix=True))
        port_entry.get_editable_text_iface().set_text_contents(str(port))
        start = wait_for("a sensitive Start button",
                         lambda: (lambda b: b if b is not None and
                                  b.get_state_set().contains(Atspi.StateType.SENSITIVE)
                                  else None)(find(dialog, "push button", "Start")))
        click(start)
        # GTK 4.8 crashes (g_variant_new_object_path on a NULL path) when asked for the
        # children of a window that is being destroyed: wait until only the main window is
        # left before walking the tree again.
        wait_for("the New Endpoint window to close", lambda: app.get_child_count() == 1)
        time.sleep(0.5)

        # 2. The server listens: its sidebar row says so.
        wait_for("the server row saying listening",
                 lambda: find(app, None, f"127.0.0.1:{port}, listening"))

        # 3. A third-party client connects and says hello.
        ncat = subprocess.Popen([NCAT, "127.0.0.1", str(port)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE)
        ncat.stdin.write(b"hello from ncat\n")
        ncat.stdin.flush()

        # 4. The received row appears in the call trace.
        wait_for("the received row in the trace",
                 lambda: find(app, None, "hello from ncat"))

        # 5. Reply from the composer.
        message = wait_for("the message field", lambda: find(app, "text", "Message", exact=True))
        message.get_editable_text_iface().set_text_contents("reply from the window")
        click(wait_for("the Send button", lambda: find(app, "push button", "Send", prefix=True)))

        # 6. ncat reads the automatic uppercase reply, then ours.
        os.set_blocking(ncat.stdout.fileno(), False)
        received = bytearray()

        def got_reply():
            try:
                chunk = os.read(ncat.stdout.fileno(), 4096)
                if chunk:
                    received.extend(chunk)
            except BlockingIOError:
                pass
            return b"reply from the window" in received

        wait_for("the reply at ncat", got_reply)
        assert b"HELLO FROM NCAT\n" in received, received
        print(f"ok: ncat received {bytes(received)!r}")

        # 7. The guided labs open beside the endpoint, reachable by a screen reader (GTK 4.8
        # exports the toggle button as a push button named by its accessible label).
        click(wait_for("the Labs button",
                       lambda: find(app, "push button", "Guided Labs", exact=True)))
        wait_for("the first lab in the labs list",
                 lambda: find(app, None, "First TCP server and client"))
        print("ok: the labs panel lists the first lab")

        # 8. Every name a screen reader says is said once and without mnemonic underscores
        # (GTK 4.8 joins a widget's label and the names of its labelling widgets: "Close
        # Close"; a button GTK labels itself keeps its "_").
        doubled, underscored, named = [], [], 0
        for node in walk(app):
            text = name(node)
            words = text.split()
            if words:
                named += 1
            half = len(words) // 2
            if half > 0 and len(words) % 2 == 0 and words[:half] == words[half:]:
                doubled.append(f"{role(node)} {text!r}")
            # A mnemonic underscore starts a word or splits one in lower case ("S_top",
            # "Recei_ved"); SO_REUSEADDR is a name.
            if role(node) in ("push button", "toggle button") \
                    and re.search(r"(^|\s)_\w|[a-z]_[a-z]|[A-Z]_[a-z]", text):
                underscored.append(f"{role(node)} {text!r}")
        assert not doubled, f"names said twice: {doubled}"
        assert not underscored, f"names with a mnemonic underscore: {underscored}"
        assert named > 50, f"only {named} named nodes: the tree was not walked"
        print(f"ok: {named} accessible names, none said twice, none with an underscore")
    finally:
        if ncat is not None:
            ncat.kill()
            ncat.wait()
        app_process.terminate()
        try:
            app_process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            app_process.kill()


if __name__ == "__main__":
    main()
