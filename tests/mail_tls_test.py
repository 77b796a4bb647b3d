#!/usr/bin/python3
"""`lagesrapport mail --send` through TLS and a login, as a county's real
server asks for them, against tests/smtp_server.py on loopback with a
certificate authority the test makes (tests/tls_certs.py):

- STARTTLS that the server requires, with AUTH PLAIN and LOGIN, and
  implicit TLS (smtps://): delivered with the CA from the new setting,
  refused with the reason (unknown CA, expired, wrong name) without it;
- a refused login, a refused OAuth2 token: the run stops after the first
  message instead of repeating the refusal for every actor;
- XOAUTH2 with a token command run once per run, and a token command that
  fails or prints nothing: nothing is sent at all;
- a password from a command; a server on 127.0.0.2 that offers STARTTLS
  gets it;
- no token or password in the journal, the .eml files, the output, or the
  program's argv and environment while it sends.

Usage: mail_tls_test.py LAGESRAPPORT SOURCE_DIR
"""
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import unittest

import needs

needs.module("aiosmtpd", "python3-aiosmtpd")  # the server needs it
import tls_certs  # noqa: E402  (needs python3-cryptography)
import mail_test  # noqa: E402

SENDER = mail_test.SENDER[1]
PASSWORD = "hemligt lösenord-7Q"
TOKEN = "eyJ0eXAiOiJKV1QiLCJub25jZSI6InRlc3QifQ.ZmFrZS10b2tlbi1mb3ItdGVzdHM.c2lnbmF0dXI"
SECRET_ENV = ("LAGESRAPPORT_SMTP_CA", "LAGESRAPPORT_SMTP_TOKEN_COMMAND",
              "LAGESRAPPORT_SMTP_PASSWORD_COMMAND")
PKI = None  # the test's CA and server certificates, made once


class TlsTest(mail_test.Project):
    @classmethod
    def setUpClass(cls):
        global PKI
        if PKI is None:
            directory = tempfile.mkdtemp(prefix="lr-pki-")
            cls.addClassCleanup(shutil.rmtree, directory)
            ca = tls_certs.Authority(directory)
            PKI = {"ca": ca.path, "good": ca.issue("server"),
                   "expired": ca.issue("expired", expired=True),
                   "other": ca.issue("other", names=("smtp.annat-lan.example",))}

    def setUp(self):
        super().setUp()
        self.build()
        self.with_address = sorted(a for a in self.answered if self.actors[a].get("epost"))
        self.assertGreater(len(self.with_address), 2)

    def environment(self, env):
        e = super().environment(None)
        for name in SECRET_ENV:
            e.pop(name, None)
        e.update(env or {})
        return e

    def tls_server(self, mode, *options, cert="good"):
        certificate, key = PKI[cert]
        return self.server("--tls", mode, "--cert", certificate, "--key", key, *options)

    def logins(self, server):
        path = os.path.join(server.directory, "auth.log")
        if not os.path.exists(path):
            return []
        with open(path, encoding="utf-8") as f:
            return f.read().split("\n")[:-1]

    def configure(self, smtp):
        """Replaces smtp: in the project's lagesrapport.yaml."""
        path = os.path.join(self.project, "lagesrapport.yaml")
        with open(path, encoding="utf-8") as f:
            lines = [line for line in f if not line.startswith(("smtp:", "  "))]
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(lines)
            f.write("smtp:\n" + "".join(f"  {line}\n" for line in smtp))

    def script(self, name, body):
        path = os.path.join(self.project, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write("#!/bin/sh\n" + body)
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
        return path

    def assert_no_secret(self, run, *secrets):
        """Neither in what the officer saw nor in any file the run wrote."""
        for secret in secrets:
            self.assertNotIn(secret, run.stdout + run.stderr)
            for root, _, names in os.walk(os.path.join(self.project, "out")):
                for name in names:
                    with open(os.path.join(root, name), "rb") as f:
                        self.assertNotIn(secret.encode(), f.read(), name)

    def assert_stopped_after_the_first(self, r, server):
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("[1/", r.stdout)
        self.assertNotIn("[2/", r.stdout)
        self.assertIn("inget mer skickas", r.stderr)
        self.assertEqual(server.stored(), [])
        self.assertEqual(self.journal(), [])  # nothing left, nothing uncertain

    def send(self, server, env=None, *args):
        return self.run_lr("mail", "2022", "--send", "--smtp", server.url, *args, env=env)

    # ---- STARTTLS and implicit TLS ----------------------------------------

    def test_starttls_required_with_plain_and_login(self):
        for mechanism in ("PLAIN", "LOGIN"):
            with self.subTest(mechanism=mechanism):
                shutil.rmtree(self.mail_dir(), ignore_errors=True)
                server = self.tls_server("starttls-required", "--auth", f"anna:{PASSWORD}",
                                         "--mechanism", mechanism)
                r = self.send(server, {"LAGESRAPPORT_SMTP_CA": PKI["ca"],
                                       "LAGESRAPPORT_SMTP_USER": "anna",
                                       "LAGESRAPPORT_SMTP_PASSWORD": PASSWORD})
                self.assertEqual(r.returncode, 0, r.stderr)
                stored = server.stored()
                self.assertEqual(sorted(e["rcpt_tos"] for e, _ in stored),
                                 sorted(self.actors[a]["epost"] for a in self.with_address))
                self.assertTrue(all(e["tls"] for e, _ in stored))
                self.assertEqual(self.logins(server), [f"{mechanism} ok"] * len(stored))
                self.assert_no_secret(r, PASSWORD)

    def test_starttls_without_the_ca_names_the_host_and_the_reason(self):
        server = self.tls_server("starttls-required", "--auth", f"anna:{PASSWORD}")
        r = self.send(server, {"LAGESRAPPORT_SMTP_USER": "anna",
                               "LAGESRAPPORT_SMTP_PASSWORD": PASSWORD})
        self.assert_stopped_after_the_first(r, server)
        self.assertIn(f"TLS-anslutningen till {server.url[7:]} avbröts: certifikatet är "
                      "utfärdat av en okänd certifikatutfärdare (CA)", r.stdout)
        self.assertIn("LAGESRAPPORT_SMTP_CA", r.stdout)
        self.assertEqual(self.logins(server), [])  # the password never left

    def test_starttls_with_a_wrong_password_stops_after_the_first_message(self):
        server = self.tls_server("starttls-required", "--auth", f"anna:{PASSWORD}")
        r = self.send(server, {"LAGESRAPPORT_SMTP_CA": PKI["ca"],
                               "LAGESRAPPORT_SMTP_USER": "anna",
                               "LAGESRAPPORT_SMTP_PASSWORD": "fel-lösenord"})
        self.assert_stopped_after_the_first(r, server)
        self.assertIn("nekade inloggningen (535)", r.stdout)
        self.assertEqual(self.logins(server), ["PLAIN refused"])  # tried once, not three times
        self.assert_no_secret(r, "fel-lösenord")

    def test_implicit_tls_with_the_ca_from_lagesrapport_yaml(self):
        shutil.copy(PKI["ca"], os.path.join(self.project, "lanets-ca.pem"))
        self.configure(["ca: lanets-ca.pem", "användare: anna"])
        server = self.tls_server("implicit", "--auth", f"anna:{PASSWORD}")
        self.assertTrue(server.url.startswith("smtps://"))
        r = self.send(server, {"LAGESRAPPORT_SMTP_PASSWORD": PASSWORD}, "--only", "aneby,eksjo")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(server.stored()), 2)
        self.assertTrue(all(e["tls"] for e, _ in server.stored()))
        self.assertEqual(self.logins(server), ["PLAIN ok"] * 2)

    def test_implicit_tls_without_the_ca_or_with_a_wrong_password(self):
        server = self.tls_server("implicit", "--auth", f"anna:{PASSWORD}")
        r = self.send(server, {"LAGESRAPPORT_SMTP_USER": "anna",
                               "LAGESRAPPORT_SMTP_PASSWORD": PASSWORD})
        self.assert_stopped_after_the_first(r, server)
        self.assertIn("okänd certifikatutfärdare", r.stdout)
        r = self.send(server, {"LAGESRAPPORT_SMTP_CA": PKI["ca"],
                               "LAGESRAPPORT_SMTP_USER": "anna",
                               "LAGESRAPPORT_SMTP_PASSWORD": "fel"})
        self.assert_stopped_after_the_first(r, server)
        self.assertIn("nekade inloggningen", r.stdout)
        self.assertEqual(self.logins(server), ["PLAIN refused"])

    def test_expired_and_misnamed_certificates_are_explained(self):
        for cert, reason in (("expired", "certifikatet har gått ut"),
                             ("other", "certifikatet är utfärdat för ett annat namn än servern")):
            with self.subTest(cert=cert):
                server = self.tls_server("starttls-required", cert=cert)
                r = self.send(server, {"LAGESRAPPORT_SMTP_CA": PKI["ca"]})
                self.assert_stopped_after_the_first(r, server)
                self.assertIn(f"TLS-anslutningen till {server.url[7:]} avbröts: {reason}",
                              r.stdout)

    def test_a_server_on_127_0_0_2_that_offers_starttls_gets_it(self):
        server = self.tls_server("starttls", "--host", "127.0.0.2")
        self.assertTrue(server.url.startswith("smtp://127.0.0.2:"))
        r = self.send(server, {"LAGESRAPPORT_SMTP_CA": PKI["ca"]}, "--only", "aneby")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([e["tls"] for e, _ in server.stored()], [True])

    def test_plain_loopback_without_starttls_still_delivers(self):
        server = self.server("--host", "127.0.0.2")
        r = self.send(server, {"LAGESRAPPORT_SMTP_CA": PKI["ca"]}, "--only", "aneby")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([e["tls"] for e, _ in server.stored()], [False])

    # ---- the CA file -----------------------------------------------------

    def test_a_bad_ca_file_is_refused_before_anything_is_sent(self):
        not_pem = os.path.join(self.tmp, "ca.cer")
        with open(not_pem, "wb") as f:
            f.write(b"0\x82\x01\x0a not a PEM file")
        missing = os.path.join(self.tmp, "saknas.pem")
        server = self.tls_server("starttls-required")
        for path, says in ((not_pem, "CA-filen innehåller inget certifikat i PEM-format"),
                           (missing, "kan inte läsa CA-filen")):
            with self.subTest(path=path):
                r = self.send(server, {"LAGESRAPPORT_SMTP_CA": path})
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(f"{path}: fel: {says}", r.stderr)
                self.assertNotIn("[1/", r.stdout)
        self.assertEqual(server.stored(), [])
        self.assertEqual(self.journal(), [])

    # ---- OAuth2 ------------------------------------------------------------

    def token_script(self, token):
        """./hamta-token.sh in the project: prints token, counts its runs."""
        runs = os.path.join(self.tmp, "runs")
        self.script("hamta-token.sh", f"echo run >> '{runs}'\nprintf '%s\\n' '{token}'\n")
        return runs

    def runs(self, path):
        with open(path, encoding="utf-8") as f:
            return len(f.readlines())

    def test_xoauth2_with_the_right_token_delivers_and_asks_once(self):
        runs = self.token_script(TOKEN)
        # Relative to the project, though the program runs elsewhere.
        self.configure(["tokenkommando: ./hamta-token.sh"])
        server = self.tls_server("starttls-required", "--xoauth2", f"{SENDER}:{TOKEN}")
        r = self.send(server, {"LAGESRAPPORT_SMTP_CA": PKI["ca"]})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(server.stored()), len(self.with_address))
        self.assertEqual(self.logins(server), ["XOAUTH2 ok"] * len(self.with_address))
        self.assertEqual(self.runs(runs), 1)
        self.assert_no_secret(r, TOKEN)

    def test_xoauth2_with_a_wrong_token_stops_after_the_first_message(self):
        self.token_script("utgangen-token")
        server = self.tls_server("starttls-required", "--xoauth2", f"{SENDER}:{TOKEN}")
        r = self.send(server, {"LAGESRAPPORT_SMTP_CA": PKI["ca"],
                               "LAGESRAPPORT_SMTP_TOKEN_COMMAND":
                               os.path.join(self.project, "hamta-token.sh")})
        self.assert_stopped_after_the_first(r, server)
        self.assertIn("nekade inloggningen (535); kontrollera att tokenkommandot", r.stdout)
        self.assertEqual(self.logins(server), ["XOAUTH2 refused"])
        self.assert_no_secret(r, "utgangen-token")

    def test_a_token_for_a_server_without_xoauth2_is_never_sent(self):
        self.token_script(TOKEN)
        server = self.tls_server("starttls-required", "--auth", f"anna:{PASSWORD}")
        r = self.send(server, {"LAGESRAPPORT_SMTP_CA": PKI["ca"],
                               "LAGESRAPPORT_SMTP_TOKEN_COMMAND":
                               os.path.join(self.project, "hamta-token.sh")})
        self.assert_stopped_after_the_first(r, server)
        self.assertIn("erbjuder inte inloggning med OAuth2 (AUTH XOAUTH2)", r.stdout)
        self.assertEqual(self.logins(server), [])  # nor as a password

    def test_a_token_command_that_fails_sends_nothing(self):
        server = self.tls_server("starttls-required", "--xoauth2", f"{SENDER}:{TOKEN}")
        self.script("fel.sh", "echo 'AADSTS7000215: Invalid client secret' >&2\nexit 3\n")
        self.script("tom.sh", "echo\n")
        for command, says in (
                ("./fel.sh", 'tokenkommandot "./fel.sh" misslyckades med slutkod 3'),
                ("./tom.sh", 'tokenkommandot "./tom.sh" skrev ingenting'),
                ("hamta-token-finns-inte --klient 'x y'",
                 'tokenkommandot "hamta-token-finns-inte" finns inte'),
                ("./fel.sh 'oavslutat", "tokenkommandot går inte att tolka: ett enkelt "
                                        "citattecken (') saknar sin avslutning")):
            with self.subTest(command=command):
                r = subprocess.run(
                    [mail_test.BIN, "mail", "2022", "--send", "--smtp", server.url],
                    cwd=self.project, capture_output=True, text=True, timeout=120,
                    env=self.environment({"LAGESRAPPORT_SMTP_CA": PKI["ca"],
                                          "LAGESRAPPORT_SMTP_TOKEN_COMMAND": command}))
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(f"lagesrapport: fel: {says}", r.stderr)
                self.assertEqual(r.stdout.count("[1/"), 0)
        self.assertEqual(self.logins(server), [])
        self.assertEqual(server.stored(), [])
        self.assertEqual(self.journal(), [])

    def test_the_token_is_not_on_the_programs_argv_or_environment(self):
        self.token_script(TOKEN)
        server = self.tls_server("starttls-required", "--xoauth2", f"{SENDER}:{TOKEN}",
                                 "--reply-delay", "1")
        env = self.environment({"LAGESRAPPORT_SMTP_CA": PKI["ca"],
                                "LAGESRAPPORT_SMTP_TOKEN_COMMAND": "./hamta-token.sh"})
        proc = subprocess.Popen([mail_test.BIN, "mail", "2022", "--send", "--smtp", server.url,
                                 "--only", "aneby"], cwd=self.project, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            # The 250 waits a second once the message is in: the program is
            # then logged in and holds the token.
            deadline = time.monotonic() + 60
            while not server.stored() and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertEqual(self.logins(server), ["XOAUTH2 ok"])
            for name in ("cmdline", "environ"):
                with open(f"/proc/{proc.pid}/{name}", "rb") as f:
                    self.assertNotIn(TOKEN.encode(), f.read(), name)
        finally:
            self.assertEqual(proc.wait(timeout=60), 0)

    # ---- a password from a command -----------------------------------------

    def test_password_from_a_command(self):
        secret_file = os.path.join(self.tmp, "smtp-losenord")
        with open(secret_file, "w", encoding="utf-8") as f:
            f.write(PASSWORD + "\n")
        self.configure(["användare: anna", f"lösenordskommando: cat '{secret_file}'"])
        server = self.tls_server("starttls-required", "--auth", f"anna:{PASSWORD}")
        r = self.send(server, {"LAGESRAPPORT_SMTP_CA": PKI["ca"]}, "--only", "aneby,eksjo")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(server.stored()), 2)
        self.assertEqual(self.logins(server), ["PLAIN ok"] * 2)
        self.assert_no_secret(r, PASSWORD)

    def test_a_token_and_a_password_together_are_refused(self):
        self.token_script(TOKEN)
        server = self.tls_server("starttls-required", "--auth", f"anna:{PASSWORD}")
        r = self.send(server, {"LAGESRAPPORT_SMTP_CA": PKI["ca"],
                               "LAGESRAPPORT_SMTP_USER": "anna",
                               "LAGESRAPPORT_SMTP_PASSWORD": PASSWORD,
                               "LAGESRAPPORT_SMTP_TOKEN_COMMAND": "./hamta-token.sh"})
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("både en token och ett lösenord", r.stderr)
        self.assertEqual(server.stored(), [])


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    mail_test.BIN = os.path.abspath(sys.argv.pop(1))
    mail_test.SRC = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=1)
