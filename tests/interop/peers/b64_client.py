# b64_client.py ADDRESS — the base64 client of tutorial 000
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads lines, sends base64.b64encode(msg.encode('utf-8')), prints each reply
base64-decoded as UTF-8 text. Stops at end of input; waits are bounded."""

import base64
import sys
import socket

from peerlib import parse_address

family, address = parse_address(sys.argv[1])
BUFLEN = 512  # bytes read at once

client = socket.socket(family, socket.SOCK_STREAM)
client.settimeout(10)
client.connect(address)

while True:
    try:
        msg = input()
    except EOFError:
        break

    client.send(base64.b64encode(msg.encode('utf-8')))

    received = client.recv(BUFLEN)
    if not received:
        break
    received1 = received.decode('utf-8')
    print("decoded:", base64.b64decode(received1).decode('utf-8'), flush=True)

client.close()
