# SPDX-License-Identifier: GPL-3.0-or-later
"""Driving the real socket-lab through the accessibility tree (AT-SPI).

Shared by tests/ui/atspi-scenario.py and tests/bench/bench-idle-memory.py. Import it
only once gi and Atspi 2.0 are known to be available: each script decides itself how
to skip without them.
"""

import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402


def wait_for(what, predicate, timeout):
    """Polls @predicate every 0.2 s until it returns something true, for at most @timeout
    seconds; returns that or raises AssertionError naming @what."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def walk(node, depth=0):
    """@node and every node below it, in tree order (at most 80 levels deep)."""
    yield node
    if depth > 80:
        return
    for i in range(node.get_child_count()):
        child = node.get_child_at_index(i)
        if child is not None:
            yield from walk(child, depth + 1)


def name(node):
    try:
        return node.get_name() or ""
    except Exception:
        return ""


def role(node):
    try:
        return node.get_role_name()
    except Exception:
        return ""


def find_app(pid):
    """The application with process id @pid on the accessibility bus, or None."""
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is not None and app.get_process_id() == pid:
            return app
    return None


def click(node):
    """Runs the node's "click" action (or its first action)."""
    action = node.get_action_iface()
    for i in range(action.get_n_actions()):
        if action.get_action_name(i) == "click":
            action.do_action(i)
            return
    action.do_action(0)
