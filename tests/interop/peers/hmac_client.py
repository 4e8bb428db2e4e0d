# hmac_client.py DIGEST SALT ADDRESS — the authenticating client of tutorial 003
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connects, reads the server's 32-byte challenge, answers
hmac.new(salt, challenge, DIGEST).digest(), then sends each line of stdin as
json.dumps(line) and prints the reply json.loads'ed, as the tutorial's
TcpClient does; "exit" or the end of input stops it.

One change from the tutorial: the challenge is read with recv_exact(32)
instead of one recv(1024), because TCP is a stream and the challenge may
arrive split, or merged with the server's first message. When the server
closes (it does after "verification fail") the client prints "server closed".
Every wait is bounded."""

import hmac
import json
import sys
from socket import SOCK_STREAM, socket

from peerlib import parse_address

DIGEST = sys.argv[1]
SALT = sys.argv[2].encode("utf-8")
family, address = parse_address(sys.argv[3])


def recv_exact(sock, size):
    data = b""
    while len(data) < size:
        piece = sock.recv(size - len(data))
        if not piece:
            break
        data += piece
    return data


client = socket(family, SOCK_STREAM)
client.settimeout(10)
client.connect(address)

msg = recv_exact(client, 32)
h = hmac.new(SALT, msg, DIGEST)
digest = h.digest()
client.sendall(digest)
print("digest sent", flush=True)

while True:
    try:
        send_msg = input()
    except EOFError:
        break
    if not send_msg:
        continue
    if send_msg == "exit":
        break
    try:
        client.sendall(json.dumps(send_msg).encode("u8"))
        data = client.recv(1024)
    except ConnectionResetError:
        data = b""
    if not data:
        print("server closed", flush=True)
        break
    print(json.loads(data.decode("u8")), flush=True)

client.close()
