#!/usr/bin/python3
# bench-cli-echo.py — echo round trips per second of socket-lab-cli, quiet and with the trace on
#
# Usage: bench-cli-echo.py PATH/TO/socket-lab-cli
#
# Starts `socket-lab-cli tcp-server 127.0.0.1:0 --reply=echo` once with --quiet and
# once with the trace printed (its stdout read and thrown away by this script, as
# /dev/null would), reads the port from the first line ("listening on HOST:PORT"),
# runs 50 client threads doing 64-byte round trips for 3 s, and prints the rates.
# Exits 0 after printing; 1 if the server could not be started or an echo was wrong.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import socket
import subprocess
import sys
import threading
import time

CLIENTS = 50
DURATION = 3.0
MESSAGE_SIZE = 64


def start_server(cli, quiet):
    args = [cli, 'tcp-server', '127.0.0.1:0', '--reply=echo', '--backlog=128']
    if quiet:
        args.append('--quiet')
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline().decode('utf-8', 'replace').strip()
    if not first.startswith('listening on '):
        proc.kill()
        err = proc.stderr.read().decode('utf-8', 'replace')
        raise RuntimeError('unexpected first line %r (stderr: %s)' % (first, err.strip()))
    port = int(first.rsplit(':', 1)[1])

    # The trace goes nowhere, as with >/dev/null, but must be read or the pipe fills.
    def drain(stream):
        while stream.read(65536):
            pass

    for stream in (proc.stdout, proc.stderr):
        threading.Thread(target=drain, args=(stream,), daemon=True).start()
    return proc, port


def client(port, start, deadline, counts, errors, index):
    try:
        sock = socket.create_connection(('127.0.0.1', port), timeout=10)
    except OSError as e:
        errors.append('connect: %s' % e)
        return
    message = bytes((97 + (index + i) % 26) for i in range(MESSAGE_SIZE))
    n = 0
    start.wait()
    try:
        while time.monotonic() < deadline[0]:
            sock.sendall(message)
            got = b''
            while len(got) < MESSAGE_SIZE:
                chunk = sock.recv(MESSAGE_SIZE - len(got))
                if not chunk:
                    raise OSError('server closed the connection')
                got += chunk
            if got != message:
                raise OSError('echo differs from what was sent')
            n += 1
    except OSError as e:
        errors.append(str(e))
    finally:
        sock.close()
    counts[index] = n


def measure(cli, quiet):
    proc, port = start_server(cli, quiet)
    counts = [0] * CLIENTS
    errors = []
    start = threading.Event()
    deadline = [0.0]
    threads = [threading.Thread(target=client,
                                args=(port, start, deadline, counts, errors, i))
               for i in range(CLIENTS)]
    try:
        for t in threads:
            t.start()
        time.sleep(0.3)  # let every client connect before the clock starts
        deadline[0] = time.monotonic() + DURATION
        begin = time.monotonic()
        start.set()
        for t in threads:
            t.join(DURATION + 30)
        elapsed = time.monotonic() - begin
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    if errors:
        raise RuntimeError('; '.join(sorted(set(errors))[:3]))
    return sum(counts) / elapsed


def main():
    if len(sys.argv) != 2:
        print('usage: bench-cli-echo.py SOCKET-LAB-CLI', file=sys.stderr)
        return 2
    cli = sys.argv[1]
    print('socket-lab-cli tcp-server --reply=echo: %d Python client threads, %d-byte round '
          'trips, %.0f s each' % (CLIENTS, MESSAGE_SIZE, DURATION))
    try:
        quiet = measure(cli, True)
        print('  --quiet          %10.0f round trips/s' % quiet)
        traced = measure(cli, False)
        print('  trace on (piped) %10.0f round trips/s' % traced)
        print('  trace/quiet      %10.2f' % (traced / quiet if quiet else 0.0))
    except (RuntimeError, OSError) as e:
        print('bench-cli-echo: %s' % e, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
