#!/usr/bin/python3
# bench-idle-memory.py — idle memory of the real processes: socket-lab with the demo pair, and
# socket-lab-cli tcp-server
#
# Usage: bench-idle-memory.py PATH/TO/socket-lab PATH/TO/socket-lab-cli
#
# socket-lab: started as a user would (GSettings in memory, cairo renderer, C locale), found on
# the accessibility bus (AT-SPI), its "Demo Pair" button clicked through AT-SPI (the action is
# a widget action, not exported on D-Bus, and the app is not changed for benchmarks). Done when
# the app's process holds two ESTABLISHED TCP sockets (read from /proc: its fds and
# /proc/net/tcp); then 2 s idle, and VmRSS and Pss are read from /proc/PID. The start screen is
# read the same way before the click. AT-SPI makes GTK build accessible objects for what the
# client looks at, so these figures include that; bench-launch (start screen, no AT-SPI
# client) and bench-window (in-process, GTK_A11Y=test) give the figures without it.
#
# socket-lab-cli: `tcp-server 127.0.0.1:0 --reply=echo`, trace on and --quiet, idle 2 s with no
# client and again with one connected client idle 2 s.
#
# Prints figures and exits 0; a part that cannot run (no display, no bus, no AT-SPI) says why.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import socket
import subprocess
import sys
import time
import warnings

IDLE = 2.0
TIMEOUT = 20


def figure(key, value, unit):
    print('FIGURE %s %.6g %s' % (key, value, unit), flush=True)


def status_kib(pid, field):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    return 0


def pss_kib(pid):
    with open('/proc/%d/smaps_rollup' % pid) as f:
        for line in f:
            if line.startswith('Pss:'):
                return int(line.split()[1])
    return 0


def memory(pid):
    return status_kib(pid, 'VmRSS') / 1024.0, pss_kib(pid) / 1024.0


def established_sockets(pid):
    """How many of @pid's sockets are ESTABLISHED TCP (IPv4 or IPv6)."""
    inodes = set()
    for fd in os.listdir('/proc/%d/fd' % pid):
        try:
            target = os.readlink('/proc/%d/fd/%s' % (pid, fd))
        except OSError:
            continue
        if target.startswith('socket:['):
            inodes.add(target[8:-1])
    n = 0
    for table in ('/proc/net/tcp', '/proc/net/tcp6'):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == '01' and fields[9] in inodes:
                        n += 1
        except OSError:
            pass
    return n


def wait_for(what, predicate, timeout=TIMEOUT):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        result = predicate()
        if result:
            return result
        time.sleep(0.05)
    raise RuntimeError('timed out waiting for %s' % what)


def app_demo_pair(app_path):
    if not os.environ.get('DISPLAY') or not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
        print('idle-memory: socket-lab skipped: needs an X display and a session bus '
              '(xvfb-run ... dbus-run-session)')
        return
    # The Action interface calls that atspi-scenario.py also uses are deprecated in newer AT-SPI.
    warnings.filterwarnings('ignore', category=DeprecationWarning)
    try:
        import gi
        gi.require_version('Atspi', '2.0')
        from gi.repository import Atspi  # noqa: F401 (the check that AT-SPI is there)
    except (ImportError, ValueError) as error:
        print('idle-memory: socket-lab skipped: AT-SPI bindings missing: %s' % error)
        return

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
    from sl_atspi import click, find_app, name, role, walk

    def find_button(root, prefix):
        for node in walk(root):
            if role(node) == 'push button' and name(node).startswith(prefix):
                return node
        return None

    env = dict(os.environ, LANG='C.UTF-8', LC_ALL='C.UTF-8', LANGUAGE='C',
               GSETTINGS_BACKEND='memory', GSK_RENDERER='cairo', GDK_BACKEND='x11')
    env.pop('GTK_A11Y', None)
    env.pop('NO_AT_BRIDGE', None)
    env.pop('G_DEBUG', None)
    process = subprocess.Popen([app_path], env=env)
    try:
        app = wait_for('the app on the accessibility bus', lambda: find_app(process.pid))
        button = wait_for('the Demo Pair button', lambda: find_button(app, 'Demo Pair'))
        time.sleep(IDLE)
        rss, pss = memory(process.pid)
        print('idle-memory: socket-lab, start screen, after %.0f s idle (AT-SPI client '
              'attached): VmRSS %.1f MiB, Pss %.1f MiB' % (IDLE, rss, pss))
        click(button)
        wait_for('the demo pair connected (2 ESTABLISHED sockets)',
                 lambda: established_sockets(process.pid) >= 2)
        time.sleep(IDLE)
        rss, pss = memory(process.pid)
        print('idle-memory: socket-lab, demo pair running, after %.0f s idle: VmRSS %.1f MiB, '
              'Pss %.1f MiB' % (IDLE, rss, pss))
        figure('idle.app.demo.rss', rss, 'MiB')
        figure('idle.app.demo.pss', pss, 'MiB')
    except RuntimeError as error:
        print('idle-memory: socket-lab: %s' % error)
    finally:
        process.terminate()
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cli_server(cli_path, quiet):
    args = [cli_path, 'tcp-server', '127.0.0.1:0', '--reply=echo']
    if quiet:
        args.append('--quiet')
    env = dict(os.environ, LC_ALL='C.UTF-8')
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    try:
        first = process.stdout.readline().decode('utf-8', 'replace').strip()
        if not first.startswith('listening on '):
            print('idle-memory: socket-lab-cli: unexpected first line %r' % first)
            return
        port = int(first.rsplit(':', 1)[1])
        time.sleep(IDLE)
        rss, pss = memory(process.pid)
        with socket.create_connection(('127.0.0.1', port), timeout=10):
            wait_for('the client accepted', lambda: established_sockets(process.pid) >= 1)
            time.sleep(IDLE)
            rss1, pss1 = memory(process.pid)
        name = '--quiet' if quiet else 'trace on'
        print('idle-memory: socket-lab-cli tcp-server (%s), after %.0f s idle: VmRSS %.1f MiB, '
              'Pss %.1f MiB; with one idle client: VmRSS %.1f MiB, Pss %.1f MiB'
              % (name, IDLE, rss, pss, rss1, pss1))
        key = 'idle.cli.quiet' if quiet else 'idle.cli'
        figure(key + '.rss', rss, 'MiB')
        figure(key + '.pss', pss, 'MiB')
    finally:
        process.terminate()
        try:
            process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def main():
    if len(sys.argv) != 3:
        print('usage: bench-idle-memory.py SOCKET-LAB SOCKET-LAB-CLI', file=sys.stderr)
        return 2
    cli_server(sys.argv[2], False)
    cli_server(sys.argv[2], True)
    app_demo_pair(sys.argv[1])
    return 0


if __name__ == '__main__':
    sys.exit(main())
