# closing_peer.py client|server ADDRESS fin|rst — a peer that ends the conversation
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""client: connects, sends b'hello', reads the reply, then ends.
server: prints "listening on ...", accepts one client, reads one message,
answers data.upper(), then ends.
fin: close() as usual (FIN, the other side's recv() returns b'').
rst: SO_LINGER {on, 0 s} then close(): the kernel sends RST, as when a
program is killed with unread data; the other side gets ECONNRESET."""

import struct
import sys
import time
from socket import *

from peerlib import listening_line, parse_address

role, how = sys.argv[1], sys.argv[3]
family, address = parse_address(sys.argv[2])


def end(sock):
    if how == "rst":
        sock.setsockopt(SOL_SOCKET, SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
    print("closed with", how, flush=True)


if role == "client":
    client = socket(family=family, type=SOCK_STREAM)
    client.settimeout(10)
    client.connect(address)
    client.send(b"hello")
    print(client.recv(1024), flush=True)
    end(client)
else:
    server = socket(family=family, type=SOCK_STREAM)
    server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
    server.bind(address)
    server.listen(5)
    server.settimeout(30)
    print(listening_line(server), flush=True)
    conn, clientAddr = server.accept()
    conn.settimeout(10)
    data = conn.recv(1024)
    print("recv:", data, flush=True)
    conn.send(data.upper())
    time.sleep(0.2)  # let the reply arrive before the connection ends
    end(conn)
    server.close()
