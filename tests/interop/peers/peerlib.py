# peerlib.py — address helpers shared by the tutorial-style peers
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""The peers take one address on the command line, as socket-lab-cli does:
HOST:PORT, [IPv6]:PORT, or a filesystem path for a Unix socket."""

from socket import AF_INET, AF_INET6, AF_UNIX


def parse_address(text):
    """Return (family, address) as socket.bind()/connect() want them."""
    if text.startswith("/"):
        return AF_UNIX, text
    if text.startswith("["):
        host, _, port = text[1:].partition("]:")
        return AF_INET6, (host, int(port))
    host, _, port = text.rpartition(":")
    return AF_INET, (host, int(port))


def listening_line(sock):
    """The first line a server prints, like socket-lab-cli: the real port."""
    name = sock.getsockname()
    if sock.family == AF_UNIX:
        return "listening on %s" % name
    if sock.family == AF_INET6:
        return "listening on [%s]:%d" % (name[0], name[1])
    return "listening on %s:%d" % name
