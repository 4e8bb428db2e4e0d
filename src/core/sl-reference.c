/* sl-reference.c — the reference panels: every method, constant and concept of the tutorials
 *
 * The text is a static table: English msgids marked with N_() (translated through po/), code
 * (signatures, C and GIO calls, Python examples) left as it is. Where the tutorials in
 * shared/seeds are wrong or outdated, the entry's note says so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n.h>

#include "sl-reference.h"

#define M SL_REFERENCE_KIND_METHOD
#define C SL_REFERENCE_KIND_CONSTANT
#define T SL_REFERENCE_KIND_TOPIC

static const SlReferenceEntry entries[] = {
  /* Methods. */
  {
    .id = "socket", .kind = M, .title = "socket.socket()",
    .signature = "socket.socket(family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None)",
    .summary = N_("Creates a new socket: one end of a network conversation. The family says "
                  "which kind of address it uses (AF_INET for IPv4, AF_INET6 for IPv6, AF_UNIX "
                  "for a file path) and the type how data flows (SOCK_STREAM for TCP, SOCK_DGRAM "
                  "for UDP). The protocol number is almost always 0, the default for the type."),
    .blocking = N_("Never blocks."),
    .returns = N_("A new socket object (in the trace: <socket fd=N>, its file descriptor)."),
    .errors = N_("EAFNOSUPPORT, EPROTONOSUPPORT, ESOCKTNOSUPPORT — OSError: the system does not "
                 "offer this family, protocol or type (e.g. SOCK_RDM over IPv4).\n"
                 "EMFILE — OSError: the process has too many open files; close sockets you no "
                 "longer need.\n"
                 "EPERM or EACCES — PermissionError: raw sockets need root (CAP_NET_RAW)."),
    .posix = "int socket(int domain, int type, int protocol);",
    .gio = "g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, "
           "G_SOCKET_PROTOCOL_DEFAULT, &error)",
    .example = "import socket\n"
               "\n"
               "server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # TCP over IPv4\n"
               "udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)      # UDP over IPv4",
    .note = N_("The tutorials write socket.socket([family[, type[, proto]]]), the Python 2 "
               "notation. In Python 3 the arguments are keywords with defaults: socket.socket() "
               "alone is an IPv4 TCP socket, as tutorial 004 uses it."),
    .keywords = "create new socket() family type proto 套接字",
  },
  {
    .id = "bind", .kind = M, .title = "bind()",
    .signature = "sock.bind(address)",
    .summary = N_("Gives the socket its local address: for AF_INET a tuple (host, port), for "
                  "AF_INET6 (host, port, flowinfo, scope_id), for AF_UNIX a file path. A server "
                  "must bind so clients can find it; a client usually does not (the kernel picks "
                  "a free ephemeral port at connect() or the first sendto()). Host '127.0.0.1' "
                  "or 'localhost' accepts only this computer; '' or '0.0.0.0' every network "
                  "interface. Port 0 asks the kernel for any free port: read it back with "
                  "getsockname()."),
    .blocking = N_("Never blocks."),
    .returns = N_("None."),
    .errors = N_("EADDRINUSE — OSError: [Errno 98] Address already in use: another socket has "
                 "the port, or old connections are still in TIME_WAIT (set SO_REUSEADDR before "
                 "bind()); for AF_UNIX the file still exists (delete it first).\n"
                 "EACCES — PermissionError: ports below 1024 need root.\n"
                 "EADDRNOTAVAIL — OSError: this computer has no such IP address.\n"
                 "EINVAL — OSError: the socket is already bound."),
    .posix = "int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);",
    .gio = "g_socket_bind (socket, address, TRUE /* allow_reuse: SO_REUSEADDR */, &error)",
    .example = "server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
               "server.bind(('127.0.0.1', 8888))\n"
               "print(server.getsockname())  # ('127.0.0.1', 8888)",
    .note = N_("Tutorial 001's method table says bind() returns a tuple of IP address and port: "
               "it returns None; getsockname() tells the address."),
    .keywords = "address port host 0.0.0.0 localhost 127.0.0.1 绑定 端口",
  },
  {
    .id = "listen", .kind = M, .title = "listen()",
    .signature = "sock.listen([backlog])",
    .summary = N_("Turns a bound TCP socket into a listening socket. From now on the kernel "
                  "completes three-way handshakes by itself and queues the finished connections "
                  "until accept() takes them. backlog is the length of that queue of "
                  "established, not yet accepted connections (Linux allows backlog + 1, and "
                  "caps it at net.core.somaxconn). It is not a limit on how many clients the "
                  "server serves in total. A listening socket never sends or receives data "
                  "itself."),
    .blocking = N_("Never blocks."),
    .returns = N_("None."),
    .errors = N_("EADDRINUSE — OSError: another socket already listens on this port.\n"
                 "EOPNOTSUPP — OSError: the socket type cannot listen (UDP has no listen())."),
    .posix = "int listen(int sockfd, int backlog);",
    .gio = "g_socket_set_listen_backlog (socket, 5); g_socket_listen (socket, &error)",
    .example = "server.bind(('127.0.0.1', 8888))\n"
               "server.listen(5)\n"
               "conn, addr = server.accept()",
    .note = N_("Tutorial 000 writes listen(2) “at most two clients” and tutorial 001 says "
               "backlog is the maximum number of connections, default 1. Both are wrong: "
               "backlog only bounds the queue of connections waiting for accept(); a server "
               "accepts any number over time. Without an argument Python picks "
               "min(SOMAXCONN, 128). Tutorial 003 calls it the “half-connection pool”: on "
               "Linux the half-open connections (SYN_RECEIVED) wait in a separate SYN queue "
               "(net.ipv4.tcp_max_syn_backlog); backlog bounds the accept queue of "
               "established ones. Its SYN-ACK retries are not 5 s, 3 s, 1 s: Linux waits 1 s "
               "and doubles the wait each time (5 retries by default)."),
    .keywords = "backlog queue accept queue half-open SYN flood 监听 半连接池",
  },
  {
    .id = "accept", .kind = M, .title = "accept()",
    .signature = "conn, addr = sock.accept()",
    .summary = N_("Takes the next established connection from the listening socket's queue and "
                  "returns a new socket for talking to that one client. The listening socket "
                  "stays as it was and keeps waiting for more clients: a server has one "
                  "listening socket and one connected socket per client. Loop around accept() "
                  "(the connection loop) to serve clients one after another."),
    .blocking = N_("Blocks until a client has connected, in blocking mode (the default). With "
                   "setblocking(False) it raises BlockingIOError at once when the queue is "
                   "empty; with settimeout(t) it raises TimeoutError after t seconds."),
    .returns = N_("A tuple (conn, address): conn is a new socket connected to the client, "
                  "address the client's address, e.g. ('127.0.0.1', 53422)."),
    .errors = N_("EAGAIN/EWOULDBLOCK — BlockingIOError: non-blocking and nobody waiting.\n"
                 "ETIMEDOUT — TimeoutError: timed out (settimeout).\n"
                 "EINVAL — OSError: the socket does not listen (call listen() first).\n"
                 "EMFILE — OSError: too many open files."),
    .posix = "int accept(int sockfd, struct sockaddr *addr, socklen_t *addrlen);",
    .gio = "g_socket_accept (socket, cancellable, &error), or "
           "g_socket_listener_accept_async ()",
    .example = "while True:                      # connection loop\n"
               "    conn, addr = server.accept()\n"
               "    print('connected', addr)\n"
               "    conn.close()",
    .note = N_("Tutorial 000 names the result “data, address = server.accept()”: the first "
               "value is a socket, not data, so conn, addr is the usual naming."),
    .keywords = "accept connection loop new socket conn addr 接受 链接循环",
  },
  {
    .id = "connect", .kind = M, .title = "connect()",
    .signature = "sock.connect(address)",
    .summary = N_("Connects a TCP client to a server's address: the kernel sends SYN and waits "
                  "for the three-way handshake to finish (SYN_SENT, then ESTABLISHED). If the "
                  "socket is not bound, the kernel picks a free local port. On a UDP socket "
                  "connect() sends nothing: it only sets the default destination for send() and "
                  "filters what recv() accepts."),
    .blocking = N_("Blocks until the handshake completes or fails. With settimeout(t) it "
                   "raises TimeoutError after t seconds; non-blocking it raises "
                   "BlockingIOError (EINPROGRESS) and completes in the background."),
    .returns = N_("None."),
    .errors = N_("ECONNREFUSED — ConnectionRefusedError: nothing listens on that port (start "
                 "the server first).\n"
                 "ETIMEDOUT — TimeoutError: no answer (a firewall, a wrong address, or the "
                 "server's queue is full).\n"
                 "EHOSTUNREACH, ENETUNREACH — OSError: no route to that address.\n"
                 "socket.gaierror: the host name cannot be resolved.\n"
                 "EISCONN — OSError: already connected."),
    .posix = "int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen);",
    .gio = "g_socket_connect (socket, address, cancellable, &error), or "
           "g_socket_client_connect_to_host_async ()",
    .example = "client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
               "client.connect(('127.0.0.1', 8888))",
    .note = N_("The tutorials say connect() “returns a socket.error error”. It raises an "
               "exception, a subclass of OSError such as ConnectionRefusedError; socket.error "
               "is only an old alias of OSError since Python 3.3."),
    .keywords = "connect client handshake SYN refused 连接 三次握手",
  },
  {
    .id = "connect_ex", .kind = M, .title = "connect_ex()",
    .signature = "sock.connect_ex(address)",
    .summary = N_("Like connect(), but returns an error number instead of raising an exception "
                  "for errors of the connection itself."),
    .blocking = N_("Like connect(): blocks until the handshake completes or fails."),
    .returns = N_("0 on success, otherwise the errno value, e.g. 111 (ECONNREFUSED) on Linux. "
                  "Compare with the constants of the errno module."),
    .errors = N_("Returned, not raised: ECONNREFUSED (111), ETIMEDOUT (110), EHOSTUNREACH "
                 "(113) on Linux.\n"
                 "Still raised: socket.gaierror when the host name cannot be resolved, "
                 "TypeError for a malformed address."),
    .posix = "int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen); "
             "/* -1 and errno */",
    .gio = "g_socket_connect (socket, address, cancellable, &error) "
           "/* error->code is a GIOErrorEnum */",
    .example = "import errno\n"
               "\n"
               "err = client.connect_ex(('127.0.0.1', 8888))\n"
               "if err == errno.ECONNREFUSED:\n"
               "    print('no server on that port')",
    .note = N_("Tutorial 000's example error code 10061 is Windows' WSAECONNREFUSED. On Linux "
               "and macOS the same failure returns ECONNREFUSED (111 on Linux, 61 on macOS): "
               "compare with errno.ECONNREFUSED, not with a number."),
    .keywords = "connect_ex error code errno 10061 111 错误码",
  },
  {
    .id = "recv", .kind = M, .title = "recv()",
    .signature = "sock.recv(bufsize[, flags])",
    .summary = N_("Reads at most bufsize bytes that have arrived on a connected socket. Over TCP "
                  "it returns whatever the kernel has received so far: part of a message, or "
                  "several messages run together (TCP is a byte stream). An empty result b'' "
                  "means the peer closed its sending side (FIN): no more data will ever come, "
                  "so leave the loop and close()."),
    .blocking = N_("Blocks until at least one byte has arrived or the peer has closed, in "
                   "blocking mode. Non-blocking it raises BlockingIOError when nothing is there; "
                   "with settimeout(t) it raises TimeoutError after t seconds."),
    .returns = N_("bytes, between 1 and bufsize long; b'' when the peer has closed the "
                  "connection (TCP). Decode text with .decode('utf-8')."),
    .errors = N_("ECONNRESET — ConnectionResetError: the peer reset the connection (RST), "
                 "e.g. it closed with unread data or was killed.\n"
                 "EAGAIN/EWOULDBLOCK — BlockingIOError: non-blocking and nothing to read.\n"
                 "ETIMEDOUT — TimeoutError: nothing within the timeout.\n"
                 "ENOTCONN — OSError: the socket is not connected.\n"
                 "EBADF — OSError: the socket is already closed."),
    .posix = "ssize_t recv(int sockfd, void *buf, size_t len, int flags);",
    .gio = "g_socket_receive (socket, buffer, size, cancellable, &error), or "
           "g_input_stream_read_async () on a GSocketConnection",
    .example = "while True:                      # communication loop\n"
               "    data = conn.recv(1024)\n"
               "    if not data:                 # b'': the client closed\n"
               "        break\n"
               "    conn.sendall(data.upper())\n"
               "conn.close()",
    .note = N_("The tutorials say recv() returns a string: in Python 3 it returns bytes. "
               "Tutorial 004 calls b'' a “mac/linux bug” and continues the loop: b'' is how "
               "every system reports that the peer closed, and continuing spins forever — "
               "break and close. Tutorial 003 says a client killed on Unix makes recv() return "
               "empty data while Windows raises ConnectionResetError: Linux raises "
               "ConnectionResetError too when the peer resets (for example it closed with "
               "unread data); an orderly close gives b'' everywhere."),
    .keywords = "receive read bufsize b'' empty FIN ECONNRESET 接收 通信循环",
  },
  {
    .id = "send", .kind = M, .title = "send()",
    .signature = "sock.send(data[, flags])",
    .summary = N_("Hands bytes to the kernel to send on a connected socket. It may take only "
                  "part of them when the kernel's send buffer is nearly full: check the result, "
                  "or use sendall(). Returning does not mean the peer has received anything. "
                  "Over TCP an empty send(b'') puts nothing on the wire."),
    .blocking = N_("Blocks only while the kernel's send buffer is full (the peer reads too "
                   "slowly). Non-blocking it raises BlockingIOError then."),
    .returns = N_("The number of bytes sent, which can be less than len(data)."),
    .errors = N_("EPIPE — BrokenPipeError: the peer has closed and the connection is gone.\n"
                 "ECONNRESET — ConnectionResetError: the peer reset the connection.\n"
                 "EAGAIN/EWOULDBLOCK — BlockingIOError: non-blocking and the buffer is full.\n"
                 "TypeError: a str was passed; encode it first."),
    .posix = "ssize_t send(int sockfd, const void *buf, size_t len, int flags);",
    .gio = "g_socket_send (socket, buffer, size, cancellable, &error)",
    .example = "n = conn.send('hello'.encode('utf-8'))\n"
               "print(n, 'bytes handed to the kernel')",
    .note = N_("The tutorials write send(string): Python 3 sends bytes only, so encode text "
               "first ('hello'.encode('utf-8')), or send() raises TypeError."),
    .keywords = "send write bytes partial encode 发送",
  },
  {
    .id = "sendall", .kind = M, .title = "sendall()",
    .signature = "sock.sendall(data[, flags])",
    .summary = N_("Sends all the bytes, calling send() again and again until everything is "
                  "handed to the kernel or an error occurs. This is what you want for TCP "
                  "messages. Socket Lab's own sends behave like sendall(): the trace shows each "
                  "send() system call."),
    .blocking = N_("Blocks until all the data is in the kernel's send buffer. With a timeout "
                   "the whole call must finish within it (Python 3.5 and later)."),
    .returns = N_("None on success; on an error it raises, and you cannot tell how much was "
                  "sent."),
    .errors = N_("EPIPE — BrokenPipeError, ECONNRESET — ConnectionResetError: the peer is "
                 "gone.\n"
                 "ETIMEDOUT — TimeoutError: the timeout expired before everything was sent.\n"
                 "TypeError: a str was passed; encode it first."),
    .posix = "/* no such call: loop over send() until every byte is written */\n"
             "while (off < len) { ssize_t n = send(fd, buf + off, len - off, 0); "
             "if (n < 0) break; off += n; }",
    .gio = "g_output_stream_write_all (stream, buffer, size, &written, cancellable, &error)",
    .example = "conn.sendall('hello'.encode('utf-8'))",
    .note = N_("Tutorial 000 says sendall() calls send() recursively: it loops. Tutorial 001's "
               "echo client sends a str with s.sendall('Hello, world'), which only worked in "
               "Python 2; write s.sendall(b'Hello, world')."),
    .keywords = "sendall send all write_all 完整发送",
  },
  {
    .id = "recvfrom", .kind = M, .title = "recvfrom()",
    .signature = "data, address = sock.recvfrom(bufsize[, flags])",
    .summary = N_("Receives one datagram on a UDP socket, together with the address of its "
                  "sender, so a server knows whom to reply to with sendto(). Each call returns "
                  "exactly one datagram: message boundaries are kept. If the datagram is larger "
                  "than bufsize, the rest is discarded."),
    .blocking = N_("Blocks until a datagram arrives, in blocking mode. Non-blocking it raises "
                   "BlockingIOError; with settimeout(t) TimeoutError."),
    .returns = N_("A tuple (data, address): data is bytes (b'' for an empty datagram), address "
                  "the sender, e.g. ('127.0.0.1', 53422)."),
    .errors = N_("EAGAIN/EWOULDBLOCK — BlockingIOError: non-blocking and no datagram.\n"
                 "ETIMEDOUT — TimeoutError: nothing within the timeout.\n"
                 "ECONNREFUSED — ConnectionRefusedError: on Linux, a connected UDP socket "
                 "learns this way that an earlier datagram found no listener (ICMP port "
                 "unreachable)."),
    .posix = "ssize_t recvfrom(int sockfd, void *buf, size_t len, int flags, "
             "struct sockaddr *src_addr, socklen_t *addrlen);",
    .gio = "g_socket_receive_from (socket, &address, buffer, size, cancellable, &error)",
    .example = "server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
               "server.bind(('127.0.0.1', 8888))\n"
               "while True:\n"
               "    data, addr = server.recvfrom(1024)\n"
               "    server.sendto(data.upper(), addr)",
    .note = N_("Tutorial 001's table spells it s.recvform(): the method is recvfrom() (receive "
               "from); recvform raises AttributeError."),
    .keywords = "recvfrom recvform UDP datagram sender address 接收 数据报",
  },
  {
    .id = "sendto", .kind = M, .title = "sendto()",
    .signature = "sock.sendto(data, address)",
    .summary = N_("Sends one datagram to the given address on a UDP socket, without any "
                  "connection. The first sendto() of an unbound socket makes the kernel bind "
                  "it to a free port, which is where replies come back. A datagram is sent "
                  "whole or not at all; an empty one is still a datagram."),
    .blocking = N_("Practically never blocks for UDP: the datagram is queued or dropped."),
    .returns = N_("The number of bytes sent (the whole datagram)."),
    .errors = N_("EMSGSIZE — OSError: the datagram is too large (more than 65507 bytes over "
                 "IPv4).\n"
                 "ECONNREFUSED — ConnectionRefusedError: on a connected UDP socket (Linux), an "
                 "earlier datagram found no listener; a later call reports it.\n"
                 "socket.gaierror: the host name cannot be resolved.\n"
                 "TypeError: a str was passed; encode it first."),
    .posix = "ssize_t sendto(int sockfd, const void *buf, size_t len, int flags, "
             "const struct sockaddr *dest_addr, socklen_t addrlen);",
    .gio = "g_socket_send_to (socket, address, buffer, size, cancellable, &error)",
    .example = "client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
               "client.sendto('hello'.encode('utf-8'), ('127.0.0.1', 8888))\n"
               "data, addr = client.recvfrom(1024)",
    .keywords = "sendto UDP datagram destination 发送 数据报",
  },
  {
    .id = "close", .kind = M, .title = "close()",
    .signature = "sock.close()",
    .summary = N_("Releases the socket. On a TCP connection the kernel sends FIN: the peer's "
                  "recv() returns b''. If unread data is still waiting in this socket, Linux "
                  "sends RST instead and the peer gets ConnectionResetError. Closing the "
                  "listening socket stops new clients but does not end the connections already "
                  "accepted. A socket cannot be used again after close()."),
    .blocking = N_("Does not block (unless SO_LINGER is set with a timeout)."),
    .returns = N_("None. Closing twice is harmless."),
    .errors = N_("Rarely fails. Using the socket afterwards raises OSError EBADF (Bad file "
                 "descriptor)."),
    .posix = "int close(int fd);",
    .gio = "g_socket_close (socket, &error), or g_io_stream_close () on a GSocketConnection",
    .example = "conn.close()      # this client is done\n"
               "server.close()    # no new clients",
    .keywords = "close FIN release TIME_WAIT RST 关闭 四次挥手",
  },
  {
    .id = "shutdown", .kind = M, .title = "shutdown()",
    .signature = "sock.shutdown(how)",
    .summary = N_("Ends one or both directions of a TCP connection while keeping the socket "
                  "open. socket.SHUT_WR sends FIN (“I have finished sending”) but still lets "
                  "you receive the peer's answer: a half-close. SHUT_RD stops receiving, "
                  "SHUT_RDWR both. Unlike close(), it affects the connection even when other "
                  "handles share the socket. Call close() afterwards."),
    .blocking = N_("Never blocks."),
    .returns = N_("None."),
    .errors = N_("ENOTCONN — OSError: the socket is not connected (e.g. the peer already "
                 "reset it)."),
    .posix = "int shutdown(int sockfd, int how); /* SHUT_RD, SHUT_WR, SHUT_RDWR */",
    .gio = "g_socket_shutdown (socket, FALSE, TRUE /* shutdown_write */, &error)",
    .example = "client.sendall(b'last request')\n"
               "client.shutdown(socket.SHUT_WR)   # FIN: nothing more from us\n"
               "reply = client.recv(1024)         # the server can still answer\n"
               "client.close()",
    .keywords = "shutdown SHUT_WR SHUT_RD SHUT_RDWR half-close FIN 半关闭",
  },
  {
    .id = "getpeername", .kind = M, .title = "getpeername()",
    .signature = "sock.getpeername()",
    .summary = N_("Tells the address of the other end of a connected socket."),
    .blocking = N_("Never blocks."),
    .returns = N_("The peer's address, e.g. ('127.0.0.1', 53422) for AF_INET."),
    .errors = N_("ENOTCONN — OSError: the socket is not connected (a listening socket, an "
                 "unconnected UDP socket, or the connection is gone)."),
    .posix = "int getpeername(int sockfd, struct sockaddr *addr, socklen_t *addrlen);",
    .gio = "g_socket_get_remote_address (socket, &error)",
    .example = "conn, addr = server.accept()\n"
               "print(conn.getpeername() == addr)  # True",
    .keywords = "peer remote address 对端 地址",
  },
  {
    .id = "getsockname", .kind = M, .title = "getsockname()",
    .signature = "sock.getsockname()",
    .summary = N_("Tells the socket's own local address: the port the kernel chose after "
                  "bind() to port 0, or the ephemeral port of a client after connect() or its "
                  "first sendto()."),
    .blocking = N_("Never blocks."),
    .returns = N_("The local address, e.g. ('127.0.0.1', 8888); ('0.0.0.0', 0) when not bound "
                  "yet."),
    .errors = N_("EBADF — OSError: the socket is closed."),
    .posix = "int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen);",
    .gio = "g_socket_get_local_address (socket, &error)",
    .example = "server.bind(('127.0.0.1', 0))\n"
               "host, port = server.getsockname()  # the port the kernel chose",
    .keywords = "local address ephemeral port 0 本地 地址 端口",
  },
  {
    .id = "setsockopt", .kind = M, .title = "setsockopt()",
    .signature = "sock.setsockopt(level, optname, value)",
    .summary = N_("Sets an option of the socket. level says which layer the option belongs "
                  "to: socket.SOL_SOCKET for the socket itself, socket.IPPROTO_TCP for TCP. "
                  "Common ones: SO_REUSEADDR (rebind a port in TIME_WAIT), SO_LINGER with "
                  "struct.pack('ii', 1, 0) (close() sends RST instead of FIN — Socket Lab's "
                  "Reset), SO_RCVBUF/SO_SNDBUF (buffer sizes), TCP_NODELAY (no Nagle delay). "
                  "Options that affect bind() must be set before it."),
    .blocking = N_("Never blocks."),
    .returns = N_("None."),
    .errors = N_("ENOPROTOOPT — OSError: unknown option for this level.\n"
                 "EINVAL — OSError: invalid value.\n"
                 "EBADF — OSError: the socket is closed."),
    .posix = "int setsockopt(int sockfd, int level, int optname, const void *optval, "
             "socklen_t optlen);",
    .gio = "g_socket_set_option (socket, SOL_SOCKET, SO_REUSEADDR, 1, &error)",
    .example = "import struct\n"
               "\n"
               "server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
               "conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))",
    .note = N_("Tutorial 001's echo server writes s.setsocckopt(...): the method is "
               "setsockopt() (set socket option); the misspelling raises AttributeError."),
    .keywords = "option SO_REUSEADDR SO_LINGER SO_RCVBUF TCP_NODELAY setsocckopt 选项 端口复用",
  },
  {
    .id = "getsockopt", .kind = M, .title = "getsockopt()",
    .signature = "sock.getsockopt(level, optname[, buflen])",
    .summary = N_("Reads an option of the socket. Without buflen the value is an integer; with "
                  "buflen it is bytes (unpack them with struct)."),
    .blocking = N_("Never blocks."),
    .returns = N_("An int, or bytes when buflen is given."),
    .errors = N_("ENOPROTOOPT — OSError: unknown option for this level."),
    .posix = "int getsockopt(int sockfd, int level, int optname, void *optval, "
             "socklen_t *optlen);",
    .gio = "g_socket_get_option (socket, SOL_SOCKET, SO_RCVBUF, &value, &error)",
    .example = "print(server.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR))  # 1\n"
               "print(server.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))",
    .note = N_("The tutorials write getsockopt(level,optname[.buflen]): the optional argument "
               "is separated by a comma, getsockopt(level, optname[, buflen])."),
    .keywords = "option read SO_RCVBUF SO_ERROR 选项",
  },
  {
    .id = "settimeout", .kind = M, .title = "settimeout()",
    .signature = "sock.settimeout(value)",
    .summary = N_("Sets how long every blocking call on this socket (connect, accept, recv, "
                  "send…) may wait. value is seconds as a float; None waits forever (blocking "
                  "mode, the default); 0 makes the socket non-blocking. Set it right after "
                  "creating the socket so that connect() is covered too. Socket Lab's "
                  "“timeout” I/O mode is this call."),
    .blocking = N_("Does not block itself; it changes how the other calls block."),
    .returns = N_("None."),
    .errors = N_("ValueError: a negative timeout.\n"
                 "Later calls raise TimeoutError (socket.timeout) when the time runs out."),
    .posix = "/* Python uses poll() with a timeout before each call, on a non-blocking "
             "socket */\n"
             "setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);",
    .gio = "g_socket_set_timeout (socket, 5 /* seconds, 0 = none */)",
    .example = "client.settimeout(5.0)\n"
               "try:\n"
               "    data = client.recv(1024)\n"
               "except TimeoutError:\n"
               "    print('nothing within 5 seconds')",
    .note = N_("Tutorial 003 calls it “the connection timeout”: it applies to every blocking "
               "call, not only connect(). Since Python 3.10 the exception is TimeoutError "
               "(socket.timeout is an alias)."),
    .keywords = "timeout TimeoutError socket.timeout seconds 超时",
  },
  {
    .id = "gettimeout", .kind = M, .title = "gettimeout()",
    .signature = "sock.gettimeout()",
    .summary = N_("Tells the timeout set with settimeout() or setblocking()."),
    .blocking = N_("Never blocks."),
    .returns = N_("Seconds as a float; None in blocking mode (no timeout); 0.0 in non-blocking "
                  "mode."),
    .errors = N_("None in practice."),
    .posix = "/* no such call: getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, &len) is the "
             "closest */",
    .gio = "g_socket_get_timeout (socket)",
    .example = "s = socket.socket()\n"
               "print(s.gettimeout())   # None: blocking\n"
               "s.settimeout(2.5)\n"
               "print(s.gettimeout())   # 2.5",
    .keywords = "timeout 超时",
  },
  {
    .id = "setblocking", .kind = M, .title = "setblocking()",
    .signature = "sock.setblocking(flag)",
    .summary = N_("setblocking(True) makes calls wait (the default, the same as "
                  "settimeout(None)); setblocking(False) makes them return at once (the same as "
                  "settimeout(0.0)): accept(), recv() and recvfrom() raise BlockingIOError when "
                  "nothing is there, and send() when the buffer is full. A non-blocking program "
                  "must try again later, usually with selectors or asyncio. Socket Lab's "
                  "“non-blocking” I/O mode is this call."),
    .blocking = N_("Does not block itself; it decides whether the other calls block."),
    .returns = N_("None."),
    .errors = N_("Later calls raise BlockingIOError (EAGAIN/EWOULDBLOCK) instead of waiting."),
    .posix = "int flags = fcntl(fd, F_GETFL); fcntl(fd, F_SETFL, flags | O_NONBLOCK);",
    .gio = "g_socket_set_blocking (socket, FALSE)",
    .example = "server.setblocking(False)\n"
               "try:\n"
               "    conn, addr = server.accept()\n"
               "except BlockingIOError:\n"
               "    print('no client waiting yet')",
    .note = N_("The tutorials say non-blocking calls raise socket.error: in Python 3 it is "
               "BlockingIOError, a subclass of OSError (socket.error is an alias of OSError)."),
    .keywords = "non-blocking blocking BlockingIOError EAGAIN EWOULDBLOCK O_NONBLOCK 阻塞 非阻塞",
  },
  {
    .id = "fileno", .kind = M, .title = "fileno()",
    .signature = "sock.fileno()",
    .summary = N_("Tells the socket's file descriptor, the small integer by which the kernel "
                  "knows it. It is what select(), poll() and selectors watch; the trace shows "
                  "it as <socket fd=N>."),
    .blocking = N_("Never blocks."),
    .returns = N_("An int; -1 after close()."),
    .errors = N_("None in practice."),
    .posix = "/* the descriptor is the int socket() returned */",
    .gio = "g_socket_get_fd (socket)",
    .example = "import select\n"
               "\n"
               "print(server.fileno())\n"
               "readable, _, _ = select.select([server], [], [], 1.0)",
    .keywords = "file descriptor fd select poll 文件描述符",
  },
  {
    .id = "makefile", .kind = M, .title = "makefile()",
    .signature = "sock.makefile(mode='r', buffering=None, *, encoding=None, errors=None, "
                 "newline=None)",
    .summary = N_("Wraps a connected socket in a file object, so that text protocols can be "
                  "read line by line with readline() and written with write(). Closing the file "
                  "does not close the socket until both are closed. The socket should be in "
                  "blocking mode."),
    .blocking = N_("Reading blocks like recv(): readline() waits for a whole line."),
    .returns = N_("A file object (text or binary, depending on mode)."),
    .errors = N_("The file raises what recv() and send() raise, e.g. ConnectionResetError."),
    .posix = "FILE *fdopen(int fd, const char *mode);",
    .gio = "g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection))); "
           "g_data_input_stream_read_line ()",
    .example = "f = conn.makefile('rw', encoding='utf-8', newline='\\n')\n"
               "line = f.readline()\n"
               "f.write(line.upper())\n"
               "f.flush()",
    .keywords = "file readline text lines 文件",
  },
  {
    .id = "gethostname", .kind = M, .title = "gethostname()",
    .signature = "socket.gethostname()",
    .summary = N_("Returns the computer's host name, a function of the socket module, not of a "
                  "socket. Which address the name resolves to depends on the system's "
                  "configuration (/etc/hosts, DNS)."),
    .blocking = N_("Never blocks (resolving the name afterwards may)."),
    .returns = N_("The host name as a str, e.g. 'lab-pc'."),
    .errors = N_("Rarely fails (OSError)."),
    .posix = "int gethostname(char *name, size_t len);",
    .gio = "g_get_host_name ()",
    .example = "host = socket.gethostname()\n"
               "print(host, socket.gethostbyname(host))",
    .note = N_("Tutorial 002's server binds to socket.gethostname(). On Debian and Ubuntu the "
               "host name usually resolves to 127.0.1.1, so the server is reachable only from "
               "this computer, and a client that connects to '127.0.0.1' is refused. Bind to "
               "'127.0.0.1' for local tests or '0.0.0.0' for the network."),
    .keywords = "host name hostname DNS 主机名",
  },
  {
    .id = "getaddrinfo", .kind = M, .title = "getaddrinfo()",
    .signature = "socket.getaddrinfo(host, port, family=0, type=0, proto=0, flags=0)",
    .summary = N_("Turns a host name such as 'localhost' or 'example.org' and a port into "
                  "addresses that bind() or connect() can use, asking /etc/hosts and DNS. "
                  "connect(('localhost', 8888)) does this for you."),
    .blocking = N_("May block while DNS answers."),
    .returns = N_("A list of tuples (family, type, proto, canonname, sockaddr)."),
    .errors = N_("socket.gaierror: the name cannot be resolved (a typo, no network, or a name "
                 "that cannot exist such as *.invalid)."),
    .posix = "int getaddrinfo(const char *node, const char *service, "
             "const struct addrinfo *hints, struct addrinfo **res);",
    .gio = "g_resolver_lookup_by_name_async (g_resolver_get_default (), host, ...)",
    .example = "for family, type_, proto, _, addr in socket.getaddrinfo('localhost', 8888):\n"
               "    print(family, addr)",
    .keywords = "DNS resolve host name address gaierror 域名 解析",
  },

  /* Constants. */
  {
    .id = "AF_UNIX", .kind = C, .title = "socket.AF_UNIX",
    .summary = N_("The family of file-based sockets: both ends run on the same computer and the "
                  "address is a path in the file system, e.g. '/tmp/lab.sock'. bind() creates "
                  "the file; it stays after close() and must be deleted (os.unlink) before the "
                  "path can be bound again. Used for communication between processes (IPC)."),
    .errors = N_("EADDRINUSE — OSError: the socket file already exists.\n"
                 "ENOENT — FileNotFoundError: nothing at that path (connect).\n"
                 "ECONNREFUSED — ConnectionRefusedError: the file exists but nobody listens."),
    .posix = "socket(AF_UNIX, SOCK_STREAM, 0); struct sockaddr_un",
    .gio = "G_SOCKET_FAMILY_UNIX, g_unix_socket_address_new (path)",
    .example = "import os\n"
               "\n"
               "path = '/tmp/lab.sock'\n"
               "if os.path.exists(path):\n"
               "    os.unlink(path)\n"
               "server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
               "server.bind(path)\n"
               "server.listen(5)",
    .keywords = "unix domain socket file path IPC unlink 文件 进程间通信",
  },
  {
    .id = "AF_INET", .kind = C, .title = "socket.AF_INET",
    .summary = N_("The IPv4 family: the address is a tuple (host, port), e.g. "
                  "('127.0.0.1', 8888). 127.0.0.1 is this computer (localhost); '0.0.0.0' or '' "
                  "in bind() means every interface. The default family of socket.socket()."),
    .posix = "socket(AF_INET, SOCK_STREAM, 0); struct sockaddr_in",
    .gio = "G_SOCKET_FAMILY_IPV4, g_inet_socket_address_new_from_string (\"127.0.0.1\", 8888)",
    .example = "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
               "s.connect(('127.0.0.1', 8888))",
    .note = N_("Tutorial 001 says an IP address is a sequence of four numbers from 0 to 255: "
               "that is an IPv4 address. IPv6 addresses (AF_INET6) have 128 bits, written in "
               "hexadecimal, e.g. ::1 or 2001:db8::1."),
    .keywords = "IPv4 internet address tuple host port 网络",
  },
  {
    .id = "AF_INET6", .kind = C, .title = "socket.AF_INET6",
    .summary = N_("The IPv6 family: the address is a tuple (host, port, flowinfo, scope_id), "
                  "e.g. ('::1', 8888, 0, 0); (host, port) is enough. ::1 is this computer; '::' "
                  "in bind() means every interface, and on Linux it also accepts IPv4 clients "
                  "(shown as ::ffff:127.0.0.1) unless IPV6_V6ONLY is set."),
    .posix = "socket(AF_INET6, SOCK_STREAM, 0); struct sockaddr_in6",
    .gio = "G_SOCKET_FAMILY_IPV6, g_inet_socket_address_new_from_string (\"::1\", 8888)",
    .example = "s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)\n"
               "s.connect(('::1', 8888))",
    .keywords = "IPv6 ::1 dual-stack V6ONLY",
  },
  {
    .id = "SOCK_STREAM", .kind = C, .title = "socket.SOCK_STREAM",
    .summary = N_("A connection-oriented, reliable, ordered byte stream: TCP with AF_INET and "
                  "AF_INET6. Needs connect() / listen() + accept() before data flows, keeps no "
                  "message boundaries, and recv() returns b'' when the peer closes. The default "
                  "type of socket.socket()."),
    .posix = "socket(AF_INET, SOCK_STREAM, 0) /* IPPROTO_TCP */",
    .gio = "G_SOCKET_TYPE_STREAM",
    .example = "server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
    .keywords = "TCP stream connection 流式",
  },
  {
    .id = "SOCK_DGRAM", .kind = C, .title = "socket.SOCK_DGRAM",
    .summary = N_("Connectionless datagrams: UDP with AF_INET and AF_INET6. Each sendto() is one "
                  "message that arrives whole, once, or not at all, possibly out of order; "
                  "recvfrom() returns one datagram and its sender. No listen(), no accept()."),
    .posix = "socket(AF_INET, SOCK_DGRAM, 0) /* IPPROTO_UDP */",
    .gio = "G_SOCKET_TYPE_DATAGRAM",
    .example = "udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
    .keywords = "UDP datagram message 数据报",
  },
  {
    .id = "SOCK_RAW", .kind = C, .title = "socket.SOCK_RAW",
    .summary = N_("Raw sockets see and build IP packets below TCP and UDP, e.g. ICMP for ping. "
                  "They need root or the CAP_NET_RAW capability and an explicit protocol "
                  "number."),
    .errors = N_("EPERM — PermissionError: not root.\n"
                 "EPROTONOSUPPORT — OSError: protocol 0 is not allowed; give one, e.g. "
                 "socket.IPPROTO_ICMP."),
    .posix = "socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)",
    .gio = "G_SOCKET_TYPE_DATAGRAM with G_SOCKET_PROTOCOL_UNKNOWN; GIO has no raw type",
    .example = "s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)  # root",
    .keywords = "raw ICMP ping packet root 原始套接字",
  },
  {
    .id = "SOCK_RDM", .kind = C, .title = "socket.SOCK_RDM",
    .summary = N_("“Reliably delivered messages”: datagrams whose delivery is guaranteed but "
                  "whose order is not. On Linux only the TIPC family (cluster communication) "
                  "offers it."),
    .errors = N_("ESOCKTNOSUPPORT — OSError: [Errno 94] Socket type not supported, for "
                 "AF_INET, AF_INET6 and AF_UNIX."),
    .posix = "socket(AF_TIPC, SOCK_RDM, 0)",
    .gio = "no equivalent",
    .example = "try:\n"
               "    socket.socket(socket.AF_INET, socket.SOCK_RDM)\n"
               "except OSError as e:\n"
               "    print(e)  # [Errno 94] Socket type not supported",
    .note = N_("Tutorial 001 calls SOCK_RDM “a more reliable UDP that guarantees the peer "
               "receives the data”. No such UDP exists: socket(AF_INET, SOCK_RDM) fails on "
               "Linux with ESOCKTNOSUPPORT. For reliable delivery use TCP (SOCK_STREAM)."),
    .keywords = "RDM reliable datagram TIPC ESOCKTNOSUPPORT",
  },
  {
    .id = "SOCK_SEQPACKET", .kind = C, .title = "socket.SOCK_SEQPACKET",
    .summary = N_("A connection-oriented, reliable, ordered stream of messages that keeps "
                  "message boundaries: like TCP with the boundaries of UDP. On Linux it works "
                  "with AF_UNIX (and SCTP); with AF_INET and protocol 0 it fails."),
    .errors = N_("ESOCKTNOSUPPORT — OSError: [Errno 94] Socket type not supported, for AF_INET "
                 "with protocol 0."),
    .posix = "socket(AF_UNIX, SOCK_SEQPACKET, 0)",
    .gio = "G_SOCKET_TYPE_SEQPACKET",
    .example = "a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)\n"
               "a.send(b'one'); a.send(b'two')\n"
               "print(b.recv(1024))  # b'one': the boundaries stay",
    .note = N_("Tutorial 001 says only “reliable sequential packet service”: it does not say "
               "that with the internet families it needs SCTP; the usual place is AF_UNIX."),
    .keywords = "seqpacket sequenced packet message boundaries SCTP unix",
  },
  {
    .id = "SO_REUSEADDR", .kind = C, .title = "SOL_SOCKET / SO_REUSEADDR",
    .signature = "sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
    .summary = N_("SOL_SOCKET is the level of options that belong to the socket itself. "
                  "SO_REUSEADDR lets bind() take a port although connections on it are still in "
                  "TIME_WAIT, so a restarted server does not fail with “Address already in "
                  "use”. It does not let two servers listen on the same port (that is "
                  "SO_REUSEPORT). Set it after socket() and before bind()."),
    .errors = N_("Without it a quick restart meets EADDRINUSE — OSError: [Errno 98] Address "
                 "already in use, for up to 60 seconds on Linux."),
    .posix = "int one = 1; setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);",
    .gio = "g_socket_bind (socket, address, TRUE, &error) /* allow_reuse */",
    .example = "server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
               "server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # before bind\n"
               "server.bind(('127.0.0.1', 8888))",
    .note = N_("Tutorial 001 comments it as “release the port immediately after the process "
               "closes”: the kernel still keeps TIME_WAIT, the option only allows binding "
               "despite it. Tutorial 003 also suggests net.ipv4.tcp_tw_recycle: that setting "
               "broke clients behind NAT and was removed in Linux 4.12; SO_REUSEADDR is the "
               "fix."),
    .keywords = "SOL_SOCKET SO_REUSEADDR reuse address TIME_WAIT EADDRINUSE port in use "
                "tcp_tw_reuse 端口复用 端口占用",
  },

  /* Topics. */
  {
    .id = "ports", .kind = T, .title = N_("Application protocols and ports"),
    .summary = N_("A port number (0–65535) tells which program on a computer a connection or "
                  "datagram is for. Ports below 1024 are reserved for well-known services "
                  "(socket.IPPORT_RESERVED is 1024) and need root to bind; use a higher one for "
                  "your programs, e.g. 8888. Application protocols are built on top of TCP or "
                  "UDP, and each has its usual port."),
    .table = N_("Protocol\tUse\tPort\tPython 3 module\n"
                "HTTP\tWeb pages\t80 (HTTPS 443)\thttp.client, urllib.request\n"
                "NNTP\tReading and posting news articles\t119\tnntplib (removed in 3.13)\n"
                "FTP\tFile transfer\t21 (control), 20 (data)\tftplib\n"
                "SMTP\tSending mail\t25\tsmtplib\n"
                "POP3\tReceiving mail\t110\tpoplib\n"
                "IMAP4\tFetching mail\t143\timaplib\n"
                "Telnet\tRemote command line\t23\ttelnetlib (removed in 3.13)\n"
                "Gopher\tInformation lookup\t70\t— (gopherlib removed in Python 2.6)\n"
                "DNS\tName lookup (UDP)\t53\tsocket.getaddrinfo"),
    .note = N_("Tutorial 001's table gives FTP port 20: FTP's control connection is port 21, "
               "20 is its data port in active mode. Its modules are Python 2 names: httplib is "
               "http.client, xmlrpclib is xmlrpc.client, and gopherlib, telnetlib and nntplib "
               "no longer exist in current Python."),
    .keywords = "port ports protocol HTTP FTP SMTP POP3 IMAP Telnet NNTP Gopher well-known "
                "1024 端口 协议",
  },
  {
    .id = "layers", .kind = T, .title = N_("The five-layer model"),
    .summary = N_("Network protocols are grouped into layers; each uses the one below. "
                  "Sockets sit between the application layer (your program) and the transport "
                  "layer: you choose TCP or UDP, the kernel does the rest. The OSI model splits "
                  "the application layer further into three (seven layers in all)."),
    .table = N_("Layer\tJob\tProtocols\n"
                "Application\tThe format of the application's data\tHTTP, FTP, DNS\n"
                "Transport\tWhich program on the host: ports; reliable streams or datagrams\t"
                "TCP, UDP\n"
                "Network\tWhich host: IP addresses and routing between networks\tIP, ICMP\n"
                "Data link\tFrames between neighbours on one network; MAC addresses\t"
                "Ethernet, ARP, Wi-Fi\n"
                "Physical\tSignals on the wire or in the air\tcables, radio"),
    .keywords = "layers OSI TCP/IP model application transport network link physical 五层 "
                "七层 协议",
  },
  {
    .id = "tcp-vs-udp", .kind = T, .title = N_("TCP vs UDP"),
    .summary = N_("TCP (Transmission Control Protocol) and UDP (User Datagram Protocol) are "
                  "the two transport protocols a socket program chooses between."),
    .table = N_("\tTCP (SOCK_STREAM)\tUDP (SOCK_DGRAM)\n"
                "Connection\tthree-way handshake first, four-way close at the end\tnone\n"
                "Delivery\treliable: lost data is sent again, in order\tbest effort: may be "
                "lost, duplicated or reordered\n"
                "Data\ta byte stream without message boundaries\tdatagrams, each whole\n"
                "Calls\tlisten, accept, connect, send, recv\tsendto, recvfrom\n"
                "Start order\tthe server must run first (else ConnectionRefusedError)\t"
                "either side may start first\n"
                "Empty message\tsend(b'') sends nothing\tan empty datagram arrives\n"
                "Peer gone\trecv() returns b''\tnothing tells you\n"
                "Used by\tHTTP, SSH, mail\tDNS, DHCP, video calls, games"),
    .note = N_("Tutorial 001 expands UDP as “User Data Protocol”: it is User Datagram "
               "Protocol."),
    .keywords = "TCP UDP difference reliable connection datagram stream 区别 可靠",
  },
  {
    .id = "tcp-states", .kind = T, .title = N_("TCP states"),
    .summary = N_("RFC 9293 defines eleven states of a TCP connection. The kernel moves a "
                  "socket between them as segments (SYN, ACK, FIN, RST) come and go; ss -tan or "
                  "netstat -tan shows them, and Socket Lab's TCP States tab draws them. The "
                  "side that closes first ends in TIME_WAIT; the other passes through "
                  "CLOSE_WAIT and LAST_ACK. Linux writes SYN_RECV for SYN-RECEIVED."),
    .table = N_("State\tSide\tMeaning\n"
                "CLOSED\tboth\tNo connection.\n"
                "LISTEN\tserver\tAfter listen(): waiting for SYNs from clients.\n"
                "SYN_SENT\tclient\tconnect() sent SYN and waits for SYN+ACK.\n"
                "SYN_RECEIVED\tserver\tGot a SYN, answered SYN+ACK, waits for the final ACK.\n"
                "ESTABLISHED\tboth\tHandshake done: data flows both ways.\n"
                "FIN_WAIT_1\tfirst to close\tSent FIN, waits for its ACK.\n"
                "FIN_WAIT_2\tfirst to close\tFIN acknowledged; waits for the peer's FIN (it may "
                "still send).\n"
                "CLOSE_WAIT\tsecond to close\tGot the peer's FIN (recv() returns b''); waits "
                "for this program to close().\n"
                "CLOSING\tboth closing\tBoth sent FIN at once; waits for the ACK of its own.\n"
                "LAST_ACK\tsecond to close\tclose() sent FIN; waits for its ACK.\n"
                "TIME_WAIT\tfirst to close\tAll done; waits 2×MSL (60 s on Linux) so late "
                "segments die out and the last ACK can be repeated."),
    .note = N_("Tutorial 003 says the server's TIME_WAIT is where it sends the last ACK: "
               "TIME_WAIT belongs to whichever side closed first and comes after that ACK. "
               "LAST_ACK is not “continuous acknowledging”: the side that closed second waits "
               "for the ACK of its FIN. seq numbers count bytes so they arrive in order; they "
               "are not a code that proves the data was not modified."),
    .keywords = "states state diagram LISTEN SYN_SENT SYN_RECEIVED SYN_RCVD ESTABLISHED "
                "FIN_WAIT_1 FIN_WAIT_2 CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT CLOSED handshake "
                "RFC 9293 三次握手 四次挥手 状态",
  },
  {
    .id = "tcp-server-steps", .kind = T, .title = N_("TCP server: the steps"),
    .summary = N_("1. Create a socket: socket(AF_INET, SOCK_STREAM).\n"
                  "2. Optionally set options: setsockopt(SOL_SOCKET, SO_REUSEADDR, 1).\n"
                  "3. Bind the IP address and port: bind().\n"
                  "4. Listen: listen(backlog).\n"
                  "5. Accept a client: accept() returns a new connected socket (repeat: the "
                  "connection loop).\n"
                  "6. Receive and send on the connected socket: recv() and send()/sendall() "
                  "(repeat: the communication loop, until recv() returns b'').\n"
                  "7. Close the connected socket: conn.close().\n"
                  "8. Close the listening socket: server.close()."),
    .example = "import socket\n"
               "\n"
               "server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
               "server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
               "server.bind(('127.0.0.1', 8888))\n"
               "server.listen(5)\n"
               "while True:\n"
               "    conn, addr = server.accept()\n"
               "    while True:\n"
               "        data = conn.recv(1024)\n"
               "        if not data:\n"
               "            break\n"
               "        conn.sendall(data.upper())\n"
               "    conn.close()",
    .note = N_("Tutorial 001's echo server prints with print \"Received: \", data, a Python 2 "
               "statement that is a SyntaxError in Python 3: write print('Received:', data)."),
    .keywords = "TCP server steps bind listen accept loop 服务器 步骤",
  },
  {
    .id = "tcp-client-steps", .kind = T, .title = N_("TCP client: the steps"),
    .summary = N_("1. Create a socket: socket(AF_INET, SOCK_STREAM).\n"
                  "2. Optionally set options: setsockopt().\n"
                  "3. Optionally bind a local address: bind() (usually the kernel picks a "
                  "port).\n"
                  "4. Connect to the server's IP address and port: connect().\n"
                  "5. Send and receive: sendall() and recv().\n"
                  "6. Close: close()."),
    .example = "import socket\n"
               "\n"
               "client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
               "client.connect(('127.0.0.1', 8888))\n"
               "client.sendall('hello'.encode('utf-8'))\n"
               "print(client.recv(1024).decode('utf-8'))\n"
               "client.close()",
    .note = N_("Tutorial 001's client sends a str, s.sendall('Hello, world'), and prints with "
               "the Python 2 statement print 'Received: ', data; in Python 3 send bytes and call "
               "print(). Its HOST '192.168.1.120' is one computer on the author's network: use "
               "'127.0.0.1' to reach a server on this computer."),
    .keywords = "TCP client steps connect 客户端 步骤",
  },
  {
    .id = "udp-server-steps", .kind = T, .title = N_("UDP server: the steps"),
    .summary = N_("1. Create a socket: socket(AF_INET, SOCK_DGRAM).\n"
                  "2. Optionally set options: setsockopt().\n"
                  "3. Bind the IP address and port: bind().\n"
                  "4. Receive in a loop: recvfrom() returns the data and the sender; answer "
                  "with sendto(reply, sender).\n"
                  "5. Close: close().\n"
                  "No listen(), no accept(): there are no connections."),
    .example = "import socket\n"
               "\n"
               "server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
               "server.bind(('127.0.0.1', 8888))\n"
               "while True:\n"
               "    data, addr = server.recvfrom(1024)\n"
               "    server.sendto(data.upper(), addr)",
    .keywords = "UDP server steps recvfrom sendto 服务器 步骤",
  },
  {
    .id = "udp-client-steps", .kind = T, .title = N_("UDP client: the steps"),
    .summary = N_("1. Create a socket: socket(AF_INET, SOCK_DGRAM).\n"
                  "2. Optionally set options: setsockopt().\n"
                  "3. Optionally bind a local address: bind() (else the first sendto() picks a "
                  "port).\n"
                  "4. Send to the server's address: sendto(data, (host, port)).\n"
                  "5. Receive the answer: recvfrom().\n"
                  "6. Close: close()."),
    .example = "import socket\n"
               "\n"
               "client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
               "client.sendto('hello'.encode('utf-8'), ('127.0.0.1', 8888))\n"
               "data, addr = client.recvfrom(1024)\n"
               "print(data.decode('utf-8'))\n"
               "client.close()",
    .keywords = "UDP client steps sendto 客户端 步骤",
  },
  {
    .id = "empty-message", .kind = T, .title = N_("The empty-message pitfall"),
    .summary = N_("Over TCP, sending an empty message (the user just pressed Enter) sends "
                  "nothing at all: a byte stream of zero bytes is no data, and no segment "
                  "leaves the computer. The server's recv() keeps waiting for data, while the "
                  "client waits in its own recv() for an answer: both hang. Never send an empty "
                  "message over TCP (skip it, as tutorial 003's fixed client does).\n\n"
                  "Over UDP an empty datagram is still a datagram: it arrives and recvfrom() "
                  "returns (b'', address), so nothing hangs. Note that over TCP a recv() that "
                  "returns b'' means something else entirely: the peer closed."),
    .example = "while True:\n"
               "    msg = input('>>> ')\n"
               "    if not msg:          # an empty send() would send nothing\n"
               "        continue\n"
               "    client.sendall(msg.encode('utf-8'))\n"
               "    print(client.recv(1024).decode('utf-8'))",
    .note = N_("Tutorial 003 explains the hang with “recv() cannot read an empty message "
               "mapped from user space”. The real reason: a TCP send of zero bytes transmits "
               "nothing, so there is nothing for the server to receive."),
    .keywords = "empty message Enter hang send(b'') b'' deadlock 空消息 卡住",
  },
  {
    .id = "byte-stream", .kind = T, .title = N_("Byte stream and message boundaries"),
    .summary = N_("TCP delivers a stream of bytes, like water from a tap: it does not keep the "
                  "boundaries of your send() calls. Two quick sends can arrive in one recv() "
                  "(“helloworld”), and one large send can arrive in several pieces, especially "
                  "with a small bufsize. A protocol on top of TCP must mark where a message "
                  "ends: a newline after each message, a length prefix (struct.pack('!I', "
                  "len(data))), or a fixed size, and the receiver loops until a whole message "
                  "is there. UDP keeps boundaries: one sendto() is one recvfrom()."),
    .example = "def recv_exactly(sock, n):\n"
               "    data = b''\n"
               "    while len(data) < n:\n"
               "        chunk = sock.recv(n - len(data))\n"
               "        if not chunk:\n"
               "            raise ConnectionError('peer closed')\n"
               "        data += chunk\n"
               "    return data",
    .note = N_("Tutorial 003's JSON client passes one recv(1024) to json.loads(): a longer "
               "message arrives in pieces and two quick ones arrive merged, and json.loads() then "
               "raises JSONDecodeError. End each JSON message with a newline (or a length "
               "prefix) and read until it is complete."),
    .keywords = "stream boundaries sticky packets framing length prefix newline 粘包 字节流 "
                "消息边界",
  },
  {
    .id = "hmac-auth", .kind = T, .title = N_("HMAC link authentication"),
    .summary = N_("Tutorial 003 lets only clients that know a shared secret (the salt) talk to "
                  "the server: after accept(), the server sends 32 random bytes "
                  "(os.urandom(32)); the client answers with hmac.new(salt, challenge, "
                  "digest).digest(); the server computes the same and compares with "
                  "hmac.compare_digest() (constant time). The secret itself never crosses the "
                  "network. Each side must read exactly the challenge's and the digest's "
                  "length: TCP may split or merge them with the first message."),
    .example = "import hmac, os\n"
               "\n"
               "SALT = b'SOCKET SERVER'\n"
               "# recv_exactly(): see the byte-stream entry\n"
               "# server\n"
               "challenge = os.urandom(32)\n"
               "conn.sendall(challenge)\n"
               "expected = hmac.new(SALT, challenge, 'sha256').digest()\n"
               "answer = recv_exactly(conn, len(expected))\n"
               "if not hmac.compare_digest(expected, answer):\n"
               "    conn.close()\n"
               "# client\n"
               "challenge = recv_exactly(client, 32)\n"
               "client.sendall(hmac.new(SALT, challenge, 'sha256').digest())",
    .note = N_("Tutorial 003 calls hmac.new(salt, msg) without a digest: Python 3.8 and later "
               "raise TypeError (missing digestmod); before 3.8 it meant MD5. Pass one "
               "explicitly: 'sha256' for new programs, 'md5' to talk to old peers. Its single "
               "recv(1024) may read more or less than the digest. It calls listen() twice, and "
               "after a failed verification it continues without closing conn, leaking the "
               "connection."),
    .keywords = "HMAC authentication salt challenge digest md5 sha256 compare_digest urandom "
                "验证 链接合法性 盐",
  },
  {
    .id = "base64", .kind = T, .title = N_("Base64 messages"),
    .summary = N_("Base64 writes any bytes with 64 printable characters (A–Z, a–z, 0–9, + and "
                  "/, padded with =), 4 characters for every 3 bytes. Tutorial 000's client "
                  "encodes text as UTF-8 and then base64 before sending; the server decodes "
                  "base64 and then UTF-8. It is an encoding, not encryption: anyone can decode "
                  "it. Socket Lab's base64 message encoding does the same."),
    .example = "import base64\n"
               "\n"
               "wire = base64.b64encode('你好'.encode('utf-8'))   # b'5L2g5aW9'\n"
               "client.sendall(wire)\n"
               "text = base64.b64decode(conn.recv(1024)).decode('utf-8')",
    .note = N_("Tutorial 000 calls base64 “encryption and decryption”: it only encodes; use "
               "TLS (the ssl module) to keep messages secret. Its server prints the decoded "
               "bytes without .decode('utf-8'), and both sides treat one recv(512) as one "
               "message."),
    .keywords = "base64 b64encode b64decode encoding UTF-8 编码 解码 加密",
  },
};

#undef M
#undef C
#undef T

const SlReferenceEntry *
sl_reference_get_entries (guint *n_entries)
{
  if (n_entries != NULL)
    *n_entries = G_N_ELEMENTS (entries);
  return entries;
}

const SlReferenceEntry *
sl_reference_lookup (const char *id)
{
  if (id == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    if (g_str_equal (entries[i].id, id))
      return &entries[i];
  return NULL;
}

const char *
sl_reference_text (const char *msgid)
{
  if (msgid == NULL || *msgid == '\0')
    return msgid;
  return g_dgettext (GETTEXT_PACKAGE, msgid);
}

const char *
sl_reference_kind_to_string (SlReferenceKind kind)
{
  switch (kind)
    {
    case SL_REFERENCE_KIND_METHOD:
      return _("Methods");
    case SL_REFERENCE_KIND_CONSTANT:
      return _("Constants");
    case SL_REFERENCE_KIND_TOPIC:
    default:
      return _("Topics");
    }
}

/* Calls of the trace that are not socket methods of the same name. */
static const struct
{
  const char *call;  /* "object.method" or "function" as written before '(' */
  const char *id;
} special_calls[] = {
  { "os.urandom", "hmac-auth" },
  { "hmac.new", "hmac-auth" },
  { "hmac.compare_digest", "hmac-auth" },
  { "h.digest", "hmac-auth" },
  { "print", "hmac-auth" },  /* print("verification fail"), tutorial 003 */
  { "os.unlink", "AF_UNIX" },
  { "base64.b64encode", "base64" },
  { "base64.b64decode", "base64" },
  { "socket.socket", "socket" },
};

const char *
sl_reference_id_for_call (const char *summary)
{
  g_autofree char *callee = NULL;
  const char *open, *start, *method;
  const SlReferenceEntry *entry;

  if (summary == NULL)
    return NULL;
  while (g_ascii_isspace (*summary))
    summary++;

  if (g_str_has_prefix (summary, "state:"))
    return "tcp-states";

  open = strchr (summary, '(');
  if (open == NULL)
    return NULL;

  /* The callee is the dotted name just before the first '(': "conn.recv", "hmac.new". */
  start = open;
  while (start > summary && (g_ascii_isalnum (start[-1]) || start[-1] == '_' || start[-1] == '.'))
    start--;
  if (start == open)
    return NULL;
  callee = g_strndup (start, open - start);

  if (strstr (open, "SO_REUSEADDR") != NULL && g_str_has_suffix (callee, ".setsockopt"))
    return "SO_REUSEADDR";

  for (guint i = 0; i < G_N_ELEMENTS (special_calls); i++)
    if (g_str_equal (callee, special_calls[i].call))
      return special_calls[i].id;

  method = strrchr (callee, '.');
  method = method != NULL ? method + 1 : callee;
  entry = sl_reference_lookup (method);
  if (entry == NULL || entry->kind != SL_REFERENCE_KIND_METHOD)
    return NULL;
  return entry->id;
}

static gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL || *haystack == '\0')
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

/* The English and the translated text of a prose field. */
static gboolean
prose_contains (const char *msgid,
                const char *needle)
{
  const char *translated;

  if (msgid == NULL)
    return FALSE;
  if (contains_casefold (msgid, needle))
    return TRUE;
  translated = sl_reference_text (msgid);
  return translated != msgid && contains_casefold (translated, needle);
}

static gboolean
entry_contains (const SlReferenceEntry *e,
                const char             *needle)
{
  const char *code[] = { e->id, e->signature, e->posix, e->gio, e->example, e->keywords };
  const char *prose[] = { e->title, e->summary, e->blocking, e->returns, e->errors, e->table,
                          e->note };

  for (guint i = 0; i < G_N_ELEMENTS (code); i++)
    if (contains_casefold (code[i], needle))
      return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (prose); i++)
    if (prose_contains (prose[i], needle))
      return TRUE;
  return FALSE;
}

gboolean
sl_reference_entry_matches (const SlReferenceEntry *entry,
                            const char             *query)
{
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (entry != NULL, FALSE);

  if (query == NULL)
    return TRUE;
  folded = g_utf8_casefold (query, -1);
  words = g_strsplit_set (g_strstrip (folded), " \t\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (!entry_contains (entry, words[i]))
        return FALSE;
    }
  return TRUE;
}
