#!/usr/bin/python3
"""`lagesrapport mail` end to end: the .eml files read back with Python's
email package, reproducible to the byte, and --send against a real SMTP
server on loopback (tests/smtp_server.py): every message arrives exactly
once, as the bytes of its .eml, across limits, refusals, a dead server and
re-runs.

Usage: mail_test.py LAGESRAPPORT SOURCE_DIR
"""
import email
import fcntl
import email.policy
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest

import yaml

from smtp_send import Server

BIN = SRC = None  # set from argv
SENDER = ("Länsstyrelsen i Jönköpings län", "kvinnofrid@lansstyrelsen-jonkoping.example")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def parse(data):
    return email.message_from_bytes(data, policy=email.policy.default)


def body_of(message):
    """The text/plain body with the line ends a template has."""
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def free_port():
    """A loopback port nobody listens on (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lr-mail-")
        self.home = os.path.join(self.tmp, "home")  # no ~/.netrc of the tester's
        os.mkdir(self.home)
        self.project = os.path.join(self.tmp, "jonkoping")
        shutil.copytree(os.path.join(SRC, "data", "jonkoping"), self.project,
                        ignore=shutil.ignore_patterns("out"))
        self.actors = {a["id"]: a for a in load(os.path.join(self.project, "aktorer.yaml"))["aktörer"]}
        self.answered = sorted(n[:-5] for n in os.listdir(os.path.join(self.project, "2022", "yttranden")))
        self.servers = []

    def tearDown(self):
        for server in self.servers:
            server.stop()
        shutil.rmtree(self.tmp)

    def run_lr(self, *args, env=None):
        e = dict(os.environ, NO_COLOR="1", HOME=self.home, LAGESRAPPORT_SMTP_PAUSE="0")
        for name in ("LAGESRAPPORT_SMTP_USER", "LAGESRAPPORT_SMTP_PASSWORD"):
            e.pop(name, None)
        e.update(env or {})
        return subprocess.run([BIN, "-C", self.project] + list(args), env=e, capture_output=True,
                              text=True, timeout=300)

    def build(self):
        r = self.run_lr("build", "2022")
        self.assertEqual(r.returncode, 0, r.stderr)

    def server(self, *options):
        spool = os.path.join(self.tmp, f"spool{len(self.servers)}")
        os.mkdir(spool)
        server = Server(spool, *options)
        self.servers.append(server)
        return server

    def mail_dir(self, kind="mail", year="2022"):
        return os.path.join(self.project, "out", year, kind)

    def eml_files(self, kind="mail", year="2022"):
        d = self.mail_dir(kind, year)
        return {n[:-4]: read(os.path.join(d, n)) for n in sorted(os.listdir(d)) if n.endswith(".eml")}

    def journal(self, kind="mail", year="2022"):
        path = os.path.join(self.mail_dir(kind, year), "journal.tsv")
        if not os.path.exists(path):
            return []
        with open(path, encoding="utf-8") as f:
            return [line.split("\t") for line in f.read().splitlines()]

    def delivered(self):
        """Every message every server accepted, as (envelope, bytes)."""
        return [m for server in self.servers for m in server.stored()]

    def assert_each_once(self, files):
        got = sorted(data for _, data in self.delivered())
        self.assertEqual(len(got), len(files))
        self.assertEqual(got, sorted(files.values()))

    # ---- the messages ----------------------------------------------------

    def test_report_messages_read_back(self):
        self.build()
        r = self.run_lr("mail", "2022")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("11 meddelanden skrivna, inget skickades", r.stdout)
        files = self.eml_files()
        self.assertEqual(sorted(files), self.answered)
        received = [load(os.path.join(self.project, "2022", "yttranden", a + ".yaml")).get("inkom")
                    for a in self.answered]
        newest = max(d for d in received if d)
        out = os.path.join(self.project, "out", "2022")
        for actor, data in files.items():
            with self.subTest(actor=actor):
                data.decode("ascii")  # pure ASCII on the wire
                self.assertNotIn(b"\n", data.replace(b"\r\n", b""))
                self.assertTrue(all(len(line) <= 998 for line in data.split(b"\r\n")))
                m = parse(data)
                name = self.actors[actor]["namn"]
                self.assertEqual(m["Subject"], f"Regional lägesrapport 2022 – återkoppling till {name}")
                self.assertEqual(m["From"].addresses[0].display_name, SENDER[0])
                self.assertEqual(m["From"].addresses[0].addr_spec, SENDER[1])
                self.assertEqual([(a.display_name, a.addr_spec) for a in m["To"].addresses],
                                 [(name, e) for e in self.actors[actor]["epost"]])
                self.assertEqual(m["Message-ID"], f"<2022.rapport.{actor}@lansstyrelsen-jonkoping.example>")
                self.assertEqual(m["Date"].datetime.date(), newest)
                self.assertEqual(m["Date"].datetime.hour, 8)
                parts = [(p.get_filename(), p.get_content_type(), p.get_payload(decode=True))
                         for p in m.iter_attachments()]
                self.assertEqual(parts, [
                    (f"aterkoppling-2022-{actor}.html", "text/html",
                     read(os.path.join(out, "aterkoppling", actor + ".html"))),
                    ("lagesrapport-2022.html", "text/html", read(os.path.join(out, "lagesrapport-2022.html"))),
                    ("lagesrapport-2022.xlsx", XLSX, read(os.path.join(out, "lagesrapport-2022.xlsx"))),
                ])
                body = body_of(m)
                self.assertTrue(body.startswith("Hej!\n\nTack för ert yttrande för 2022"), body)
                self.assertIn(f"vår återkoppling till {name}.", body)
                self.assertIn(f"- aterkoppling-2022-{actor}.html: Länsstyrelsens återkoppling till er\n", body)
                self.assertTrue(body.endswith("Med vänliga hälsningar\nLänsstyrelsen i Jönköpings län\n"))

    def test_body_is_the_templates_text(self):
        self.build()
        os.mkdir(os.path.join(self.project, "mallar"))
        with open(os.path.join(self.project, "lagesrapport.yaml"), "a", encoding="utf-8") as f:
            f.write("mallar: mallar\n")
        with open(os.path.join(self.project, "mallar", "mail-rapport.txt.mustache"), "w",
                  encoding="utf-8") as f:
            f.write("{{! egen mall }}\nÅterkoppling {{ar}} för {{aktor.namn}}\n\n"
                    "Hej {{aktor.namn}} & <{{aktor.id}}>!\n{{#bilagor}}* {{fil}}\n{{/bilagor}}"
                    ".\nFrom here\n{{{lansstyrelse}}}\n")
        r = self.run_lr("mail", "2022", "--only", "eksjo")
        self.assertEqual(r.returncode, 0, r.stderr)
        m = parse(self.eml_files()["eksjo"])
        self.assertEqual(m["Subject"], "Återkoppling 2022 för Eksjö kommun")
        self.assertEqual(body_of(m),
                         "Hej Eksjö kommun & <eksjo>!\n* aterkoppling-2022-eksjo.html\n"
                         "* lagesrapport-2022.html\n* lagesrapport-2022.xlsx\n.\nFrom here\n"
                         "Länsstyrelsen i Jönköpings län\n")

    def test_same_bytes_on_every_run(self):
        self.build()
        self.assertEqual(self.run_lr("mail", "2022").returncode, 0)
        first = self.eml_files()
        r = self.run_lr("mail", "2022", env={"TZ": "Pacific/Kiritimati", "LANG": "C", "LC_ALL": "C"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.eml_files(), first)

    def test_missing_build_says_what_to_do(self):
        r = self.run_lr("mail", "2022")
        self.assertEqual(r.returncode, 2)
        self.assertIn('kör "lagesrapport build 2022" först', r.stderr)
        self.assertFalse(os.path.exists(self.mail_dir()))

    def test_selection_errors(self):
        self.build()
        for args, text in [(["--only", "anebi"], 'okänd aktör "anebi" — menade du "aneby"?'),
                           (["--only", "habo"], "habo har inte lämnat något yttrande för 2022"),
                           (["--limit", "1"], "gäller bara med --send"),
                           (["--send", "--smtp", "smtp://anna:hemligt@127.0.0.1:25"],
                            "får inte innehålla användarnamn eller lösenord"),
                           (["--send"], "ange SMTP-servern")]:
            with self.subTest(args=args):
                r = self.run_lr("mail", "2022", *args)
                self.assertEqual(r.returncode, 2)
                self.assertIn(text, r.stderr)
        self.assertFalse(os.path.exists(self.mail_dir()))

    def test_no_sender_is_a_clear_error(self):
        self.build()
        path = os.path.join(self.project, "lagesrapport.yaml")
        with open(path, encoding="utf-8") as f:
            lines = [l for l in f if not l.startswith("avsändare")]
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(lines)
        r = self.run_lr("mail", "2022")
        self.assertEqual(r.returncode, 2)
        self.assertIn("avsändare saknas", r.stderr)

    def test_header_injection_is_rejected_at_check(self):
        path = os.path.join(self.project, "aktorer.yaml")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for bad in ['namn: "Aneby kommun\\r\\nBcc: x@evil.example"',
                    'epost: ["kvinnofrid@aneby.example\\nBcc: y@evil.example"]',
                    'epost: ["kvinnofrid@aneby.example>, <y@evil.example"]']:
            with self.subTest(bad=bad):
                line = ('  - {id: "aneby", ' + bad +
                        (", typ: kommun, epost: [kvinnofrid@aneby.example]}" if "namn" in bad
                         else ", namn: Aneby kommun, typ: kommun}"))
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text.replace(
                        '  - {id: "aneby", namn: Aneby kommun, typ: kommun, epost: [kvinnofrid@aneby.example]}',
                        line))
                self.assertEqual(self.run_lr("check").returncode, 1)
                r = self.run_lr("mail", "2022")
                self.assertEqual(r.returncode, 1)
                self.assertIn("aktorer.yaml:", r.stderr)
                self.assertFalse(os.path.exists(self.mail_dir()))

    # ---- delivery ----------------------------------------------------------

    def test_full_send_delivers_each_message_once(self):
        self.build()
        server = self.server()
        r = self.run_lr("mail", "2022", "--send", "--smtp", server.url)
        self.assertEqual(r.returncode, 0, r.stderr)
        files = self.eml_files()
        self.assert_each_once(files)
        name = self.actors["aneby"]["namn"]
        self.assertIn(f"[1/11] {name} <kvinnofrid@aneby.example> … skickat\n", r.stdout)
        for envelope, data in server.stored():
            actor = parse(data)["Message-ID"].split(".")[2].split("@")[0]
            self.assertEqual(envelope["mail_from"], SENDER[1])
            self.assertEqual(envelope["rcpt_tos"], self.actors[actor]["epost"])
        self.assertEqual(sorted(row[0] for row in self.journal()), self.answered)

        review = self.run_lr("mail", "2022")
        self.assertEqual(review.returncode, 0, review.stderr)
        self.assertEqual(review.stdout.count(" (redan skickat)\n"), 11)
        self.assertEqual(self.eml_files(), files)

        again = self.run_lr("mail", "2022", "--send", "--smtp", server.url)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(again.stdout.count("… redan skickat\n"), 11)
        self.assert_each_once(files)

        forced = self.run_lr("mail", "2022", "--send", "--smtp", server.url, "--only", "aneby", "--force")
        self.assertEqual(forced.returncode, 0, forced.stderr)
        self.assertEqual(len(server.stored()), 12)
        self.assertEqual(server.stored()[-1][1], files["aneby"])

    def test_interrupted_send_resumes_without_doubles(self):
        self.build()
        first = self.server()
        r = self.run_lr("mail", "2022", "--send", "--smtp", first.url, "--limit", "3")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(first.stored()), 3)
        self.assertIn("8 meddelanden skickades inte på grund av --limit 3", r.stdout)
        self.assertEqual(len(self.journal()), 3)

        # A server that takes two more and then refuses for a while.
        busy = self.server("--fail-after", "2", "--fail-code", "451")
        r = self.run_lr("mail", "2022", "--send", "--smtp", busy.url)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(len(busy.stored()), 2)
        self.assertEqual(r.stdout.count("… redan skickat\n"), 3)
        self.assertEqual(r.stdout.count("misslyckades: SMTP-servern svarade 451"), 6)
        self.assertIn("(3 försök)", r.stdout)
        self.assertIn("6 meddelanden kunde inte skickas:", r.stderr)
        self.assertEqual(len(self.journal()), 5)

        # A refusal for good is not retried, and stops nothing else.
        refusing = self.server("--fail-after", "0", "--fail-code", "550")
        r = self.run_lr("mail", "2022", "--send", "--smtp", refusing.url, "--limit", "1")
        self.assertEqual(r.returncode, 1)
        self.assertIn("misslyckades: SMTP-servern svarade 550 (permanent fel)", r.stdout)
        self.assertNotIn("försök)", r.stdout)

        last = self.server()
        r = self.run_lr("mail", "2022", "--send", "--smtp", last.url)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(last.stored()), 6)
        self.assert_each_once(self.eml_files())
        self.assertEqual(sorted(row[0] for row in self.journal()), self.answered)

    def test_server_down_journals_nothing(self):
        self.build()
        r = self.run_lr("mail", "2022", "--send", "--smtp", f"smtp://127.0.0.1:{free_port()}")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout.count("misslyckades: kunde inte ansluta till SMTP-servern"), 11)
        self.assertIn("11 meddelanden kunde inte skickas:", r.stderr)
        self.assertEqual(self.journal(), [])
        self.assertEqual(len(self.eml_files()), 11)  # still there to review

    def test_one_sending_run_at_a_time(self):
        self.build()
        server = self.server()
        self.assertEqual(self.run_lr("mail", "2022").returncode, 0)
        with open(os.path.join(self.mail_dir(), ".journal.lock"), "w") as lock:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            r = self.run_lr("mail", "2022", "--send", "--smtp", server.url)
        self.assertEqual(r.returncode, 2)
        self.assertIn("en annan körning skickar redan", r.stderr)
        self.assertEqual(server.stored(), [])

    def test_login_comes_from_the_environment(self):
        self.build()
        server = self.server("--auth", "anna:ur-miljon")
        r = self.run_lr("mail", "2022", "--send", "--smtp", server.url, "--only", "aneby",
                        env={"LAGESRAPPORT_SMTP_USER": "anna", "LAGESRAPPORT_SMTP_PASSWORD": "ur-miljon"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(server.stored()), 1)
        self.assertNotIn("ur-miljon", r.stdout + r.stderr)

    # ---- forms -------------------------------------------------------------

    def test_forms_end_to_end(self):
        r = self.run_lr("mail", "2023", "--forms")
        self.assertEqual(r.returncode, 2)
        self.assertIn('skriv formulären med "lagesrapport new 2023" först', r.stderr)

        self.assertEqual(self.run_lr("new", "2023").returncode, 0)
        server = self.server()
        r = self.run_lr("mail", "2023", "--forms", "--send", "--smtp", server.url)
        self.assertEqual(r.returncode, 0, r.stderr)
        files = self.eml_files("mail-formular", "2023")
        self.assertEqual(sorted(files), sorted(self.actors))
        self.assert_each_once(files)
        self.assertEqual(len(self.journal("mail-formular", "2023")), 23)
        self.assertFalse(os.path.exists(self.mail_dir("mail", "2023")))
        for actor, data in files.items():
            with self.subTest(actor=actor):
                data.decode("ascii")
                m = parse(data)
                name = self.actors[actor]["namn"]
                self.assertEqual(m["Subject"], f"Yttrande 2023 – formulär till {name}")
                self.assertEqual(m["Message-ID"], f"<2023.formular.{actor}@lansstyrelsen-jonkoping.example>")
                self.assertEqual(m["Date"], "Fri, 01 Dec 2023 08:00:00 +0000")
                (part,) = m.iter_attachments()
                self.assertEqual(part.get_filename(), actor + ".yaml")
                self.assertEqual(part.get_payload(decode=True),
                                 read(os.path.join(self.project, "2023", "yttranden", actor + ".yaml")))
                self.assertIn(f"vad {name} har gjort under 2023", body_of(m))

    def test_actors_without_address_are_listed(self):
        project = os.path.join(self.tmp, "minimal")
        shutil.copytree(os.path.join(SRC, "tests", "fixtures", "minimal"), project)
        self.project = project
        self.assertEqual(self.run_lr("new", "2023").returncode, 0)
        r = self.run_lr("mail", "2023", "--forms")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("      Länsstyrelsen i Provlän … ingen e-postadress\n", r.stdout)
        self.assertIn("3 meddelanden skrivna", r.stdout)
        self.assertEqual(sorted(self.eml_files("mail-formular", "2023")), ["aneby", "eksjo", "polisen"])


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    try:
        import aiosmtpd  # noqa: F401  (the server needs it)
    except ImportError:
        print("python3-aiosmtpd is not installed: skipped")
        sys.exit(77)
    BIN, SRC = os.path.abspath(sys.argv.pop(1)), os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=1)
