# b64_server.py ADDRESS — the base64 server of tutorial 000
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Accepts one client, receives until b'', prints each message base64-decoded
as UTF-8 text. Prints "listening on HOST:PORT" first; waits are bounded."""

import base64
import sys
import socket

from peerlib import listening_line, parse_address

family, address = parse_address(sys.argv[1])
BUFLEN = 512  # bytes read at once

server = socket.socket(family, socket.SOCK_STREAM)
server.bind(address)

server.listen(2)
server.settimeout(30)
print(listening_line(server), flush=True)

data, address = server.accept()
data.settimeout(30)
while True:
    receive = data.recv(BUFLEN)

    if not receive:
        break

    info = receive.decode('utf-8')
    info1 = base64.b64decode(info)  # decode the message
    print("decoded:", info1.decode('utf-8'), flush=True)

data.close()
server.close()
