# udp_client.py ADDRESS [LOCAL_PATH] — the UDP client of tutorial 003
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads lines, sendto()s each one, prints the reply of recvfrom(). A Unix
datagram client must bind a path of its own to get replies: LOCAL_PATH.
Stops at "exit" or end of input; every wait is bounded."""

import os
import sys
from socket import *

from peerlib import parse_address

family, address = parse_address(sys.argv[1])

client = socket(family=family, type=SOCK_DGRAM)
client.settimeout(10)
if family == AF_UNIX:
    client.bind(sys.argv[2])

while 1:
    try:
        sendMsg = input()
    except EOFError:
        break

    if sendMsg == "exit":
        break

    client.sendto(sendMsg.encode("u8"), address)

    msg, serverAddr = client.recvfrom(1024)
    print(msg, flush=True)

client.close()
if family == AF_UNIX:
    os.unlink(sys.argv[2])
