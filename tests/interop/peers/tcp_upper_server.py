# tcp_upper_server.py ADDRESS [CLIENTS] — the final uppercase server of tutorial 003
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connection loop + communication loop, SO_REUSEADDR, conn.send(data.upper()).
Binds ADDRESS (port 0 works) and prints "listening on HOST:PORT" first. Serves
CLIENTS clients one after another (0 = until killed); every wait is bounded."""

import os
import sys
from socket import *

from peerlib import listening_line, parse_address

family, address = parse_address(sys.argv[1])
clients = int(sys.argv[2]) if len(sys.argv) > 2 else 0

server = socket(family=family, type=SOCK_STREAM)
if family != AF_UNIX:
    server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)

server.bind(address)

server.listen(5)
server.settimeout(30)  # a test peer never waits forever
print(listening_line(server), flush=True)

served = 0
while 1:

    conn, clientAddr = server.accept()
    conn.settimeout(30)
    print("%s connect server" % (clientAddr,), flush=True)

    while 1:

        # try: for Windows (and for an abrupt close anywhere)
        try:

            data = conn.recv(1024)

            # if: for Unix
            if not data:
                break

            print("recv:", data, flush=True)
            conn.send(data.upper())

        except ConnectionResetError as e:
            print("reset:", e, flush=True)
            break

    print("%s close connect" % (clientAddr,), flush=True)
    conn.close()

    served += 1
    if clients and served >= clients:
        break

server.close()
if family == AF_UNIX:
    os.unlink(address)
