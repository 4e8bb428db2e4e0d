#!/usr/bin/python3
# run-benchmarks.py — run every benchmark in one go, N times, and write the table of figures
#
# Usage (from the source root):
#   meson setup build-bench --werror && ninja -C build-bench
#   xvfb-run -a -s '-screen 0 1280x800x24 -noreset' dbus-run-session -- \
#       /usr/bin/python3 tests/bench/run-benchmarks.py -C build-bench --runs 2 -o table.md
#
# Each run is one `meson test -C BUILD --benchmark -v` (all benchmarks, one after the other,
# on this machine); the benchmarks print `FIGURE key value unit` lines, collected here from
# meson's log of that run. Without an X display or session bus the command re-runs itself under
# xvfb-run and dbus-run-session. The raw log of each run is kept as BUILD/bench-run-N.txt.
# Writes a Markdown table (figures of every run side by side, the goal, met or missed) to
# --output or stdout. Exits 0 when every run completed, whatever the figures.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time

XVFB = ['xvfb-run', '-a', '-s', '-screen 0 1280x800x24 -noreset', 'dbus-run-session', '--']

# (label, how the value is made, unit, goal text, goal check or None)
# A value is a figure key, or ('ratio', numerator key, denominator key).
ROWS = [
    ('Echo, app server in-process (trace on) / minimal GIO, 1 connection',
     ('ratio', 'echo.inproc.app.1', 'echo.inproc.gio.1'), '×', '≥ 0.8×', lambda v: v >= 0.8),
    ('Echo, app server in-process (trace on) / minimal GIO, 50 connections',
     ('ratio', 'echo.inproc.app.50', 'echo.inproc.gio.50'), '×', '≥ 0.8×', lambda v: v >= 0.8),
    ('Echo, app server in-process (trace on) / minimal GIO, 500 connections',
     ('ratio', 'echo.inproc.app.500', 'echo.inproc.gio.500'), '×', '≥ 0.8×',
     lambda v: v >= 0.8),
    ('Echo, socket-lab-cli trace on (to /dev/null) / GIO process, 1 connection',
     ('ratio', 'echo.cli.trace.1', 'echo.proc.gio.1'), '×', '≥ 0.8×', lambda v: v >= 0.8),
    ('Echo, socket-lab-cli trace on (to /dev/null) / GIO process, 50 connections',
     ('ratio', 'echo.cli.trace.50', 'echo.proc.gio.50'), '×', '≥ 0.8×', lambda v: v >= 0.8),
    ('Echo, socket-lab-cli trace on (to /dev/null) / GIO process, 500 connections',
     ('ratio', 'echo.cli.trace.500', 'echo.proc.gio.500'), '×', '≥ 0.8×', lambda v: v >= 0.8),
    ('Echo, socket-lab-cli --quiet / GIO process, 1 connection',
     ('ratio', 'echo.cli.quiet.1', 'echo.proc.gio.1'), '×', '(≥ 0.8×)', lambda v: v >= 0.8),
    ('Echo, socket-lab-cli --quiet / GIO process, 50 connections',
     ('ratio', 'echo.cli.quiet.50', 'echo.proc.gio.50'), '×', '(≥ 0.8×)', lambda v: v >= 0.8),
    ('Echo, socket-lab-cli --quiet / GIO process, 500 connections',
     ('ratio', 'echo.cli.quiet.500', 'echo.proc.gio.500'), '×', '(≥ 0.8×)',
     lambda v: v >= 0.8),
    ('Echo, minimal GIO in-process, 1 / 50 / 500 connections (round trips/s)',
     ('triple', 'echo.inproc.gio.1', 'echo.inproc.gio.50', 'echo.inproc.gio.500'), '', '—',
     None),
    ('Echo, app in-process trace on, 1 / 50 / 500 connections (round trips/s)',
     ('triple', 'echo.inproc.app.1', 'echo.inproc.app.50', 'echo.inproc.app.500'), '', '—',
     None),
    ('Echo, GIO process, 1 / 50 / 500 connections (round trips/s)',
     ('triple', 'echo.proc.gio.1', 'echo.proc.gio.50', 'echo.proc.gio.500'), '', '—', None),
    ('Echo, socket-lab-cli trace on, 1 / 50 / 500 connections (round trips/s)',
     ('triple', 'echo.cli.trace.1', 'echo.cli.trace.50', 'echo.cli.trace.500'), '', '—', None),
    ('Echo, socket-lab-cli --quiet, 1 / 50 / 500 connections (round trips/s)',
     ('triple', 'echo.cli.quiet.1', 'echo.cli.quiet.50', 'echo.cli.quiet.500'), '', '—', None),
    ('Main-loop latency during a 20,000 msg/s flood, p50', 'flood.p50', 'ms', '—', None),
    ('Main-loop latency during a 20,000 msg/s flood, p99', 'flood.p99', 'ms', '< 16 ms',
     lambda v: v < 16),
    ('Main-loop latency during the flood, p99.9 / max', ('pair', 'flood.p999', 'flood.max'),
     'ms', '—', None),
    ('Share of the flood time the loop was late by more than 16 ms', 'flood.blocked', '%', '—',
     None),
    ('Frames drawn during the flood', 'flood.fps', 'frames/s', '—', None),
    ('Flood: layout phase of a frame, p99 / max', ('pair', 'flood.layout.p99',
                                                   'flood.layout.max'), 'ms', '—', None),
    ('The whole window (SlWindow, server page) during the flood: latency p50 / p99',
     ('pair', 'window-flood.p50', 'window-flood.p99'), 'ms', 'p99 < 16 ms',
     lambda v: v[1] < 16),
    ('The whole window during the flood: p99.9 / max', ('pair', 'window-flood.p999',
                                                        'window-flood.max'), 'ms', '—', None),
    ('The whole window during the flood: time late by > 16 ms / frames per second',
     ('pair', 'window-flood.blocked', 'window-flood.fps'), '', '—', None),
    ('Baseline flood, view not bound to the log: main-loop latency p50 / p99 / max',
     ('triple', 'flood-unbound.p50', 'flood-unbound.p99', 'flood-unbound.max'), 'ms', '—', None),
    ('Log memory per entry at 1,000,000 entries, beyond the 16-byte payload',
     'log.bytes-per-entry', 'B', '≤ 150 B', lambda v: v <= 150),
    ('Log shown in the view, VmRSS per row at 1,000,000 rows (64-byte payload included)',
     'log-view.bytes-per-row', 'B', '—', None),
    ('Accept 1,000 clients: the engine lists them (from the first connect)',
     'accept-list.accepted', 'ms', '—', None),
    ('Accept and list 1,000 clients: connection list drawn with 1,000 rows',
     'accept-list.shown', 'ms', '—', None),
    ('All 1,000 close at once: connection list empty', 'accept-list.emptied', 'ms', '—', None),
    ('First frame, real socket-lab from exec(), first (cold) launch',
     'first-frame.launch.cold', 'ms', '—', None),
    ('Window mapped, real socket-lab from exec() (median of 5 warm launches)',
     'first-frame.launch.mapped', 'ms', '—', None),
    ('First frame, real socket-lab from exec() (median of 5 warm launches)',
     'first-frame.launch', 'ms', '—', None),
    ('First frame in-process: gtk_init + SlWindow + present until drawn',
     'first-frame.inprocess', 'ms', '—', None),
    ('A second SlWindow in the same process, until drawn', 'first-frame.second-window', 'ms',
     '—', None),
    ('Idle memory, socket-lab start screen (VmRSS / Pss, no AT-SPI client)',
     ('pair', 'idle.app.start.rss', 'idle.app.start.pss'), 'MiB', '—', None),
    ('Idle memory, socket-lab with the demo pair (VmRSS / Pss, AT-SPI client attached)',
     ('pair', 'idle.app.demo.rss', 'idle.app.demo.pss'), 'MiB', '—', None),
    ('Idle memory, in-process window, start screen (VmRSS / Pss)',
     ('pair', 'idle.window.start.rss', 'idle.window.start.pss'), 'MiB', '—', None),
    ('Idle memory, in-process window with the demo pair (VmRSS / Pss)',
     ('pair', 'idle.window.demo.rss', 'idle.window.demo.pss'), 'MiB', '—', None),
    ('Idle memory, socket-lab-cli tcp-server, trace on (VmRSS / Pss)',
     ('pair', 'idle.cli.rss', 'idle.cli.pss'), 'MiB', '—', None),
    ('Idle memory, socket-lab-cli tcp-server --quiet (VmRSS / Pss)',
     ('pair', 'idle.cli.quiet.rss', 'idle.cli.quiet.pss'), 'MiB', '—', None),
]

FIGURE = re.compile(r'^FIGURE (\S+) (\S+) (\S+)$', re.M)


def machine():
    cpu = 'unknown CPU'
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    distro = ''
    try:
        with open('/etc/os-release') as f:
            for line in f:
                if line.startswith('PRETTY_NAME='):
                    distro = line.split('=', 1)[1].strip().strip('"')
    except OSError:
        pass
    return '%s, %s, %d cores (nproc), Linux %s' % (distro, cpu, os.cpu_count() or 0,
                                                  platform.release())


def load():
    with open('/proc/loadavg') as f:
        return ' '.join(f.read().split()[:3])


def run_once(build, index, only):
    log_path = os.path.join(build, 'meson-logs', 'testlog.json')
    command = ['meson', 'test', '-C', build, '--benchmark', '-v', '--num-processes', '1'] + only
    before = load()
    start = time.monotonic()
    completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    elapsed = time.monotonic() - start
    text = completed.stdout.decode('utf-8', 'replace')
    with open(os.path.join(build, 'bench-run-%d.txt' % index), 'w') as f:
        f.write(text)
    figures = {}
    results = {}
    # meson writes the benchmark log as testlog.json (or benchmarklog.json, by version).
    for name in ('benchmarklog.json', 'testlog.json'):
        path = os.path.join(build, 'meson-logs', name)
        if os.path.exists(path) and os.path.getmtime(path) >= time.time() - elapsed - 5:
            log_path = path
            break
    try:
        with open(log_path) as f:
            for line in f:
                entry = json.loads(line)
                results[entry['name']] = entry['result']
                for key, value, unit in FIGURE.findall(entry.get('stdout') or ''):
                    figures[key] = float(value)
    except (OSError, ValueError):
        for key, value, unit in FIGURE.findall(text):
            figures[key] = float(value)
    return {'figures': figures, 'results': results, 'returncode': completed.returncode,
            'elapsed': elapsed, 'load': before}


def value(figures, how):
    if isinstance(how, str):
        return figures.get(how)
    kind, *keys = how
    values = [figures.get(k) for k in keys]
    if any(v is None for v in values):
        return None
    if kind == 'ratio':
        return values[0] / values[1] if values[1] else None
    return tuple(values)


def fmt(v, unit):
    if v is None:
        return 'n/a'
    if isinstance(v, tuple):
        return ' / '.join(fmt(x, '') for x in v) + (' ' + unit if unit else '')
    if unit == '×':
        return '%.2f×' % v
    if abs(v) >= 1000:
        text = '{:,.0f}'.format(v)
    elif abs(v) >= 100:
        text = '%.0f' % v
    elif abs(v) >= 10:
        text = '%.1f' % v
    else:
        text = '%.2f' % v
    return text + (' ' + unit if unit else '')


def table(runs):
    lines = []
    header = '| Figure | ' + ' | '.join('Run %d' % (i + 1) for i in range(len(runs))) + \
             ' | Goal | Met |'
    lines.append(header)
    lines.append('|' + '---|' * (len(runs) + 3))
    for label, how, unit, goal, check in ROWS:
        values = [value(r['figures'], how) for r in runs]
        if check is None:
            met = ''
        elif any(v is None for v in values):
            met = 'n/a'
        else:
            verdicts = [check(v) for v in values]
            met = 'met' if all(verdicts) else ('missed' if not any(verdicts) else
                                               'met in %d of %d runs' % (sum(verdicts),
                                                                         len(verdicts)))
        lines.append('| %s | %s | %s | %s |' % (label, ' | '.join(fmt(v, unit) for v in values),
                                                goal, met))
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('-C', dest='build', default='build-bench')
    parser.add_argument('--runs', type=int, default=2)
    parser.add_argument('-o', '--output')
    parser.add_argument('benchmarks', nargs='*', help='only these benchmarks (default: all)')
    args = parser.parse_args()

    if not os.environ.get('DISPLAY') or not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
        if shutil.which('xvfb-run') is None or shutil.which('dbus-run-session') is None:
            print('run-benchmarks: needs an X display and a session bus, or xvfb-run and '
                  'dbus-run-session', file=sys.stderr)
            return 1
        os.execvp(XVFB[0], XVFB + [sys.executable] + sys.argv)

    runs = []
    for i in range(args.runs):
        print('run-benchmarks: run %d of %d (load average %s) ...' % (i + 1, args.runs, load()),
              file=sys.stderr, flush=True)
        run = run_once(args.build, i + 1, args.benchmarks)
        print('run-benchmarks: run %d took %.0f s, meson exit %d, %s'
              % (i + 1, run['elapsed'], run['returncode'],
                 ', '.join('%s %s' % kv for kv in sorted(run['results'].items()))),
              file=sys.stderr, flush=True)
        runs.append(run)

    out = []
    out.append('Machine: %s. Display: Xvfb 1280×800×24, GSK_RENDERER=cairo.' % machine())
    out.append('')
    out.append('Runs: ' + '; '.join('run %d: %s, %.0f s, load average before %s'
                                    % (i + 1, 'all completed' if r['returncode'] == 0 else
                                       'meson exit %d' % r['returncode'], r['elapsed'],
                                       r['load'])
                                    for i, r in enumerate(runs)) + '.')
    out.append('')
    out.append(table(runs))
    text = '\n'.join(out) + '\n'
    if args.output:
        with open(args.output, 'w') as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0 if all(r['returncode'] == 0 for r in runs) else 1


if __name__ == '__main__':
    sys.exit(main())
