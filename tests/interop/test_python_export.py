# test_python_export.py — scripts from "socket-lab-cli export-python" against the app
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Exports Python scripts with the real socket-lab-cli (path in $SL_CLI), runs
them with /usr/bin/python3 against socket-lab-cli endpoints with the same
configuration (and socket-lab-cli clients against the exported servers), and
checks the bytes that went each way. Every exported script is also compiled
with "python3 -m py_compile".

    test_python_export.py [TestClass ...]     (meson registers one test per class)

Exported servers bind port 0 and print "listening on HOST:PORT" with the real
port first, like socket-lab-cli, except in FixedPort, which exports a port
found free a moment before and retries when another program took it. Every
wait is bounded; every process is killed in tearDown."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import unittest

from cli_interop import (CLI, PYTHON, TIMEOUT, CliTestCase, Process, free_port,
                         listening_port, run)


def ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
        return True
    except OSError:
        return False


class ExportTestCase(CliTestCase):
    def export(self, *args):
        """Runs socket-lab-cli export-python ARGS; returns the script's path,
        checked to compile."""
        status, script, err = run([CLI, "export-python", *args])
        self.assertEqual(status, 0, "export-python %s: %s" % (" ".join(args), err))
        self.assertEqual(err, "")
        self.assertTrue(script.startswith("#!/usr/bin/env python3\n"), script[:200])
        self.assertIn("exported from Socket Lab", script)
        path = self.path("exported%d.py" % len(os.listdir(self.tmpdir)))
        with open(path, "w", encoding="utf-8") as f:
            f.write(script)
        status, out, err = run([PYTHON, "-m", "py_compile", path])
        self.assertEqual(status, 0, "py_compile failed: %s\n%s" % (err, script))
        return path

    def start_script(self, path, stdin=subprocess.DEVNULL):
        return self.start(Process([PYTHON, path], stdin=stdin))

    def start_script_server(self, *args):
        """Exports a server, runs it, returns (process, port or None for Unix)."""
        server = self.start_script(self.export(*args))
        return server, listening_port(server)

    def run_script(self, path, stdin_text):
        status, out, err = run([PYTHON, path], stdin_text)
        self.assertEqual(status, 0, "%s exited %s; stdout %r; stderr: %s"
                         % (path, status, out, err))
        return out.splitlines()

    def stop_script(self, process, closed=0):
        """Ctrl+C: the script prints "stopped" and exits 0; returns its stdout lines.
        Waits first for @closed lines "closed: ...", so that Ctrl+C does not cut
        the server's handling of a client that just left."""
        deadline = time.monotonic() + TIMEOUT
        while len([l for l in process.out_lines if l.startswith("closed: ")]) < closed:
            left = deadline - time.monotonic()
            self.assertGreater(left, 0, process.out_lines)
            self.assertIsNotNone(process.read_line(left), process.out_lines)
        status, out, err = process.terminate(signal.SIGINT)
        self.assertEqual(status, 0, "stdout %r, stderr: %s" % (out, err))
        self.assertEqual(out[-1], "stopped", out)
        return out

    def cli_client(self, *args, stdin_text):
        """socket-lab-cli client --quiet: returns what it received, as it came."""
        status, out, err = run([CLI, *args, "--quiet"], stdin_text)
        self.assertEqual(status, 0, err)
        return out


class TcpServers(ExportTestCase):
    """Exported TCP servers against socket-lab-cli tcp-client."""

    def test_upper(self):
        server, port = self.start_script_server("tcp-server", "127.0.0.1:0", "--reply=upper",
                                                "--reuseaddr")
        out = self.cli_client("tcp-client", "127.0.0.1:%d" % port,
                              stdin_text="hello\nsocket lab\n")
        self.assertEqual(out, "HELLOSOCKET LAB")
        lines = self.stop_script(server, closed=1)
        self.assert_in_order(lines, r"^listening on 127\.0\.0\.1:%d$" % port,
                             r"^connected: \('127\.0\.0\.1', \d+\)$",
                             r"^recv: b'hello'$", r"^recv: b'socket lab'$",
                             r"^peer closed: ", r"^closed: ")

    def test_echo_two_clients_in_turn(self):
        server, port = self.start_script_server("tcp-server", "127.0.0.1:0", "--reply=echo")
        for text in ("first", "Second"):
            out = self.cli_client("tcp-client", "127.0.0.1:%d" % port, stdin_text=text + "\n")
            self.assertEqual(out, text)
        lines = self.stop_script(server, closed=2)
        self.assertEqual(len([l for l in lines if l.startswith("closed: ")]), 2, lines)

    def test_fixed(self):
        server, port = self.start_script_server("tcp-server", "127.0.0.1:0",
                                                "--reply=fixed:谢谢 'thanks'")
        out = self.cli_client("tcp-client", "127.0.0.1:%d" % port, stdin_text="a\nb\n")
        self.assertEqual(out, "谢谢 'thanks'谢谢 'thanks'")
        self.stop_script(server, closed=1)

    def test_reply_none_only_prints(self):
        server, port = self.start_script_server("tcp-server", "127.0.0.1:0", "--reply=none")
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as client:
            client.sendall("你好".encode())
            server.wait_for(r"^recv: b'\\xe4\\xbd\\xa0\\xe5\\xa5\\xbd'$")
            client.settimeout(0.3)
            with self.assertRaises(socket.timeout):
                client.recv(1024)
        self.stop_script(server, closed=1)

    def test_no_close_on_eof_keeps_the_socket(self):
        server, port = self.start_script_server("tcp-server", "127.0.0.1:0", "--no-close-on-eof")
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as client:
            client.sendall(b"bye")
            self.assertEqual(client.recv(1024), b"BYE")
            client.shutdown(socket.SHUT_WR)
            server.wait_for(r"^peer closed: ")
            # The server did not close: no FIN comes, recv() times out.
            client.settimeout(0.3)
            with self.assertRaises(socket.timeout):
                client.recv(1024)
        lines = self.stop_script(server)
        self.assertFalse(any(l.startswith("closed: ") for l in lines), lines)


class UdpServers(ExportTestCase):
    """Exported UDP servers against socket-lab-cli udp-client."""

    def test_upper(self):
        server, port = self.start_script_server("udp-server", "127.0.0.1:0", "--reuseaddr")
        out = self.cli_client("udp-client", "127.0.0.1:%d" % port, stdin_text="hello\nudp\n")
        self.assertEqual(out, "HELLOUDP")
        lines = self.stop_script(server)
        self.assert_in_order(lines, r"^recvfrom: b'hello' from \('127\.0\.0\.1', \d+\)$",
                             r"^recvfrom: b'udp' from ")

    def test_fixed_hex(self):
        server, port = self.start_script_server("udp-server", "127.0.0.1:0", "--encoding=hex",
                                                "--reply=fixed:0x6f 0x6b")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
            client.settimeout(TIMEOUT)
            client.sendto(b"\x00\xff", ("127.0.0.1", port))
            self.assertEqual(client.recvfrom(1024)[0], b"ok")
        server.wait_for(r"^recvfrom: b'\\x00\\xff' \[hex → 00 ff\] from ")
        self.stop_script(server)


class Clients(ExportTestCase):
    """Exported clients against socket-lab-cli servers."""

    def test_tcp_client(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--reply=upper")
        path = self.export("tcp-client", "127.0.0.1:%d" % port)
        lines = self.run_script(path, "hello\n\nworld\nexit\nnever sent\n")
        self.assertEqual(lines, ["connected: ('127.0.0.1', %d)" % port, "b'HELLO'", "b'WORLD'"])
        trace = self.stop(server)
        self.assert_in_order(trace, r"recv\(1024\) → b'hello'", r"recv\(1024\) → b'world'",
                             r"b'' \(peer closed")
        self.assertFalse(any("never" in l for l in trace), trace)

    def test_tcp_client_local_bind(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--reply=echo")
        local = free_port()
        path = self.export("tcp-client", "127.0.0.1:%d" % port, "--bind=127.0.0.1:%d" % local)
        lines = self.run_script(path, "from a fixed port\n")
        self.assertEqual(lines[1:], ["b'from a fixed port'"])
        trace = self.stop(server)
        self.assertTrue(any("('127.0.0.1', %d)" % local in l for l in trace), trace)

    def test_udp_client(self):
        server, port = self.start_cli_server("udp-server", "127.0.0.1:0", "--reply=upper")
        path = self.export("udp-client", "127.0.0.1:%d" % port)
        self.assertEqual(self.run_script(path, "one\ntwo\n"), ["b'ONE'", "b'TWO'"])
        trace = self.stop(server)
        self.assert_in_order(trace, r"recvfrom\(1024\) → \(b'one'", r"recvfrom\(1024\) → \(b'two'")

    def test_json_client(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--reply=echo",
                                             "--encoding=json")
        path = self.export("tcp-client", "127.0.0.1:%d" % port, "--encoding=json")
        lines = self.run_script(path, '{"user": "张三"}\n{not json\n[1, 2]\n')
        self.assertEqual(lines[1], "b'{\"user\": \"\\xe5\\xbc\\xa0\\xe4\\xb8\\x89\"}' "
                                   "[json → {\"user\": \"张三\"}]")
        self.assertTrue(lines[2].startswith("not sent, not valid JSON:"), lines)
        self.assertEqual(lines[3], "b'[1, 2]' [json → [1, 2]]")
        self.stop(server)


class Base64(ExportTestCase):
    """Tutorial 000's base64 messages, both ways."""

    def test_exported_server(self):
        server, port = self.start_script_server("tcp-server", "127.0.0.1:0", "--encoding=base64",
                                                "--reply=echo")
        out = self.cli_client("tcp-client", "127.0.0.1:%d" % port, "--encoding=base64",
                              stdin_text="你好\n")
        self.assertEqual(out, "5L2g5aW9")
        server.wait_for(r"^recv: b'5L2g5aW9' \[base64 → 你好\]$")
        self.stop_script(server, closed=1)

    def test_exported_client(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--encoding=base64",
                                             "--reply=fixed:收到")
        path = self.export("tcp-client", "127.0.0.1:%d" % port, "--encoding=base64")
        lines = self.run_script(path, "你好\n")
        self.assertEqual(lines[1:], ["b'5pS25Yiw' [base64 → 收到]"])
        trace = self.stop(server)
        self.assertTrue(any(re.search(r"recv\(1024\) → b'5L2g5aW9'  \[base64 → 你好\]", l)
                            for l in trace), trace)


class IoModes(ExportTestCase):
    """Timeout and non-blocking scripts."""

    def test_timeout_server(self):
        server, port = self.start_script_server("tcp-server", "127.0.0.1:0", "--io=timeout:0.3")
        server.wait_for(r"^accept\(\) timed out after 0\.3 s: no client yet$")
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as client:
            server.wait_for(r"^connected: ")
            server.wait_for(r"^recv\(\) timed out after 0\.3 s: nothing arrived$")
            client.sendall(b"late")
            self.assertEqual(client.recv(1024), b"LATE")
        self.stop_script(server, closed=1)

    def test_timeout_client(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--reply=none")
        path = self.export("tcp-client", "127.0.0.1:%d" % port, "--io=timeout:0.3")
        lines = self.run_script(path, "anyone?\n")
        self.assertEqual(lines[1:], ["recv() timed out after 0.3 s: no reply"])
        trace = self.stop(server)
        self.assertTrue(any(re.search(r"recv\(1024\) → b'anyone\?'", l) for l in trace), trace)

    def test_nonblocking_server(self):
        path = self.export("tcp-server", "127.0.0.1:0", "--io=nonblocking")
        with open(path, encoding="utf-8") as f:
            script = f.read()
        self.assertIn("server.setblocking(False)", script)
        self.assertIn("except BlockingIOError:", script)
        server = self.start_script(path)
        port = listening_port(server)
        out = self.cli_client("tcp-client", "127.0.0.1:%d" % port, stdin_text="quick\n")
        self.assertEqual(out, "QUICK")
        self.stop_script(server, closed=1)

    def test_nonblocking_udp_client(self):
        server, port = self.start_cli_server("udp-server", "127.0.0.1:0", "--reply=echo")
        path = self.export("udp-client", "127.0.0.1:%d" % port, "--io=nonblocking")
        self.assertEqual(self.run_script(path, "x\n"), ["b'x'"])
        self.stop(server)


@unittest.skipUnless(ipv6_loopback(), "no IPv6 loopback (::1)")
class Ipv6(ExportTestCase):
    def test_server(self):
        server, port = self.start_script_server("tcp-server", "[::1]:0", "--reuseaddr")
        self.assertEqual(server.out_lines[0], "listening on [::1]:%d" % port)
        out = self.cli_client("tcp-client", "[::1]:%d" % port, stdin_text="six\n")
        self.assertEqual(out, "SIX")
        server.wait_for(r"^connected: \('::1', \d+, 0, 0\)$")
        self.stop_script(server, closed=1)

    def test_udp_client(self):
        server, port = self.start_cli_server("udp-server", "[::1]:0")
        path = self.export("udp-client", "[::1]:%d" % port)
        self.assertEqual(self.run_script(path, "v6\n"), ["b'V6'"])
        self.stop(server)


class Unix(ExportTestCase):
    """AF_UNIX stream and datagram, both ways."""

    def test_stream_server(self):
        sock = self.path("server.sock")
        server, _ = self.start_script_server("unix-server", sock)
        self.assertEqual(server.out_lines[0], "listening on %s" % sock)
        out = self.cli_client("unix-client", sock, stdin_text="local\n")
        self.assertEqual(out, "LOCAL")
        self.stop_script(server, closed=1)
        # The script removes its socket file when it stops.
        self.assertFalse(os.path.exists(sock))

    def test_stream_client(self):
        sock = self.path("cli.sock")
        server = self.start(Process([CLI, "unix-server", sock, "--reply=echo"]))
        listening_port(server)
        path = self.export("unix-client", sock)
        self.assertEqual(self.run_script(path, "path\n")[1:], ["b'path'"])
        self.stop(server)

    def test_datagram_both_ways(self):
        sock = self.path("dgram.sock")
        server, _ = self.start_script_server("unix-server", sock, "--datagram")
        path = self.export("unix-client", sock, "--datagram")
        self.assertEqual(self.run_script(path, "gram\n"), ["b'GRAM'"])
        self.stop_script(server)

        server = self.start(Process([CLI, "unix-server", sock, "--datagram", "--reply=echo"]))
        listening_port(server)
        self.assertEqual(self.run_script(path, "again\n"), ["b'again'"])
        self.stop(server)


class Auth(ExportTestCase):
    """HMAC link authentication of tutorial 003 against the app's handshake."""

    def test_exported_server_sha256(self):
        server, port = self.start_script_server("tcp-server", "127.0.0.1:0",
                                                "--auth=hmac-sha256", "--salt=SOCKET SERVER")
        out = self.cli_client("tcp-client", "127.0.0.1:%d" % port, "--auth=hmac-sha256",
                              "--salt=SOCKET SERVER", stdin_text="secret\n")
        self.assertEqual(out, "SECRET")
        server.wait_for(r"^verified: ")
        server.wait_for(r"^recv: b'secret'$")

        # A client with another salt is refused; the server goes on.
        status, out, err = run([CLI, "tcp-client", "127.0.0.1:%d" % port, "--auth=hmac-sha256",
                                "--salt=wrong", "--quiet"], "nope\n")
        self.assertEqual(out, "")
        server.wait_for(r"^verification fail: ")
        out = self.cli_client("tcp-client", "127.0.0.1:%d" % port, "--auth=hmac-sha256",
                              "--salt=SOCKET SERVER", stdin_text="again\n")
        self.assertEqual(out, "AGAIN")
        lines = self.stop_script(server, closed=2)
        self.assertFalse(any("nope" in l for l in lines), lines)

    def test_exported_client_md5(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0", "--auth=hmac-md5",
                                             "--salt=SOCKET SERVER")
        path = self.export("tcp-client", "127.0.0.1:%d" % port, "--auth=hmac-md5",
                           "--salt=SOCKET SERVER")
        with open(path, encoding="utf-8") as f:
            script = f.read()
        self.assertIn("hmac.new(SALT, challenge, DIGEST)", script)
        self.assertIn("DIGEST = 'md5'", script)
        self.assertEqual(self.run_script(path, "hi\n")[1:], ["b'HI'"])
        trace = self.stop(server)
        self.assertTrue(any(re.search(r"recv\(1024\) → b'hi'", l) for l in trace), trace)

    def test_exported_client_wrong_salt(self):
        server, port = self.start_cli_server("tcp-server", "127.0.0.1:0",
                                             "--auth=hmac-sha256", "--salt=right")
        path = self.export("tcp-client", "127.0.0.1:%d" % port, "--auth=hmac-sha256",
                           "--salt=wrong")
        self.assertEqual(self.run_script(path, "hi\n")[1:], ["server closed"])
        trace = self.stop(server)
        self.assertTrue(any("verification fail" in l for l in trace), trace)


class FixedPort(ExportTestCase):
    """The script binds the port of the configuration, not port 0."""

    def test_configured_port(self):
        for attempt in range(3):
            port = free_port()
            server = self.start_script(self.export("tcp-server", "127.0.0.1:%d" % port))
            line = server.read_line()
            if line == "listening on 127.0.0.1:%d" % port:
                break
            # Another program took the port in between: try another one.
            server.finish()
            self.assertIn("Address already in use", server.stderr())
        else:
            self.fail("no free port in 3 attempts")
        out = self.cli_client("tcp-client", "127.0.0.1:%d" % port, stdin_text="fixed\n")
        self.assertEqual(out, "FIXED")
        self.stop_script(server, closed=1)


class Cli(ExportTestCase):
    """The command line of export-python."""

    def test_header_names_the_same_arguments(self):
        args = ["tcp-server", "127.0.0.1:8888", "--reuseaddr", "--reply=fixed:it's ok",
                "--backlog=2", "--bufsize=16", "--io=timeout:2.5", "--encoding=base64",
                "--no-close-on-eof", "--max-clients=3"]
        status, script, err = run([CLI, "export-python", *args])
        self.assertEqual(status, 0, err)
        match = re.search(r"^#   socket-lab-cli (.*)$", script, re.M)
        self.assertIsNotNone(match, script)
        # The header's command line, split as a shell would, exports the same script.
        again = subprocess.run(["/bin/sh", "-c", 'exec "$0" export-python ' + match.group(1),
                                CLI], capture_output=True, timeout=TIMEOUT)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(again.stdout.decode("utf-8"), script)
        for expected in ("BACKLOG = 2", "BUFSIZE = 16", "TIMEOUT = 2.5",
                         "REPLY = base64.b64encode('it\\'s ok'.encode('utf-8'))",
                         "server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
                         "open_sockets.append(conn)", "# Max clients 3"):
            self.assertIn(expected, script)

    def test_same_errors_as_running(self):
        for args in (["tcp-server", "127.0.0.1:70000"],
                     ["tcp-client", "127.0.0.1:0"],
                     ["tcp-server", "127.0.0.1:8888", "--backlog=0"],
                     ["tcp-server", "127.0.0.1:8888", "--reply=loud"],
                     ["tcp-server", "127.0.0.1:8888", "--auth=hmac-md5"],
                     ["udp-server", "127.0.0.1:8888", "--encoding=hex", "--reply=fixed:zz"],
                     ["bogus-mode", "127.0.0.1:8888"],
                     []):
            status, out, err = run([CLI, "export-python", *args])
            self.assertEqual((status, out), (2, ""), args)
            self.assertTrue(err.startswith("socket-lab-cli: "), err)
            if args:
                run_status, _, run_err = run([CLI, *args, "--duration=0"])
                self.assertEqual(run_status, 2, args)
                self.assertEqual(err, run_err, args)

    def test_send_does_not_apply(self):
        status, out, err = run([CLI, "export-python", "tcp-client", "127.0.0.1:8888",
                                "--send=hi"])
        self.assertEqual(status, 2)
        self.assertIn("--send", err)

    def test_help_mentions_export_python(self):
        status, out, err = run([CLI, "--help"])
        self.assertEqual(status, 0, err)
        self.assertIn("export-python", out)


class Compile(ExportTestCase):
    """Every combination of mode, I/O mode and encoding compiles."""

    def test_matrix(self):
        sock = self.path("m.sock")
        modes = [("tcp-server", "127.0.0.1:0"), ("tcp-client", "127.0.0.1:9"),
                 ("udp-server", "[::1]:0"), ("udp-client", "[::1]:9"),
                 ("unix-server", sock), ("unix-client", sock),
                 ("unix-server", sock, "--datagram"), ("unix-client", sock, "--datagram")]
        ios = ["async", "blocking", "nonblocking", "timeout:1.5"]
        encodings = ["text", "base64", "hex", "json"]
        count = 0
        for mode in modes:
            for io in ios:
                for encoding in encodings:
                    reply = {"text": "fixed:ok", "base64": "fixed:好", "hex": "fixed:6f6b",
                             "json": 'fixed:{"ok": true}'}[encoding]
                    self.export(*mode, "--io=" + io, "--encoding=" + encoding, "--reply=" + reply,
                                "--bufsize=7")
                    count += 1
        for mode in modes[:2] + modes[4:6]:
            self.export(*mode, "--auth=hmac-md5", "--salt=s\\'\"", "--no-close-on-eof",
                        "--reuseaddr")
            count += 1
        self.assertEqual(count, 132)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v", *sys.argv[1:]])
