# hmac_server.py DIGEST SALT ADDRESS [CLIENTS] — the authenticating server of tutorial 003
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Serves CLIENTS clients (1 by default) one after the other, as the
tutorial's TcpServer does: on accept, send os.urandom(32), read the client's
hmac.new(salt, challenge, DIGEST).digest() and compare it with
hmac.compare_digest; "verification fail" closes that client and the server
goes on with the next. An authenticated client's JSON messages are echoed
back (json.loads, then json.dumps), until it closes.

DIGEST is md5 (what the tutorial's hmac.new(salt, msg) made before Python
3.8) or sha256. One change from the tutorial: the reply is read with
recv_exact(digest size) instead of one recv(1024), because TCP is a stream and
the digest may arrive split, or merged with the first message. Prints
"listening on HOST:PORT" first; every wait is bounded."""

import hmac
import json
import os
import sys
from socket import SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR, socket, timeout

from peerlib import listening_line, parse_address

DIGEST = sys.argv[1]
SALT = sys.argv[2].encode("utf-8")
family, address = parse_address(sys.argv[3])
CLIENTS = int(sys.argv[4]) if len(sys.argv) > 4 else 1
BUFSIZE = 1024
DIGEST_SIZE = {"md5": 16, "sha256": 32}[DIGEST]


def recv_exact(conn, size):
    """Reads exactly @size bytes, or fewer if the peer closes first."""
    data = b""
    while len(data) < size:
        piece = conn.recv(size - len(data))
        if not piece:
            break
        data += piece
    return data


def verification(conn):
    """验证链接合法性 (checks the link is legitimate)"""
    verification_string = os.urandom(32)
    conn.sendall(verification_string)
    recv_msg = recv_exact(conn, DIGEST_SIZE)
    h = hmac.new(SALT, verification_string, DIGEST)
    digest = h.digest()
    return hmac.compare_digest(digest, recv_msg)


server = socket(family=family, type=SOCK_STREAM)
server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
server.bind(address)
server.listen(5)
server.settimeout(30)
print(listening_line(server), flush=True)

for _ in range(CLIENTS):
    conn, client_addr = server.accept()
    conn.settimeout(10)
    try:
        if not verification(conn):
            print("verification fail", flush=True)
            conn.close()
            continue
        print("verified", flush=True)
        while True:
            data = conn.recv(BUFSIZE)
            if not data:
                print("client close", flush=True)
                break
            message = json.loads(data.decode("u8"))
            print("received:", message, flush=True)
            conn.sendall(json.dumps(message).encode("u8"))
    except (ConnectionResetError, timeout) as e:
        print("error:", type(e).__name__, flush=True)
    conn.close()

server.close()
