# udp_upper_server.py ADDRESS [DATAGRAMS] — the UDP uppercase server of tutorial 003
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""recvfrom() loop answering data.upper() to each sender (a Unix path makes it
a Unix datagram server). Prints "listening on ..." first; stops after DATAGRAMS
datagrams (0 = until killed); every wait is bounded."""

import os
import sys
from socket import *

from peerlib import listening_line, parse_address

family, address = parse_address(sys.argv[1])
datagrams = int(sys.argv[2]) if len(sys.argv) > 2 else 0

server = socket(family=family, type=SOCK_DGRAM)
if family != AF_UNIX:
    server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)

server.bind(address)
server.settimeout(30)
print(listening_line(server), flush=True)

received = 0
while 1:
    data, clientAddr = server.recvfrom(1024)
    print("recv:", data, "from", clientAddr, flush=True)
    if clientAddr:
        server.sendto(data.upper(), clientAddr)
    received += 1
    if datagrams and received >= datagrams:
        break

server.close()
if family == AF_UNIX:
    os.unlink(address)
