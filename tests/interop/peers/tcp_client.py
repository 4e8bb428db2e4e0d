# tcp_client.py ADDRESS — the interactive client of tutorial 003
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads lines (input()), skips empty ones, stops at "exit" or end of input;
sends each line and prints the reply as bytes. Every wait is bounded."""

import sys
from socket import *

from peerlib import parse_address

family, address = parse_address(sys.argv[1])

client = socket(family=family, type=SOCK_STREAM)
client.settimeout(10)  # a test peer never waits forever

client.connect(address)

# keep talking with the server
while 1:
    try:
        sendMsg = input()
    except EOFError:
        break

    # do not let the client send an empty message
    if not sendMsg:
        continue

    # "exit" ends the conversation
    if sendMsg == "exit":
        break

    client.send(sendMsg.encode("u8"))
    recvMsg = client.recv(1024)
    if not recvMsg:
        print("server closed", flush=True)
        break
    print(recvMsg, flush=True)

print("client close", flush=True)
client.close()
