# cli_interop.py — socket-lab-cli against peers nobody here wrote
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs the real socket-lab-cli (path in $SL_CLI) against Python programs in
the tutorials' style (tests/interop/peers/), ncat and socat, on loopback.

    cli_interop.py [TestClass ...]     (meson registers one test per class)

Every server binds port 0 and tells its port on its first line; every wait is
bounded (socket timeouts, subprocess timeouts, the queue reads below)."""

import os
import queue
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest

CLI = os.environ.get("SL_CLI", "socket-lab-cli")
PEERS = os.environ.get("SL_INTEROP_PEERS",
                       os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers"))
PYTHON = "/usr/bin/python3"
TIMEOUT = 20  # seconds: the bound of every single wait in these tests

# meson's G_DEBUG=fatal-warnings is inherited: a GLib warning in the CLI fails the test.
ENV = dict(os.environ, PYTHONIOENCODING="utf-8", LC_ALL="C.UTF-8")


class Process:
    """A child whose stdout and stderr lines are read by threads into queues,
    so that every read can be bounded by a timeout."""

    def __init__(self, argv, stdin=subprocess.DEVNULL):
        self.argv = argv
        self.proc = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=ENV)
        self.out_lines = []
        self.err_lines = []
        self._out = queue.Queue()
        self._err = queue.Queue()
        self._threads = [
            threading.Thread(target=self._pump, args=(self.proc.stdout, self._out), daemon=True),
            threading.Thread(target=self._pump, args=(self.proc.stderr, self._err), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    @staticmethod
    def _pump(stream, lines):
        for raw in iter(stream.readline, b""):
            lines.put(raw.decode("utf-8", "backslashreplace").rstrip("\n"))
        lines.put(None)

    def _drain(self, source, into):
        while True:
            try:
                line = source.get_nowait()
            except queue.Empty:
                return
            if line is not None:
                into.append(line)

    def read_line(self, timeout=TIMEOUT):
        """The next stdout line, or None at end of output; fails after @timeout."""
        try:
            line = self._out.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("%s printed nothing for %s s; stdout so far: %r, stderr: %r"
                                 % (self.argv[:3], timeout, self.out_lines, self.stderr()))
        if line is not None:
            self.out_lines.append(line)
        return line

    def wait_for(self, pattern, timeout=TIMEOUT):
        """Reads stdout until a line matches @pattern (a regex); returns the line."""
        deadline = time.monotonic() + timeout
        for line in self.out_lines:
            if re.search(pattern, line):
                return line
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no line matching %r from %s; stdout: %r, stderr: %r"
                                     % (pattern, self.argv[:3], self.out_lines, self.stderr()))
            line = self.read_line(left)
            if line is None:
                raise AssertionError("%s ended without a line matching %r; stdout: %r, "
                                     "stderr: %r" % (self.argv[:3], pattern, self.out_lines,
                                                     self.stderr()))
            if re.search(pattern, line):
                return line

    def finish(self, timeout=TIMEOUT):
        """Waits for the exit; returns (status, stdout lines, stderr text)."""
        try:
            status = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError("%s did not exit within %s s; stdout: %r"
                                 % (self.argv[:3], timeout, self.out_lines))
        for thread in self._threads:
            thread.join(timeout)
        self._drain(self._out, self.out_lines)
        return status, self.out_lines, self.stderr()

    def stderr(self):
        self._drain(self._err, self.err_lines)
        return "\n".join(self.err_lines)

    def wait_for_stderr(self, pattern, timeout=TIMEOUT):
        """Polls stderr until @pattern (a regex) matches; returns the match."""
        deadline = time.monotonic() + timeout
        while True:
            match = re.search(pattern, self.stderr())
            if match:
                return match
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError("no %r on the stderr of %s: %r"
                                     % (pattern, self.argv[:3], self.stderr()))
            time.sleep(0.02)

    def terminate(self, sig=signal.SIGTERM, timeout=TIMEOUT):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.finish(timeout)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=TIMEOUT)

    def write(self, text):
        self.proc.stdin.write(text.encode("utf-8"))
        self.proc.stdin.flush()

    def close_stdin(self):
        self.proc.stdin.close()


def listening_port(process):
    """Reads the first line, "listening on HOST:PORT", and returns PORT (None
    for "listening on /unix/path")."""
    line = process.read_line()
    if line is None or not line.startswith("listening on "):
        raise AssertionError("first line of %s is %r, not 'listening on ...'; stderr: %r"
                             % (process.argv[:3], line, process.stderr()))
    if line.startswith("listening on /"):
        return None
    return int(line.rsplit(":", 1)[1])


def run(argv, stdin_text=None, timeout=TIMEOUT):
    """Runs a program to its end; returns (status, stdout, stderr) as text."""
    done = subprocess.run(argv, input=None if stdin_text is None else stdin_text.encode(),
                          stdin=subprocess.DEVNULL if stdin_text is None else None,
                          capture_output=True, timeout=timeout, env=ENV)
    return (done.returncode, done.stdout.decode("utf-8", "backslashreplace"),
            done.stderr.decode("utf-8", "backslashreplace"))


def needs(tool):
    """Skips a test when a third-party peer is not installed (apt install ncat socat)."""
    return unittest.skipUnless(shutil.which(tool), "%s is not installed" % tool)


def cli(*args, stdin=subprocess.DEVNULL):
    return Process([CLI, *args], stdin=stdin)


def peer(script, *args, stdin=subprocess.DEVNULL):
    return Process([PYTHON, os.path.join(PEERS, script), *args], stdin=stdin)


def free_port():
    """A port that was free a moment ago (for ncat -l, which cannot tell its port)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CliTestCase(unittest.TestCase):
    def setUp(self):
        self.processes = []
        self.tmpdir = tempfile.mkdtemp(prefix="sl-interop-")

    def tearDown(self):
        for process in self.processes:
            process.kill()
            for stream in (process.proc.stdin, process.proc.stdout, process.proc.stderr):
                if stream is not None:
                    stream.close()
        shutil.rmtree(self.tmpdir, ignore_errors=True)

    def start(self, process):
        self.processes.append(process)
        return process

    def start_cli_server(self, *args):
        server = self.start(cli(*args))
        return server, listening_port(server)

    def start_peer_server(self, script, *args):
        server = self.start(peer(script, *args))
        return server, listening_port(server)

    def stop(self, process, sig=signal.SIGTERM):
        status, out, err = process.terminate(sig)
        self.assertEqual(status, 0, "%s exited %s; stderr: %s" % (process.argv[:3], status, err))
        return out

    def assert_in_order(self, lines, *patterns):
        """Each regex matches a line after the line the previous one matched."""
        index = 0
        for pattern in patterns:
            while index < len(lines) and not re.search(pattern, lines[index]):
                index += 1
            self.assertLess(index, len(lines), "no line matching %r in order in:\n%s"
                            % (pattern, "\n".join(lines)))
            index += 1

    def path(self, name):
        return os.path.join(self.tmpdir, name)


class TcpServerUpper(CliTestCase):
    """socket-lab-cli tcp-server --reply=upper against tutorial 003's client."""

    def test_several_messages(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--reply=upper")
        status, out, err = run([PYTHON, os.path.join(PEERS, "tcp_client.py"),
                                "127.0.0.1:%d" % port], "hello\nsocket lab\n\nexit\n")
        self.assertEqual(status, 0, err)
        self.assertEqual(out.splitlines(), ["b'HELLO'", "b'SOCKET LAB'", "client close"])

        lines = self.stop(server)
        self.assert_in_order(lines, r"server\.listen\(5\)", r"accept\(\)",
                             r"recv\(1024\) → b'hello'", r"send.*b'HELLO'",
                             r"recv\(1024\) → b'socket lab'", r"b'' \(peer closed")

    def test_two_clients_in_turn(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0")
        for text in ("first", "second"):
            status, out, err = run([PYTHON, os.path.join(PEERS, "tcp_client.py"),
                                    "127.0.0.1:%d" % port], text + "\n")
            self.assertEqual(status, 0, err)
            self.assertIn("b'%s'" % text.upper(), out.splitlines())
        lines = self.stop(server)
        self.assertEqual(len([l for l in lines if "peer closed" in l]), 2, "\n".join(lines))

    def test_two_clients_at_once(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--reply=upper")
        address = "127.0.0.1:%d" % port
        one = self.start(peer("tcp_client.py", address, stdin=subprocess.PIPE))
        two = self.start(peer("tcp_client.py", address, stdin=subprocess.PIPE))
        # Interleaved: both conversations are open at the same time.
        one.write("one-a\n")
        self.assertEqual(one.read_line(), "b'ONE-A'")
        two.write("two-a\n")
        self.assertEqual(two.read_line(), "b'TWO-A'")
        one.write("one-b\n")
        self.assertEqual(one.read_line(), "b'ONE-B'")
        two.write("two-b\n")
        self.assertEqual(two.read_line(), "b'TWO-B'")
        for client in (one, two):
            client.close_stdin()
            status, _, err = client.finish()
            self.assertEqual(status, 0, err)
        lines = self.stop(server)
        self.assertEqual(len([l for l in lines if re.search(r"accept\(\) → ", l)]), 2,
                         "\n".join(lines))


class ChatServer(CliTestCase):
    """--reply=none: lines typed on the server's stdin go to its clients."""

    def test_tcp_chat_quiet(self):
        server = self.start(cli("tcp-server", "127.0.0.1:0", "--reply=none", "--quiet",
                                stdin=subprocess.PIPE))
        port = listening_port(server)
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as client:
            client.sendall("你好 server\n".encode())
            # --quiet: the server prints what it receives as it is.
            self.assertEqual(server.read_line(), "你好 server")
            server.write("hello client\n")
            self.assertEqual(client.recv(1024), b"hello client")
        server.close_stdin()
        self.assertEqual(self.stop(server), ["listening on 127.0.0.1:%d" % port,
                                             "你好 server"])

    def test_udp_chat_trace(self):
        server = self.start(cli("udp-server", "127.0.0.1:0", "--reply=none",
                                stdin=subprocess.PIPE))
        port = listening_port(server)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
            client.settimeout(TIMEOUT)
            client.sendto(b"knock", ("127.0.0.1", port))
            server.wait_for(r"recvfrom\(1024\) → \(b'knock'")
            server.write("who is there\n")
            self.assertEqual(client.recvfrom(1024)[0], b"who is there")
        lines = self.stop(server)
        self.assertTrue(any(re.search(r"sendto\(b'who is there'", l) for l in lines),
                        "\n".join(lines))


class TcpClientVsPythonServer(CliTestCase):
    """socket-lab-cli tcp-client against tutorial 003's uppercase server."""

    def test_send_waits_for_each_reply(self):
        server, port = self.start_peer_server("tcp_upper_server.py", "127.0.0.1:0", "1")
        status, out, err = run([CLI, "tcp-client", "127.0.0.1:%d" % port,
                                "--send", "a", "--send", "b"])
        self.assertEqual(status, 0, err)
        lines = out.splitlines()
        self.assert_in_order(lines, r"client\.connect\(\('127\.0\.0\.1', %d\)\)" % port,
                             r"send.*b'a'", r"recv\(1024\) → b'A'",
                             r"send.*b'b'", r"recv\(1024\) → b'B'", r"client\.close\(\)")
        status, out, err = server.finish()
        self.assertEqual(status, 0, err)
        self.assert_in_order(out, r"recv: b'a'", r"recv: b'b'")

    def test_empty_message_has_no_reply(self):
        server, port = self.start_peer_server("tcp_upper_server.py", "127.0.0.1:0", "1")
        status, out, err = run([CLI, "tcp-client", "127.0.0.1:%d" % port, "--send=",
                                "--wait=0.5"])
        self.assertEqual(status, 0, err)
        lines = out.splitlines()
        self.assertTrue(any(re.search(r"send\(b''\)", l) for l in lines), out)
        self.assertFalse(any(re.search(r"recv\(1024\) → b'.+'", l) for l in lines), out)
        status, out, err = server.finish()
        self.assertEqual(status, 0, err)
        # Nothing reached the server: the empty send() carries no bytes over TCP.
        self.assertFalse(any(l.startswith("recv:") for l in out), out)

    def test_quiet_prints_payloads_raw(self):
        server, port = self.start_peer_server("tcp_upper_server.py", "127.0.0.1:0", "1")
        status, out, err = run([CLI, "tcp-client", "127.0.0.1:%d" % port, "--quiet"],
                               "hello\nworld\n")
        self.assertEqual(status, 0, err)
        self.assertEqual(out, "HELLOWORLD")
        self.assertEqual(server.finish()[0], 0)

    def test_stdin_lines(self):
        server, port = self.start_peer_server("tcp_upper_server.py", "127.0.0.1:0", "1")
        status, out, err = run([CLI, "tcp-client", "127.0.0.1:%d" % port], "one\ntwo\n")
        self.assertEqual(status, 0, err)
        self.assert_in_order(out.splitlines(), r"recv\(1024\) → b'ONE'",
                             r"recv\(1024\) → b'TWO'")
        self.assertEqual(server.finish()[0], 0)


class Base64(CliTestCase):
    """Tutorial 000's base64 client and server."""

    def test_tutorial_client_vs_cli_echo_server(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--encoding=base64",
                                             "--reply=echo")
        status, out, err = run([PYTHON, os.path.join(PEERS, "b64_client.py"),
                                "127.0.0.1:%d" % port], "你好\nhello\n")
        self.assertEqual(status, 0, err)
        self.assertEqual(out.splitlines(), ["decoded: 你好", "decoded: hello"])
        lines = self.stop(server)
        # The row shows the bytes and, for --encoding=base64, what they decode to.
        self.assertTrue(any(re.search(r"recv\(1024\) → b'5L2g5aW9'  \[base64 → 你好\]$", l)
                            for l in lines), "\n".join(lines))

    def test_cli_client_vs_tutorial_server(self):
        server, port = self.start_peer_server("b64_server.py", "127.0.0.1:0")
        status, out, err = run([CLI, "tcp-client", "127.0.0.1:%d" % port, "--encoding=base64",
                                "--send", "你好", "--wait=0"])
        self.assertEqual(status, 0, err)
        self.assertTrue(any(re.search(r"send\(b'5L2g5aW9'\) → 8  \[base64 → 你好\]$", l)
                            for l in out.splitlines()), out)
        status, out, err = server.finish()
        self.assertEqual(status, 0, err)
        self.assertIn("decoded: 你好", out)


class Json(CliTestCase):
    """Tutorial 003 exchanges json.dumps() text: decoded when valid, flagged and kept raw when not."""

    def test_tutorial_json_client_vs_cli_server(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--encoding=json",
                                             "--reply=echo")
        script = ("import json, socket, sys\n"
                  "c = socket.socket(); c.settimeout(10); c.connect(('127.0.0.1', %d))\n"
                  "c.send(json.dumps({'user': '张三', 'n': [1, 2]}).encode('utf-8'))\n"
                  "print(json.loads(c.recv(1024).decode('utf-8'))['user'])\n"
                  "c.send(b'{not json'); print(c.recv(1024)); c.close()\n" % port)
        status, out, err = run([PYTHON, "-c", script])
        self.assertEqual(status, 0, err)
        self.assertEqual(out.splitlines(), ["张三", "b'{not json'"])
        lines = self.stop(server)
        # Valid JSON is shown decoded (the \\u escapes of json.dumps back to 张三) …
        self.assertTrue(any(re.search(r'recv\(1024\) → .*\[json → \{"user" : "张三"', l)
                            for l in lines), "\n".join(lines))
        # … invalid JSON is named, and its bytes are still there as they came.
        self.assertTrue(any(re.search(r"recv\(1024\) → b'\{not json'  \[JSON: error at line 1", l)
                            for l in lines), "\n".join(lines))

    def test_invalid_json_is_not_sent(self):
        status, out, err = run([CLI, "tcp-client", "127.0.0.1:9", "--encoding=json",
                                "--send", "{'single': 'quotes'}"])
        self.assertEqual(status, 2, err)
        self.assertIn("JSON", err)


class Udp(CliTestCase):
    """UDP both ways, with tutorial 003's UDP programs and socat."""

    def test_cli_server_vs_python_client(self):
        server, port = self.start_cli_server("udp-server", "127.0.0.1:0", "--reply=upper")
        status, out, err = run([PYTHON, os.path.join(PEERS, "udp_client.py"),
                                "127.0.0.1:%d" % port], "hello\n\nudp\n")
        self.assertEqual(status, 0, err)
        # The empty line is a real, empty datagram, and it is answered.
        self.assertEqual(out.splitlines(), ["b'HELLO'", "b''", "b'UDP'"])
        lines = self.stop(server)
        self.assert_in_order(lines, r"recvfrom\(1024\).*b'hello'", r"sendto.*b'HELLO'",
                             r"recvfrom\(1024\).*b''", r"recvfrom\(1024\).*b'udp'")

    def test_python_server_vs_cli_client(self):
        server, port = self.start_peer_server("udp_upper_server.py", "127.0.0.1:0", "2")
        status, out, err = run([CLI, "udp-client", "127.0.0.1:%d" % port,
                                "--send", "ping", "--send", "pong"])
        self.assertEqual(status, 0, err)
        self.assert_in_order(out.splitlines(), r"sendto\(b'ping'", r"b'PING'",
                             r"sendto\(b'pong'", r"b'PONG'")
        status, out, err = server.finish()
        self.assertEqual(status, 0, err)
        self.assert_in_order(out, r"recv: b'ping'", r"recv: b'pong'")

    @needs("socat")
    def test_socat_client_vs_cli_server(self):
        server, port = self.start_cli_server("udp-server", "127.0.0.1:0", "--reply=upper")
        status, out, err = run(["socat", "-t", "1", "-", "UDP:127.0.0.1:%d" % port],
                               "datagram\n")
        self.assertEqual(status, 0, err)
        self.assertEqual(out, "DATAGRAM\n")
        self.stop(server)

    @needs("socat")
    def test_socat_server_vs_cli_client(self):
        socat = self.start(Process(["socat", "-d", "-d", "UDP-LISTEN:0,bind=127.0.0.1",
                                    "EXEC:cat"]))
        # socat -d -d says "listening on AF=2 127.0.0.1:PORT" on stderr.
        match = socat.wait_for_stderr(r"listening on .*:(\d+)")
        status, out, err = run([CLI, "udp-client", "127.0.0.1:%s" % match.group(1),
                                "--send", "echo me"])
        self.assertEqual(status, 0, err)
        self.assert_in_order(out.splitlines(), r"sendto\(b'echo me'",
                             r"recvfrom\(1024\) → \(b'echo me'")


class Unix(CliTestCase):
    """Unix stream and datagram sockets both ways."""

    def test_stream_cli_server(self):
        path = self.path("upper.sock")
        server = self.start(cli("unix-server", path, "--reply=upper"))
        self.assertEqual(server.read_line(), "listening on " + path)
        status, out, err = run([PYTHON, os.path.join(PEERS, "tcp_client.py"), path], "unix\n")
        self.assertEqual(status, 0, err)
        self.assertIn("b'UNIX'", out.splitlines())
        self.stop(server)
        self.assertFalse(os.path.exists(path), "the server leaves its socket file behind")

    def test_stream_cli_client(self):
        path = self.path("py.sock")
        server, _ = self.start_peer_server("tcp_upper_server.py", path, "1")
        status, out, err = run([CLI, "unix-client", path, "--send", "stream"])
        self.assertEqual(status, 0, err)
        self.assertTrue(any("b'STREAM'" in l for l in out.splitlines()), out)
        self.assertEqual(server.finish()[0], 0)

    def test_datagram_cli_server(self):
        path = self.path("dgram.sock")
        server = self.start(cli("unix-server", path, "--datagram", "--reply=upper"))
        self.assertEqual(server.read_line(), "listening on " + path)
        status, out, err = run([PYTHON, os.path.join(PEERS, "udp_client.py"), path,
                                self.path("client.sock")], "dgram\n")
        self.assertEqual(status, 0, err)
        self.assertEqual(out.splitlines(), ["b'DGRAM'"])
        self.stop(server)

    def test_datagram_cli_client(self):
        path = self.path("pydgram.sock")
        server, _ = self.start_peer_server("udp_upper_server.py", path, "1")
        status, out, err = run([CLI, "unix-client", path, "--datagram", "--send", "dgram"])
        self.assertEqual(status, 0, err)
        self.assertTrue(any("b'DGRAM'" in l for l in out.splitlines()), out)
        self.assertEqual(server.finish()[0], 0)


class Ncat(CliTestCase):
    """ncat as a client and as a server."""

    @needs("ncat")
    def test_ncat_client_vs_cli_echo_server(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--reply=echo")
        status, out, err = run(["ncat", "127.0.0.1", str(port)], "hello ncat\n")
        self.assertEqual(status, 0, err)
        self.assertEqual(out, "hello ncat\n")
        lines = self.stop(server)
        self.assertTrue(any(re.search(r"recv\(1024\) → b'hello ncat\\n'", l) for l in lines),
                        "\n".join(lines))

    @needs("ncat")
    def test_ncat_server_vs_cli_client(self):
        port = free_port()
        ncat = self.start(Process(["ncat", "-v", "-l", "127.0.0.1", str(port)],
                                  stdin=subprocess.PIPE))
        # ncat -v says "Ncat: Listening on 127.0.0.1:PORT" on stderr when ready.
        ncat.wait_for_stderr(r"Listening on")
        client = self.start(cli("tcp-client", "127.0.0.1:%d" % port, "--send", "from cli",
                                "--wait=5"))
        client.wait_for(r"send.*b'from cli'")
        ncat.write("from ncat\n")
        client.wait_for(r"recv\(1024\) → b'from ncat\\n'")
        status, out, err = client.finish()
        self.assertEqual(status, 0, err)
        ncat.close_stdin()
        status, out, err = ncat.finish()
        self.assertEqual(out, ["from cli"])

    @needs("socat")
    def test_socat_tcp_server_vs_cli_client(self):
        socat = self.start(Process(["socat", "-d", "-d",
                                    "TCP-LISTEN:0,bind=127.0.0.1,reuseaddr", "EXEC:cat"]))
        # socat -d -d says "listening on AF=2 127.0.0.1:PORT" on stderr.
        match = socat.wait_for_stderr(r"listening on .*:(\d+)")
        status, out, err = run([CLI, "tcp-client", "127.0.0.1:%s" % match.group(1),
                                "--send", "one", "--send", "two"])
        self.assertEqual(status, 0, err)
        self.assert_in_order(out.splitlines(), r"recv\(1024\) → b'one'",
                             r"recv\(1024\) → b'two'")


class PeerEnds(CliTestCase):
    """An orderly close (FIN) and a reset (RST) give distinct rows."""

    def test_cli_server_sees_fin_and_rst(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--reply=upper")
        address = "127.0.0.1:%d" % port
        for how in ("fin", "rst"):
            status, out, err = run([PYTHON, os.path.join(PEERS, "closing_peer.py"), "client",
                                    address, how])
            self.assertEqual(status, 0, err)
            self.assertIn("b'HELLO'", out)
        server.wait_for(r"ECONNRESET")
        lines = self.stop(server)
        fin = [l for l in lines if "b'' (peer closed" in l]
        rst = [l for l in lines if "ECONNRESET" in l]
        self.assertEqual(len(fin), 1, "\n".join(lines))
        self.assertGreaterEqual(len(rst), 1, "\n".join(lines))
        self.assert_in_order(lines, r"b'' \(peer closed", r"ECONNRESET")

    def test_cli_client_sees_server_fin(self):
        server, port = self.start_peer_server("closing_peer.py", "server", "127.0.0.1:0", "fin")
        status, out, err = run([CLI, "tcp-client", "127.0.0.1:%d" % port, "--send", "hi",
                                "--duration=10"])
        self.assertEqual(status, 0, err)
        self.assert_in_order(out.splitlines(), r"b'HI'", r"b'' \(peer closed")
        self.assertEqual(server.finish()[0], 0)

    def test_cli_client_sees_server_rst(self):
        server, port = self.start_peer_server("closing_peer.py", "server", "127.0.0.1:0", "rst")
        status, out, err = run([CLI, "tcp-client", "127.0.0.1:%d" % port, "--send", "hi",
                                "--duration=10"])
        self.assertEqual(status, 1, out + err)
        self.assertIn("ECONNRESET", out)
        self.assertNotIn("peer closed", out)
        self.assertIn("ECONNRESET", err)
        self.assertEqual(server.finish()[0], 0)


class IoModes(CliTestCase):
    """The manual modes: the CLI makes each accept()/recv() call, one client at a time."""

    def test_blocking_serves_one_client_at_a_time(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--io=blocking")
        server.wait_for(r"accept\(\).*blocking")
        first = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        second = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        with first, second:
            first.sendall(b"first")
            self.assertEqual(first.recv(1024), b"FIRST")
            # The second client waits in the backlog queue: nobody recv()s for it yet.
            second.sendall(b"second")
            second.settimeout(1.0)
            with self.assertRaises(socket.timeout):
                second.recv(1024)
            first.close()
            second.settimeout(TIMEOUT)
            self.assertEqual(second.recv(1024), b"SECOND")
        lines = self.stop(server)
        self.assert_in_order(lines, r"b'first'", r"b'' \(peer closed", r"accept\(\) → ",
                             r"b'second'")

    def test_nonblocking_shows_eagain_and_serves(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--io=nonblocking")
        server.wait_for(r"accept\(\).*EAGAIN")
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as client:
            server.wait_for(r"recv\(1024\).*EAGAIN")
            client.sendall(b"poll")
            self.assertEqual(client.recv(1024), b"POLL")
        self.stop(server)

    def test_timeout_shows_timeout_and_serves(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--io=timeout:0.3")
        server.wait_for(r"accept\(\).*timed out")
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as client:
            server.wait_for(r"recv\(1024\).*timed out")
            client.sendall(b"late")
            self.assertEqual(client.recv(1024), b"LATE")
        self.stop(server)

    def test_sigterm_while_blocked(self):
        for io in ("blocking", "timeout:30"):
            server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--io=" + io)
            server.wait_for(r"accept\(\) → … ")
            lines = self.stop(server)
            # The worker thread's call ends and the listening socket is closed.
            self.assert_in_order(lines, r"accept\(\) → … ", r"server\.close\(\)")

    def test_blocking_client(self):
        server, port = self.start_peer_server("tcp_upper_server.py", "127.0.0.1:0", "1")
        status, out, err = run([CLI, "tcp-client", "127.0.0.1:%d" % port, "--io=blocking",
                                "--send", "x", "--send", "y"])
        self.assertEqual(status, 0, err)
        self.assert_in_order(out.splitlines(), r"recv\(1024\) → b'X'", r"recv\(1024\) → b'Y'")
        self.assertEqual(server.finish()[0], 0)

    def test_blocking_udp_server(self):
        server, port = self.start_cli_server("udp-server", "127.0.0.1:0", "--io=blocking")
        status, out, err = run([PYTHON, os.path.join(PEERS, "udp_client.py"),
                                "127.0.0.1:%d" % port], "dgram\n")
        self.assertEqual(status, 0, err)
        self.assertEqual(out.splitlines(), ["b'DGRAM'"])
        self.stop(server)


class Failures(CliTestCase):
    """Runtime failures exit 1 with a message; signals end a clean run with 0."""

    def test_address_in_use(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0")
        status, out, err = run([CLI, "tcp-server", "127.0.0.1:%d" % port])
        self.assertEqual(status, 1, out + err)
        self.assertIn("EADDRINUSE", err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertTrue(any("EADDRINUSE" in l and "bind" in l for l in out.splitlines()), out)
        self.assertFalse(out.startswith("listening on"), out)
        self.stop(server)

    def test_refused(self):
        port = free_port()
        status, out, err = run([CLI, "tcp-client", "127.0.0.1:%d" % port, "--send", "x"])
        self.assertEqual(status, 1, out + err)
        self.assertIn("ECONNREFUSED", err)

    def test_unknown_host(self):
        status, out, err = run([CLI, "tcp-client", "no.such.host.invalid:80", "--send", "x"],
                               timeout=60)
        self.assertIn(status, (1, 2), out + err)
        self.assertIn("no.such.host.invalid", err)

    def test_sigterm_and_sigint_exit_0(self):
        for sig in (signal.SIGTERM, signal.SIGINT):
            server, port = self.start_cli_server("tcp-server", "127.0.0.1:0")
            lines = self.stop(server, sig)
            self.assertTrue(any(re.search(r"server\.close\(\)", l) for l in lines),
                            "\n".join(lines))

    def test_duration(self):
        server = self.start(cli("tcp-server", "127.0.0.1:0", "--duration=0.3", "--quiet"))
        status, out, err = server.finish()
        self.assertEqual(status, 0, err)
        self.assertEqual(len(out), 1, out)
        self.assertRegex(out[0], r"^listening on 127\.0\.0\.1:\d+$")

    def test_ipv6_listening_line(self):
        if not socket.has_ipv6:
            self.skipTest("no IPv6")
        server, port = self.start_cli_server("tcp-server", "[::1]:0", "--reply=upper")
        self.assertEqual(server.out_lines[0], "listening on [::1]:%d" % port)
        with socket.create_connection(("::1", port), timeout=TIMEOUT) as client:
            client.sendall(b"six")
            self.assertEqual(client.recv(1024), b"SIX")
        self.stop(server)


class BadArguments(CliTestCase):
    """Every bad argument: exit 2 and one line on stderr naming it."""

    CASES = [
        (["tcp-server", "127.0.0.1:70000"], "70000"),
        (["tcp-server", "127.0.0.1:0", "--backlog=0"], "--backlog"),
        (["tcp-server", "127.0.0.1:0", "--bufsize=0"], "--bufsize"),
        (["tcp-server", "127.0.0.1:0", "--io=foo"], "--io"),
        (["tcp-server", "127.0.0.1:0", "--encoding=foo"], "--encoding"),
        (["tcp-client", "127.0.0.1:1", "--encoding=hex", "--send=zz"], "--send"),
        (["tcp-server", "127.0.0.1:0", "--reply=loud"], "--reply"),
        (["tcp-server", "127.0.0.1:0", "--backlog=five"], "five"),
        (["tcp-client", "127.0.0.1:1", "--wait=-1"], "--wait"),
        (["tcp-server", "127.0.0.1:0", "--io=timeout:soon"], "soon"),
        (["tcp-server", "127.0.0.1:0", "--datagram"], "--datagram"),
        (["tcp-server", "127.0.0.1:0", "--send=x"], "--send"),
        (["tcp-server", "127.0.0.1:0", "--no-such-option"], "--no-such-option"),
        (["sctp-server", "127.0.0.1:0"], "sctp-server"),
        (["tcp-server"], "ADDRESS"),
        ([], "MODE"),
        (["tcp-server", "127.0.0.1"], "127.0.0.1"),
        (["unix-server", ""], "ADDRESS"),
        (["unix-server", "/tmp/" + "x" * 200], "ADDRESS"),
    ]

    def test_bad_arguments(self):
        for args, named in self.CASES:
            with self.subTest(args=args):
                status, out, err = run([CLI, *args])
                self.assertEqual(status, 2, "%r: %s%s" % (args, out, err))
                self.assertEqual(out, "")
                lines = err.strip().splitlines()
                self.assertEqual(len(lines), 1, err)
                self.assertTrue(lines[0].startswith("socket-lab-cli: "), err)
                self.assertIn(named, lines[0])

    def test_exposed_server_warns(self):
        # Every interface: one warning on stderr, and the server still runs.
        status, out, err = run([CLI, "tcp-server", "0.0.0.0:0", "--duration=0.2"])
        self.assertEqual(status, 0, err)
        self.assertIn("listening on 0.0.0.0:", out)
        self.assertIn("warning: 0.0.0.0 listens on every network interface", err)
        # Loopback: no warning.
        status, out, err = run([CLI, "tcp-server", "127.0.0.1:0", "--duration=0.2"])
        self.assertEqual(status, 0, err)
        self.assertNotIn("warning", err)

    def test_help_and_version(self):
        status, out, err = run([CLI, "--help"])
        self.assertEqual(status, 0, err)
        for word in ("tcp-server", "--reply", "--io", "--encoding", "--send", "--duration",
                     "--quiet", "--datagram", "--wait", "--bind", "Examples", "Exit status"):
            self.assertIn(word, out)
        status, out, err = run([CLI, "--version"])
        self.assertEqual(status, 0, err)
        self.assertRegex(out, r"^socket-lab-cli \d+\.\d+")


class Auth(CliTestCase):
    """--auth/--salt: the HMAC challenge-response of tutorial 003 against the
    tutorial-style peers hmac_server.py and hmac_client.py, both digests."""

    SALT = "SOCKET SERVER"

    def client_against_cli_server(self, digest, salt, lines):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0",
                                             "--auth=hmac-" + digest, "--salt=" + self.SALT)
        status, out, err = run([PYTHON, os.path.join(PEERS, "hmac_client.py"), digest, salt,
                                "127.0.0.1:%d" % port], lines)
        self.assertEqual(status, 0, err)
        self.port = port
        return server, out.splitlines()

    def test_python_client_vs_cli_server(self):
        for digest in ("sha256", "md5"):
            with self.subTest(digest=digest):
                server, out = self.client_against_cli_server(digest, self.SALT, "hello\nlab\n")
                self.assertEqual(out, ["digest sent", "HELLO", "LAB"])
                lines = self.stop(server)
                self.assert_in_order(lines, r"accept\(\)", r"msg = os\.urandom\(32\)",
                                     r"conn\.send\(",
                                     r"digest = hmac\.new\(salt, msg, '%s'\)\.digest\(\)" % digest,
                                     r"recvMsg = conn\.recv\(%d\)" % (16 if digest == "md5"
                                                                      else 32),
                                     r"hmac\.compare_digest\(digest, recvMsg\) → True",
                                     r"recv\(1024\) → b'\"hello\"'")

    def test_python_client_wrong_salt(self):
        server, out = self.client_against_cli_server("sha256", "socket server", "hello\n")
        self.assertEqual(out, ["digest sent", "server closed"])
        # The server keeps serving: a client with the right salt is answered.
        status, good, err = run([PYTHON, os.path.join(PEERS, "hmac_client.py"), "sha256",
                                 self.SALT, "127.0.0.1:%d" % self.port], "again\n")
        self.assertEqual(status, 0, err)
        self.assertEqual(good.splitlines(), ["digest sent", "AGAIN"])
        lines = self.stop(server)
        self.assert_in_order(lines, r"hmac\.compare_digest\(digest, recvMsg\) → False",
                             r"verification fail", r"conn\.close\(\)",
                             r"hmac\.compare_digest\(digest, recvMsg\) → True")

    def test_python_client_wrong_digest(self):
        # An MD5 client against a SHA-256 server: 16 bytes are not the 32 expected.
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--auth=hmac-sha256",
                                             "--salt=" + self.SALT, "--auth-timeout=0.5")
        status, out, err = run([PYTHON, os.path.join(PEERS, "hmac_client.py"), "md5", self.SALT,
                                "127.0.0.1:%d" % port], "hello\n")
        self.assertEqual(status, 0, err)
        self.assertEqual(out.splitlines(), ["digest sent", "server closed"])
        lines = self.stop(server)
        self.assert_in_order(lines, r"verification fail.*of the 32 bytes of the digest")

    def test_cli_client_vs_python_server(self):
        for digest in ("sha256", "md5"):
            with self.subTest(digest=digest):
                server, port = self.start_peer_server("hmac_server.py", digest, self.SALT,
                                                      "127.0.0.1:0")
                status, out, err = run([CLI, "tcp-client", "127.0.0.1:%d" % port,
                                        "--auth=hmac-" + digest, "--salt=" + self.SALT,
                                        "--send=\"hello\"", "--send=\"lab\""])
                self.assertEqual(status, 0, err)
                lines = out.splitlines()
                self.assert_in_order(lines, r"client\.connect", r"msg = client\.recv\(32\)",
                                     r"h = hmac\.new\(salt, msg, '%s'\)" % digest,
                                     r"digest = h\.digest\(\)", r"client\.send\(",
                                     r"client\.send\(b'\"hello\"'\)",
                                     r"client\.recv\(1024\) → b'\"hello\"'",
                                     r"client\.recv\(1024\) → b'\"lab\"'")
                status, peer_out, err = server.finish()
                self.assertEqual(status, 0, err)
                self.assertEqual(peer_out[1:], ["verified", "received: hello", "received: lab",
                                                "client close"])

    def test_cli_client_wrong_salt(self):
        server, port = self.start_peer_server("hmac_server.py", "md5", self.SALT, "127.0.0.1:0")
        status, out, err = run([CLI, "tcp-client", "127.0.0.1:%d" % port, "--auth=hmac-md5",
                                "--salt=wrong", "--send=\"hello\""])
        status_server, peer_out, peer_err = server.finish()
        self.assertEqual(status_server, 0, peer_err)
        self.assertEqual(peer_out[1:], ["verification fail"])
        # The client only learns it from the closed connection (FIN or RST).
        self.assertRegex(out + err, r"peer closed|ECONNRESET")
        self.assertNotIn("recv(1024) → b'\"hello\"'", out)

    def test_split_merged_truncated_slow_against_cli_server(self):
        import hmac
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--auth=hmac-sha256",
                                             "--salt=" + self.SALT, "--auth-timeout=0.5")
        # Split and merged: 5 bytes of the digest, then the rest with the first message.
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
            challenge = b""
            while len(challenge) < 32:
                challenge += sock.recv(32 - len(challenge))
            digest = hmac.new(self.SALT.encode(), challenge, "sha256").digest()
            sock.sendall(digest[:5])
            time.sleep(0.05)
            sock.sendall(digest[5:] + b"merged")
            self.assertEqual(sock.recv(1024), b"MERGED")
        # Truncated: the client closes after 5 bytes.
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
            sock.recv(32)
            sock.sendall(b"12345")
            sock.shutdown(socket.SHUT_WR)
            self.assertEqual(sock.recv(1024), b"")
        # Slow: nothing within --auth-timeout.
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
            sock.recv(32)
            self.assertEqual(sock.recv(1024), b"")
        lines = self.stop(server)
        self.assert_in_order(lines, r"conn\.recv\(1024\) → b",
                             r"conn\.recv\(1024\) → b.*merged",
                             r"compare_digest\(digest, recvMsg\) → True",
                             r"recv\(1024\) → b'merged'",
                             r"verification fail.*after 5 of the 32 bytes",
                             r"verification fail.*0 of the 32 bytes of the digest in time")

    def test_challenge_split_and_merged_to_cli_client(self):
        import hmac
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(1)
            listener.settimeout(TIMEOUT)
            client = self.start(cli("tcp-client", "127.0.0.1:%d" % listener.getsockname()[1],
                                    "--auth=hmac-md5", "--salt=" + self.SALT, "--send=hi",
                                    "--wait=2"))
            conn, _ = listener.accept()
            with conn:
                conn.settimeout(TIMEOUT)
                challenge = os.urandom(32)
                conn.sendall(challenge[:7])
                time.sleep(0.05)
                conn.sendall(challenge[7:] + b"welcome")
                reply = b""
                while len(reply) < 18:
                    piece = conn.recv(18 - len(reply))
                    if not piece:
                        break
                    reply += piece
                self.assertEqual(reply[:16],
                                 hmac.new(self.SALT.encode(), challenge, "md5").digest())
                # The message the client held during the handshake; b'welcome',
                # which came merged with the challenge, counts as its reply.
                self.assertEqual(reply[16:], b"hi")
            status, out, err = client.finish()
        self.assertEqual(status, 0, err)
        self.assert_in_order(out, r"client\.recv\(1024\) → b",
                             r"client\.recv\(1024\) → b.*welcome", r"msg = client\.recv\(32\)", r"digest = h\.digest\(\)",
                             r"client\.send\(b'hi'\)",
                             r"client\.recv\(1024\) → b'welcome'")

    def test_help_and_bad_values(self):
        status, out, err = run([CLI, "--help"])
        self.assertEqual(status, 0, err)
        for word in ("--auth", "--salt", "--auth-timeout", "hmac-md5", "hmac-sha256"):
            self.assertIn(word, out)
        for args, named in ((["--auth=sha1"], "sha1"),
                            (["--auth=hmac-md5"], "--salt"),
                            (["--auth=hmac-md5", "--salt=x", "--auth-timeout=0"],
                             "--auth-timeout"),
                            (["--auth=hmac-md5", "--salt=x", "--io=blocking"], "async")):
            with self.subTest(args=args):
                status, out, err = run([CLI, "tcp-server", "127.0.0.1:0", *args])
                self.assertEqual(status, 2, out + err)
                self.assertIn(named, err)


class KernelStates(CliTestCase):
    """The kernel's TCP states printed as state rows by both ends (issue 4)."""

    def test_client_sees_time_wait_server_close_wait(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0")
        status, out, err = run([CLI, "tcp-client", "127.0.0.1:%d" % port, "--send=hello",
                                "--wait=1"])
        self.assertEqual(status, 0, out + err)
        lines = out.splitlines()
        # The client closes first, keeps watching, and sees TIME_WAIT before it exits.
        # (On loopback the whole exchange may be over when close() returns.)
        self.assert_in_order(lines, r"state: ESTABLISHED", r"client\.close\(\) → None",
                             r"state: ESTABLISHED → \w+ \(you called close\(\)\)")
        after_close = lines[[i for i, l in enumerate(lines) if "client.close()" in l][0]:]
        self.assertTrue([l for l in after_close if re.search(r"state: .*→ TIME_WAIT", l)],
                        "\n".join(lines))
        server.wait_for(r"state: ESTABLISHED → CLOSE_WAIT \(peer sent FIN\)")
        server.wait_for(r"state: CLOSE_WAIT → (LAST_ACK|CLOSED) \(you called close\(\)\)")
        self.stop(server)

    def test_no_close_on_eof_stays_in_close_wait(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--no-close-on-eof")
        status, out, err = run([CLI, "tcp-client", "127.0.0.1:%d" % port, "--send=hello",
                                "--wait=1"])
        self.assertEqual(status, 0, out + err)
        # The server never closes: the client stays in FIN_WAIT_2 (not TIME_WAIT).
        self.assertRegex(out, r"→ FIN_WAIT_2")
        self.assertNotRegex(out, r"TIME_WAIT")
        server.wait_for(r"state: ESTABLISHED → CLOSE_WAIT \(peer sent FIN\)")
        time.sleep(0.3)
        # It leaves CLOSE_WAIT only when the server is stopped and closes it.
        lines = self.stop(server)
        self.assert_in_order(lines, r"→ CLOSE_WAIT \(peer sent FIN\)", r"conn\.close\(\)",
                             r"CLOSE_WAIT → ")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v", *sys.argv[1:]])
