#!/usr/bin/python3
"""Sends messages with lr_smtp_send (through the mail_smtp_send helper) to
a real SMTP server on loopback (tests/smtp_server.py) and checks what
arrives, how failures are classified, and that the caller hears of the
two moments around the server storing a message: before the data leaves,
and when the 250 comes, also against servers that answer late, drop the
connection or never answer QUIT.

usage: smtp_send.py PATH-TO-mail_smtp_send PATH-TO-mail_message_dump
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import needs

HERE = os.path.dirname(os.path.abspath(__file__))
SEND = DUMP = None  # set from argv
SENDER = "kvinnofrid@lansstyrelsen.example"


class Server:
    """tests/smtp_server.py in a child process, stopped with the test."""

    def __init__(self, directory, *options):
        self.directory = directory
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "smtp_server.py"), directory,
             *options],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError(f"smtp_server.py did not start: {line!r}")
        host = options[options.index("--host") + 1] if "--host" in options else "127.0.0.1"
        scheme = "smtps" if "implicit" in options else "smtp"
        self.url = f"{scheme}://{host}:{int(line.split()[1])}"

    def stop(self):
        self.process.stdin.close()  # the server exits when stdin closes
        self.process.stdout.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def stored(self):
        """[(envelope, bytes)] of the accepted messages, in order."""
        names = sorted(n for n in os.listdir(self.directory)
                       if n.endswith(".eml"))
        out = []
        for name in names:
            stem = os.path.join(self.directory, name[:-4])
            with open(stem + ".json", encoding="utf-8") as f, \
                    open(stem + ".eml", "rb") as g:
                out.append((json.load(f), g.read()))
        return out


class SmtpTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.home = os.path.join(self.tmp.name, "home")
        self.spool = os.path.join(self.tmp.name, "spool")
        os.mkdir(self.home)
        os.mkdir(self.spool)
        self.servers = []

    def tearDown(self):
        for server in self.servers:
            server.stop()
        self.tmp.cleanup()

    def server(self, *options):
        server = Server(self.spool, *options)
        self.servers.append(server)
        return server

    def message(self, name="msg.eml", *args):
        """A message written by the library, and its path."""
        attachment = os.path.join(self.tmp.name, "bytes.bin")
        with open(attachment, "wb") as f:
            f.write(bytes(range(256)))
        raw = subprocess.run(
            [DUMP, "--from-named", "Länsstyrelsen i Jönköpings län", SENDER,
             "--to-named", "Anna Åberg", "anna@varnamo.example",
             "--subject", "Återkoppling på yttrande 2022",
             "--body", "Hej!\n.\nHär är återkopplingen.\n",
             "--attach", attachment, "återkoppling-värnamo.html", "text/html",
             "--date", "1681291800", *args],
            capture_output=True, check=True).stdout
        path = os.path.join(self.tmp.name, name)
        with open(path, "wb") as f:
            f.write(raw)
        return path, raw

    def send_told(self, url, path, *recipients, options=(), env=None):
        """Returns (result, error text, events the caller was told of)."""
        run = subprocess.run(
            [SEND, *options, url, SENDER, path, *recipients],
            capture_output=True, text=True, check=True, timeout=60,
            env=env or {**os.environ, "HOME": self.home})
        self.assertEqual(run.stderr, "", "the library must not print")
        result, error, events = run.stdout.split("\n")[:3]
        return result, error, events

    def send(self, url, path, *recipients, options=(), env=None):
        """Returns (result, error text)."""
        return self.send_told(url, path, *recipients, options=options,
                              env=env)[:2]

    def test_delivers_exactly_the_bytes(self):
        server = self.server()
        path, raw = self.message()
        result, error = self.send(server.url, path, "anna@varnamo.example",
                                  "bo@gislaved.example")
        self.assertEqual((result, error), ("OK", ""))
        [(envelope, received)] = server.stored()
        self.assertEqual(received, raw)
        self.assertEqual(envelope, {
            "mail_from": SENDER,
            "rcpt_tos": ["anna@varnamo.example", "bo@gislaved.example"],
            "tls": False})  # the server offered no STARTTLS

    def test_lines_with_dots_survive_dot_stuffing(self):
        server = self.server()
        raw = (b"Subject: punkter\r\n\r\n.\r\n..\r\n.x\r\n. \r\nslut.\r\n"
               b"\r\n.\r\n")
        path = os.path.join(self.tmp.name, "dots.eml")
        with open(path, "wb") as f:
            f.write(raw)
        self.assertEqual(self.send(server.url, path, "a@b.example")[0], "OK")
        self.assertEqual(server.stored()[0][1], raw)

    def test_451_is_temporary(self):
        path, _ = self.message()
        for stage, events in [("mail", ""), ("data", "data-begins")]:
            with self.subTest(stage=stage):
                server = self.server("--fail-after", "0", "--fail-code", "451",
                                     "--fail-at", stage)
                result, error, told = self.send_told(server.url, path,
                                                     "anna@varnamo.example")
                self.assertEqual(result, "TEMPORARY")
                self.assertIn("SMTP-servern svarade 451", error)
                self.assertIn("tillfälligt fel", error)
                self.assertIn("Tillfalligt fel, prova igen senare", error)
                # Refused at MAIL FROM, nothing was about to leave; refused
                # after the data, the caller knew it was leaving.
                self.assertEqual(told, events)
                self.assertEqual(server.stored(), [])

    # ---- the moments around delivery --------------------------------------

    def test_caller_hears_before_the_data_and_at_the_250(self):
        server = self.server()
        path, raw = self.message()
        self.assertEqual(self.send_told(server.url, path, "a@b.example"),
                         ("OK", "", "data-begins accepted"))
        self.assertEqual([m for _, m in server.stored()], [raw])

    def test_caller_can_stop_the_data_from_leaving(self):
        server = self.server()
        path, _ = self.message()
        result, error, told = self.send_told(server.url, path, "a@b.example",
                                             options=("--refuse-data",))
        self.assertEqual((result, told), ("PERMANENT", "data-begins"))
        self.assertIn("journalen", error)
        self.assertEqual(server.stored(), [])

    def test_no_answer_after_the_data_is_uncertain(self):
        path, raw = self.message()
        for fault in (("--reply-delay", "30"), ("--drop-after-data", "stored"),
                      ("--drop-after-data", "lost")):
            with self.subTest(fault=fault):
                server = self.server(*fault)
                start = time.monotonic()
                result, error, told = self.send_told(
                    server.url, path, "a@b.example", options=("--timeout", "1"))
                elapsed = time.monotonic() - start
                self.assertEqual((result, told), ("UNCERTAIN", "data-begins"))
                self.assertIn("efter att hela meddelandet hade skickats", error)
                # The timeout, then QUIT cut short (2 s), not the 30 s.
                self.assertLess(elapsed, 1 + 2 + 2)
                self.assertEqual(len(server.stored()),
                                 0 if fault[-1] == "lost" else 1)
                server.stop()
                self.servers.remove(server)
                for name in os.listdir(self.spool):
                    os.remove(os.path.join(self.spool, name))

    def test_a_250_after_the_timeout_still_counts(self):
        # The reply comes while QUIT waits: replies come in order, so it is
        # the answer to the message.
        server = self.server("--reply-delay", "1.5")
        path, _ = self.message()
        self.assertEqual(self.send_told(server.url, path, "a@b.example",
                                        options=("--timeout", "1")),
                         ("OK", "", "data-begins accepted"))
        self.assertEqual(len(server.stored()), 1)

    def test_a_server_that_never_answers_quit_is_left_after_2_seconds(self):
        server = self.server("--silent-quit")
        path, _ = self.message()
        start = time.monotonic()
        told = self.send_told(server.url, path, "a@b.example",
                              options=("--timeout", "60"))
        elapsed = time.monotonic() - start
        self.assertEqual(told, ("OK", "", "data-begins accepted"))
        self.assertGreaterEqual(elapsed, 2)
        self.assertLess(elapsed, 4.5)
        self.assertEqual(len(server.stored()), 1)

    def test_550_after_accepted_messages_is_permanent(self):
        server = self.server("--fail-after", "2", "--fail-code", "550")
        path, _ = self.message()
        results = [self.send(server.url, path, "anna@varnamo.example")
                   for _ in range(3)]
        self.assertEqual([r for r, _ in results], ["OK", "OK", "PERMANENT"])
        self.assertIn("SMTP-servern svarade 550 (permanent fel)",
                      results[2][1])
        self.assertEqual(len(server.stored()), 2)

    def test_refused_recipient_fails_the_message(self):
        server = self.server("--reject-rcpt", "okand@varnamo.example")
        path, _ = self.message()
        result, error = self.send(server.url, path, "anna@varnamo.example",
                                  "okand@varnamo.example")
        self.assertEqual(result, "PERMANENT")
        self.assertIn("550", error)
        self.assertIn("Mottagaren finns inte", error)
        self.assertEqual(server.stored(), [])

    def test_closed_port_is_unreachable(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        path, _ = self.message()
        result, error = self.send(f"smtp://127.0.0.1:{port}", path,
                                  "anna@varnamo.example")
        self.assertEqual(result, "UNREACHABLE")
        self.assertTrue(error.startswith("kunde inte ansluta till SMTP-servern"),
                        error)

    def test_silent_server_times_out_as_temporary(self):
        with socket.socket() as s:  # accepts connections, never greets
            s.bind(("127.0.0.1", 0))
            s.listen()
            path, _ = self.message()
            result, error = self.send(
                f"smtp://127.0.0.1:{s.getsockname()[1]}", path,
                "anna@varnamo.example", options=("--timeout", "1"))
        self.assertEqual(result, "TEMPORARY")
        self.assertIn("svarade inte i tid", error)

    def test_required_tls_never_falls_back_to_plain_text(self):
        server = self.server()  # offers no STARTTLS
        path, _ = self.message()
        result, error = self.send(server.url, path, "anna@varnamo.example",
                                  options=("--tls",))
        self.assertEqual(result, "STOP_RUN")  # every message would meet it
        self.assertIn("STARTTLS", error)
        self.assertEqual(server.stored(), [])

    def test_login(self):
        server = self.server("--auth", "anna:hemligt lösenord")
        path, raw = self.message()
        ok = self.send(server.url, path, "a@b.example",
                       options=("--user", "anna", "--password",
                                "hemligt lösenord"))
        self.assertEqual(ok, ("OK", ""))
        result, error = self.send(server.url, path, "a@b.example",
                                  options=("--user", "anna", "--password",
                                           "fel"))
        self.assertEqual(result, "STOP_RUN")  # every message would meet it
        self.assertIn("nekade inloggningen (535)", error)
        result, error = self.send(server.url, path, "a@b.example")
        self.assertEqual(result, "STOP_RUN")  # 530: authentication required
        self.assertEqual([m for _, m in server.stored()], [raw])

    def test_login_from_netrc(self):
        server = self.server("--auth", "anna:ur-netrc")
        with open(os.path.join(self.home, ".netrc"), "w") as f:
            f.write("machine 127.0.0.1 login anna password ur-netrc\n")
        path, _ = self.message()
        self.assertEqual(self.send(server.url, path, "a@b.example"),
                         ("OK", ""))

    def test_bad_arguments_are_permanent(self):
        path, _ = self.message()
        for url, recipient, text in [
                ("http://127.0.0.1:1", "a@b.example", "ogiltig SMTP-adress"),
                ("smtp://127.0.0.1:1", "a@b.example\r\nRCPT TO:<x@evil.example>",
                 "ogiltig mottagaradress")]:
            with self.subTest(url=url, recipient=recipient):
                result, error = self.send(url, path, recipient)
                self.assertEqual(result, "PERMANENT")
                self.assertIn(text, error)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    needs.module("aiosmtpd", package="python3-aiosmtpd")  # the server, smtp_server.py
    SEND, DUMP = sys.argv.pop(1), sys.argv.pop(1)
    unittest.main(verbosity=1)
