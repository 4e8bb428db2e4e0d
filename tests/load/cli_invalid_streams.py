#!/usr/bin/python3
# cli_invalid_streams.py — what a user of socket-lab-cli sees when a peer
# streams bytes that are not valid in the server's encoding (issue 9).
#
# A socket-lab-cli echo server with --encoding base64, json and text gets
# 256 KiB of random bytes from one client and a valid message from another.
# Every data row of the bad stream must say why it cannot be decoded (text:
# show the bytes as \xNN), every byte must come back, and the valid message
# must still be decoded and echoed.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time

CLI = os.environ['SL_CLI']
TOTAL = 256 * 1024
DEADLINE = 30

CASES = [
    # encoding, garbage prefix, valid message, annotation of undecodable rows,
    # annotation of the valid message's row
    ('base64', b'@@ not*base64 !!', b'aGVsbG8=', '[Base64: ', '[base64 \u2192 hello]'),
    ('json', b'{"open": [1, 2,', b'{"ok": true}', '[JSON: ', '[json \u2192 {"ok" : true}]'),
    ('text', b'\xff\xfe\xc3\x28 caf\xe9', b'h\xc3\xa9llo', None, None),
]


def fail(message):
    print('FAIL: ' + message)
    sys.exit(1)


def recv_exactly(sock, n):
    data = bytearray()
    sock.settimeout(DEADLINE)
    while len(data) < n:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return bytes(data)


def run_case(encoding, garbage, valid, bad_note, good_note):
    server = subprocess.Popen([CLI, 'tcp-server', '127.0.0.1:0', '--reply=echo',
                               '--encoding=' + encoding, '--duration=%d' % DEADLINE],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first = server.stdout.readline().decode()
        match = re.match(r'listening on 127\.0\.0\.1:(\d+)', first)
        if not match:
            fail('%s: first line %r' % (encoding, first))
        port = int(match.group(1))
        # Drain the trace as it comes: a full pipe would block the server.
        chunks = []
        reader = threading.Thread(target=lambda: chunks.append(server.stdout.read()))
        reader.start()

        rng = random.Random(9)
        stream = bytearray(rng.getrandbits(8) for _ in range(TOTAL))
        for at in range(0, TOTAL - len(garbage), 1000):
            stream[at:at + len(garbage)] = garbage
        stream = bytes(stream)

        bad = socket.create_connection(('127.0.0.1', port), timeout=DEADLINE)
        good = socket.create_connection(('127.0.0.1', port), timeout=DEADLINE)
        bad_port = bad.getsockname()[1]
        good_port = good.getsockname()[1]
        bad.sendall(stream)
        if recv_exactly(bad, TOTAL) != stream:
            fail('%s: the echo of the invalid stream differs' % encoding)
        good.sendall(valid)
        if recv_exactly(good, len(valid)) != valid:
            fail('%s: the valid message was not echoed' % encoding)
        bad.sendall(valid)
        if recv_exactly(bad, len(valid)) != valid:
            fail('%s: the client that sent garbage is no longer served' % encoding)
        bad.close()
        good.close()
        time.sleep(0.3)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=DEADLINE)
    reader.join(timeout=DEADLINE)
    out = b''.join(chunks)
    err = server.stderr.read()

    lines = out.decode('utf-8', 'replace').splitlines()
    bad_in = [line for line in lines
              if " in " in line and "('127.0.0.1', %d)" % bad_port in line
              and 'conn.recv(1024) \u2192 b' in line and "b''" not in line]
    good_in = [line for line in lines
               if " in " in line and "('127.0.0.1', %d)" % good_port in line
               and 'conn.recv(1024)' in line and "b''" not in line]
    if len(bad_in) < TOTAL // 1024:
        fail('%s: only %d data rows for the invalid stream' % (encoding, len(bad_in)))
    garbage_rows = bad_in[:-1]   # the last one is the valid message
    if bad_note is not None:
        missing = [line for line in garbage_rows if bad_note not in line]
        if missing:
            fail('%s: %d rows do not say why they cannot be decoded, e.g. %s'
                 % (encoding, len(missing), missing[0][:200]))
        if good_note not in good_in[0] or good_note not in bad_in[-1]:
            fail('%s: the valid message is not shown decoded: %s' % (encoding, good_in[0]))
    else:
        plain = [line for line in garbage_rows if '\\x' not in line]
        if plain:
            fail('text: %d rows show no \\xNN escape, e.g. %s' % (len(plain), plain[0][:200]))
    if 'Traceback' in err.decode('utf-8', 'replace') or server.returncode != 0:
        fail('%s: the server ended with %d: %s' % (encoding, server.returncode, err[-500:]))
    note = garbage_rows[0][garbage_rows[0].find('  ['):][:120] if bad_note else '(\\xNN escapes)'
    print('# figure: socket-lab-cli --encoding=%s: %d rows of an invalid 256 KiB stream, each '
          'annotated: %s' % (encoding, len(garbage_rows), note))


def main():
    for case in CASES:
        run_case(*case)
    print('ok: every row of an invalid stream says why, every byte came back')


if __name__ == '__main__':
    main()
