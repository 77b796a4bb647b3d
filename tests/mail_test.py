#!/usr/bin/python3
"""`lagesrapport mail` end to end: the .eml files read back with Python's
email package, reproducible to the byte, and --send against a real SMTP
server on loopback (tests/smtp_server.py): every message arrives exactly
once, as the bytes of its .eml, across limits, refusals, a dead server and
re-runs (MailTest). FaultTest adds the faults after which nobody knows
whether a message arrived: a 250 that comes too late, a connection dropped
after the data, a QUIT never answered and the program killed at random
moments. No recipient ever gets two copies, and every recipient either
gets one or is listed as uncertain until the officer decides.

Usage: mail_test.py LAGESRAPPORT SOURCE_DIR [MailTest|FaultTest ...]
"""
import datetime
import email
import email.policy
import fcntl
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import needs

yaml = needs.module("yaml", "python3-yaml")

from smtp_send import Server

BIN = SRC = None  # set from argv
SENDER = ("Länsstyrelsen i Jönköpings län", "kvinnofrid@lansstyrelsen-jonkoping.example")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The moment the tests write their messages: 2023-12-04 09:15:00 UTC.
EPOCH = 1701681300
DATE = "Mon, 04 Dec 2023 09:15:00 +0000"


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


class Project(unittest.TestCase):
    """A copy of data/jonkoping, servers for it, and what they received."""

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

    def environment(self, env):
        e = dict(os.environ, NO_COLOR="1", HOME=self.home, LAGESRAPPORT_SMTP_PAUSE="0",
                 SOURCE_DATE_EPOCH=str(EPOCH))
        for name in ("LAGESRAPPORT_SMTP_USER", "LAGESRAPPORT_SMTP_PASSWORD",
                     "LAGESRAPPORT_SMTP_TIMEOUT"):
            e.pop(name, None)
        e.update(env or {})
        return e

    def run_lr(self, *args, env=None):
        return subprocess.run([BIN, "-C", self.project] + list(args), env=self.environment(env),
                              capture_output=True, text=True, timeout=300)

    def build(self):
        r = self.run_lr("build", "2022")
        self.assertEqual(r.returncode, 0, r.stderr)

    def server(self, *options):
        spool = os.path.join(self.tmp, f"spool{len(self.servers)}")
        os.mkdir(spool)
        server = Server(spool, *options)
        self.servers.append(server)
        return server

    def mail_dir(self, kind="rapport", year="2022"):
        return os.path.join(self.project, "utskick", year, kind)

    def eml_files(self, kind="rapport", year="2022"):
        d = self.mail_dir(kind, year)
        return {n[:-4]: read(os.path.join(d, n)) for n in sorted(os.listdir(d)) if n.endswith(".eml")}

    def journal(self, kind="rapport", year="2022"):
        path = os.path.join(self.mail_dir(kind, year), "journal.tsv")
        if not os.path.exists(path):
            return []
        with open(path, encoding="utf-8") as f:
            return [line.split("\t") for line in f.read().splitlines()]

    def journalled(self, state, kind="rapport", year="2022"):
        """The actors with a line in that state, sorted, once per line."""
        return sorted(row[0] for row in self.journal(kind, year) if row[3] == state)

    def delivered(self):
        """Every message every server accepted, as (envelope, bytes)."""
        return [m for server in self.servers for m in server.stored()]

    def assert_each_once(self, files):
        got = sorted(data for _, data in self.delivered())
        self.assertEqual(len(got), len(files))
        self.assertEqual(got, sorted(files.values()))


class MailTest(Project):
    # ---- the messages ----------------------------------------------------

    def test_report_messages_read_back(self):
        self.build()
        r = self.run_lr("mail", "2022")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("11 meddelanden skrivna, inget skickades", r.stdout)
        files = self.eml_files()
        self.assertEqual(sorted(files), self.answered)
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
                self.assertEqual(m["Date"], DATE)
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
        r = self.run_lr("mail", "2022", "--only", "gislaved")
        self.assertEqual(r.returncode, 0, r.stderr)
        m = parse(self.eml_files()["gislaved"])
        self.assertEqual(m["Subject"], "Återkoppling 2022 för Gislaveds kommun")
        self.assertEqual(body_of(m),
                         "Hej Gislaveds kommun & <gislaved>!\n* aterkoppling-2022-gislaved.html\n"
                         "* lagesrapport-2022.html\n* lagesrapport-2022.xlsx\n.\nFrom here\n"
                         "Länsstyrelsen i Jönköpings län\n")

    def test_same_bytes_on_every_run(self):
        self.build()
        self.assertEqual(self.run_lr("mail", "2022").returncode, 0)
        first = self.eml_files()
        r = self.run_lr("mail", "2022", env={"TZ": "Pacific/Kiritimati", "LANG": "C", "LC_ALL": "C"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.eml_files(), first)

    def test_without_libcurl_nothing_is_sent(self):
        """libcurl is opened only to send: every other command runs without
        it, and a send without it says why and leaves everything as it was."""
        self.build()
        broken = os.path.join(self.tmp, "lib")
        os.mkdir(broken)
        with open(os.path.join(broken, "libcurl.so.4"), "w", encoding="utf-8") as f:
            f.write("inget bibliotek\n")
        env = {"LD_LIBRARY_PATH": broken}
        for args in (("check",), ("build", "2022"), ("mail", "2022")):
            r = self.run_lr(*args, env=env)
            self.assertEqual(r.returncode, 0, (args, r.stderr))
        files = self.eml_files()
        server = self.server()
        r = self.run_lr("mail", "2022", "--send", "--smtp", server.url, env=env)
        self.assertEqual(r.returncode, 2, r.stderr)
        errors = [line for line in r.stderr.splitlines() if "fel:" in line]
        self.assertEqual(len(errors), 1, r.stderr)
        self.assertIn("e-post kan inte skickas: libcurl gick inte att läsa in", errors[0])
        self.assertIn("installera paketet libcurl4", r.stderr)
        self.assertNotIn("skickat", r.stdout)
        self.assertEqual(server.stored(), [])
        self.assertEqual(self.journal(), [])
        self.assertEqual(self.eml_files(), files)

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
                           (["--retry-uncertain"], "gäller bara med --send"),
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
        # Each message: "skickas" before its data went out, then "levererat".
        rows = self.journal()
        self.assertEqual(len(rows), 22)
        for sending, delivered in zip(rows[::2], rows[1::2]):
            self.assertEqual((sending[0], sending[1], sending[3]),
                             (delivered[0], delivered[1], "skickas"))
            self.assertEqual(delivered[3], "levererat")
        self.assertEqual(self.journalled("levererat"), self.answered)

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
        self.assertEqual(len(self.journalled("levererat")), 3)

        # A server that takes two more and then refuses for a while, before
        # the message: that is tried again.
        busy = self.server("--fail-after", "2", "--fail-code", "451", "--fail-at", "mail")
        r = self.run_lr("mail", "2022", "--send", "--smtp", busy.url)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(len(busy.stored()), 2)
        self.assertEqual(r.stdout.count("… redan skickat\n"), 3)
        self.assertEqual(r.stdout.count("misslyckades: SMTP-servern svarade 451"), 6)
        self.assertEqual(r.stdout.count("(3 försök)"), 6)
        self.assertIn("6 meddelanden kunde inte skickas:", r.stderr)
        self.assertEqual(len(self.journalled("levererat")), 5)
        self.assertEqual(len(self.journalled("skickas")), 5)  # the refused never got that far

        # Refused once the message is in, temporarily or for good: not
        # tried again in the run (the server had the data), journalled as
        # failed, and stopping nothing else.
        for code in ("451", "550"):
            refusing = self.server("--fail-after", "0", "--fail-code", code)
            r = self.run_lr("mail", "2022", "--send", "--smtp", refusing.url, "--limit", "1")
            self.assertEqual(r.returncode, 1)
            self.assertIn(f"misslyckades: SMTP-servern svarade {code} (", r.stdout)
            self.assertNotIn("försök)", r.stdout)
            self.assertNotIn("osäker", r.stdout + r.stderr)
            self.assertEqual(self.journal()[-1][3], "misslyckat")

        last = self.server()
        r = self.run_lr("mail", "2022", "--send", "--smtp", last.url)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(last.stored()), 6)
        self.assert_each_once(self.eml_files())
        self.assertEqual(self.journalled("levererat"), self.answered)

    def test_server_down_stops_after_one_attempt(self):
        self.build()
        port = free_port()
        start = time.monotonic()
        r = self.run_lr("mail", "2022", "--send", "--smtp", f"smtp://127.0.0.1:{port}",
                        env={"LAGESRAPPORT_SMTP_PAUSE": "5"})
        # One try: no pause for a retry, no second message.
        self.assertLess(time.monotonic() - start, 5)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout.count("misslyckades: kunde inte ansluta till SMTP-servern"), 1)
        self.assertNotIn("[2/11]", r.stdout)
        self.assertNotIn("försök)", r.stdout)
        self.assertIn("10 meddelanden skickades inte, eftersom servern inte gick att nå\n", r.stdout)
        errors = [line for line in r.stderr.splitlines() if ": fel: " in line]
        self.assertEqual(len(errors), 1, r.stderr)
        self.assertIn(f"SMTP-servern smtp://127.0.0.1:{port} gick inte att nå, så inget mer skickas",
                      errors[0])
        self.assertNotIn("kunde inte skickas:", r.stderr)
        self.assertEqual(self.journal(), [])
        self.assertEqual(len(self.eml_files()), 11)  # still there to review

    def test_unknown_host_stops_after_one_attempt(self):
        self.build()
        r = self.run_lr("mail", "2022", "--send", "--smtp", "smtp://smtp.finns-inte.invalid:25",
                        env={"LAGESRAPPORT_SMTP_TIMEOUT": "20"})
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout.count("misslyckades: SMTP-serverns namn kunde inte slås upp"), 1)
        self.assertIn("gick inte att nå, så inget mer skickas", r.stderr)
        self.assertEqual(self.journal(), [])

    def test_a_refused_recipient_does_not_stop_the_others(self):
        self.build()
        server = self.server("--reject-rcpt", "kvinnofrid@mullsjo.example")
        r = self.run_lr("mail", "2022", "--send", "--smtp", server.url, "--only", "aneby,gislaved,mullsjo")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stdout.count("… skickat\n"), 2)
        self.assertEqual(r.stdout.count("misslyckades: SMTP-servern svarade 550"), 1)
        self.assertIn("1 meddelande kunde inte skickas:", r.stderr)
        self.assertNotIn("gick inte att nå", r.stderr)

    def test_one_sending_run_at_a_time(self):
        self.build()
        server = self.server()
        self.assertEqual(self.run_lr("mail", "2022").returncode, 0)
        folder = os.open(self.mail_dir(), os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
            r = self.run_lr("mail", "2022", "--send", "--smtp", server.url)
        finally:
            os.close(folder)
        self.assertEqual(r.returncode, 2)
        self.assertIn("fel: en annan körning ", r.stderr)
        self.assertEqual(server.stored(), [])

    def test_no_lock_file_survives_a_run(self):
        """Finished, or killed while it holds the folder: the mail folder
        holds the messages and the journal, nothing else."""
        self.build()
        slow = self.server("--reply-delay", "0.3")
        p = subprocess.Popen([BIN, "-C", self.project, "mail", "2022", "--send", "--smtp", slow.url],
                             env=self.environment(None), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not self.journal() and time.monotonic() < deadline:
            time.sleep(0.01)
        p.send_signal(signal.SIGKILL)
        p.wait()
        expected = sorted([a + ".eml" for a in self.answered] + ["journal.tsv"])
        visible = lambda: sorted(n for n in os.listdir(self.mail_dir())
                                 if n != ".lagesrapport-manifest")
        self.assertEqual(visible(), expected)
        server = self.server()
        r = self.run_lr("mail", "2022", "--send", "--smtp", server.url)
        self.assertIn(r.returncode, (0, 1), r.stderr)  # 1: the killed one is uncertain
        self.assertEqual(visible(), expected)

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
        files = self.eml_files("formular", "2023")
        self.assertEqual(sorted(files), sorted(self.actors))
        self.assert_each_once(files)
        self.assertEqual(self.journalled("levererat", "formular", "2023"), sorted(self.actors))
        self.assertFalse(os.path.exists(self.mail_dir("rapport", "2023")))
        for actor, data in files.items():
            with self.subTest(actor=actor):
                data.decode("ascii")
                m = parse(data)
                name = self.actors[actor]["namn"]
                self.assertEqual(m["Subject"], f"Yttrande 2023 – formulär till {name}")
                self.assertEqual(m["Message-ID"], f"<2023.formular.{actor}@lansstyrelsen-jonkoping.example>")
                self.assertEqual(m["Date"], DATE)
                page, part = m.iter_attachments()
                self.assertEqual(page.get_filename(), f"yttrande-2023-{actor}.html")
                self.assertEqual(page.get_content_type(), "text/html")
                self.assertEqual(page.get_payload(decode=True),
                                 read(os.path.join(self.project, "2023", "formular", actor + ".html")))
                self.assertEqual(part.get_filename(), actor + ".yaml")
                self.assertEqual(part.get_payload(decode=True),
                                 read(os.path.join(self.project, "2023", "yttranden", actor + ".yaml")))
                body = body_of(m)
                self.assertIn(f"vad {name} har gjort under 2023", body)
                self.assertIn(f"1. Spara bilagan yttrande-2023-{actor}.html på datorn och öppna den.", body)
                self.assertIn(f"4. Svara på det här meddelandet och bifoga filen {actor}.yaml.\n", body)
                self.assertNotIn("senast", body)

    def test_forms_need_the_pages(self):
        self.assertEqual(self.run_lr("new", "2023").returncode, 0)
        shutil.rmtree(os.path.join(self.project, "2023", "formular"))
        r = self.run_lr("mail", "2023", "--forms", "--only", "aneby")
        self.assertEqual(r.returncode, 2)
        self.assertIn("fel: formuläret i HTML till Aneby kommun saknas", r.stderr)
        # `new` again makes the pages and leaves the YAML forms alone.
        r = self.run_lr("new", "2023")
        self.assertIn("hoppade över", r.stdout)
        self.assertIn("formulär i HTML", r.stdout)
        self.assertEqual(self.run_lr("mail", "2023", "--forms", "--only", "aneby").returncode, 0)

    def test_actors_without_address_are_listed(self):
        project = os.path.join(self.tmp, "minimal")
        shutil.copytree(os.path.join(SRC, "tests", "fixtures", "minimal"), project)
        self.project = project
        self.assertEqual(self.run_lr("new", "2023").returncode, 0)
        r = self.run_lr("mail", "2023", "--forms")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("      Länsstyrelsen i Provlän … ingen e-postadress\n", r.stdout)
        self.assertIn("3 meddelanden skrivna", r.stdout)
        self.assertEqual(sorted(self.eml_files("formular", "2023")), ["aneby", "eksjo", "polisen"])


UNCERTAIN_LINE = re.compile(r"^  .* <[^>]*>: (.*/([^/]+)\.eml)$", re.M)


class FaultTest(Project):
    """The faults that leave the program unsure whether a message arrived."""

    def message_ids(self):
        """How many copies of each Message-ID the servers received."""
        counts = {}
        for _, data in self.delivered():
            mid = parse(data)["Message-ID"]
            counts[mid] = counts.get(mid, 0) + 1
        return counts

    def copies(self, files):
        """Copies received per actor of the given .eml files."""
        counts = self.message_ids()
        return {actor: counts.get(parse(data)["Message-ID"], 0) for actor, data in files.items()}

    def listed_uncertain(self, r, kind="rapport", year="2022"):
        """The actors a run listed as uncertain, checked against their files."""
        found = UNCERTAIN_LINE.findall(r.stderr)
        for path, actor in found:
            self.assertEqual(path, os.path.join(self.mail_dir(kind, year), actor + ".eml"))
        return sorted(actor for _, actor in found)

    def mark_delivered(self, actors, kind="rapport", year="2022"):
        """What the officer does on hearing that the messages arrived: as
        the program says, "skickas" becomes "levererat" on the last line."""
        path = os.path.join(self.mail_dir(kind, year), "journal.tsv")
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines(keepends=True)
        for actor in actors:
            last = max(i for i, line in enumerate(lines) if line.startswith(actor + "\t"))
            self.assertTrue(lines[last].endswith("\tskickas\n"), lines[last])
            lines[last] = lines[last].replace("\tskickas\n", "\tlevererat\n")
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(lines)

    def assert_told_what_to_do(self, r, actors):
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("så det är osäkert om", r.stderr)
        self.assertIn(f"kör samma kommando med --retry-uncertain --only {','.join(actors)}\n",
                      r.stderr)
        self.assertIn('ändra "skickas" till "levererat" på meddelandets sista rad i '
                      + os.path.join(self.mail_dir(), "journal.tsv"), r.stderr)

    def test_a_250_later_than_the_timeout_is_neither_retried_nor_resent(self):
        self.build()
        late = self.server("--reply-delay", "6")
        start = time.monotonic()
        r = self.run_lr("mail", "2022", "--send", "--smtp", late.url, "--only", "aneby,gislaved",
                        env={"LAGESRAPPORT_SMTP_TIMEOUT": "1"})
        # The timeout and at most 2 s for QUIT each, not the 6 s delays.
        self.assertLess(time.monotonic() - start, 2 * (1 + 2) + 3)
        self.assertEqual(r.stdout.count("… osäkert om det kom fram: SMTP-servern svarade inte i tid "
                                        "efter att hela meddelandet hade skickats"), 2, r.stdout)
        self.assertNotIn("försök", r.stdout)
        self.assertIn(": 0 meddelanden skickades, 2 är osäkra\n", r.stdout)
        self.assertEqual(self.listed_uncertain(r), ["aneby", "gislaved"])
        self.assert_told_what_to_do(r, ["aneby", "gislaved"])
        self.assertEqual(self.copies(self.eml_files()), {"aneby": 1, "gislaved": 1})
        self.assertEqual(self.journalled("skickas"), ["aneby", "gislaved"])
        self.assertEqual(self.journalled("levererat"), [])

        # Next runs list them and send everything else, never them.
        review = self.run_lr("mail", "2022")
        self.assertEqual(review.returncode, 0, review.stderr)
        self.assertEqual(review.stdout.count(" (osäkert om det kom fram)\n"), 2)
        self.assertIn("journalen visar att 2 av dem kanske har kommit fram; de skickas bara med "
                      "--retry-uncertain", review.stdout)
        server = self.server()
        r = self.run_lr("mail", "2022", "--send", "--smtp", server.url)
        self.assertEqual(r.stdout.count("… osäkert om det kom fram, skickas inte igen\n"), 2)
        self.assertEqual(r.stdout.count("… skickat\n"), 9)
        self.assertEqual(self.listed_uncertain(r), ["aneby", "gislaved"])
        self.assert_told_what_to_do(r, ["aneby", "gislaved"])
        self.assertEqual(len(server.stored()), 9)

        # The officer hears that both arrived.
        self.mark_delivered(["aneby", "gislaved"])
        r = self.run_lr("mail", "2022", "--send", "--smtp", server.url)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.count("… redan skickat\n"), 11)
        self.assert_each_once(self.eml_files())

    def test_a_connection_dropped_after_the_data_needs_the_officers_word(self):
        self.build()
        dropping = self.server("--drop-after-data", "lost")
        r = self.run_lr("mail", "2022", "--send", "--smtp", dropping.url, "--only", "aneby")
        self.assertIn("… osäkert om det kom fram: anslutningen till SMTP-servern bröts efter att "
                      "hela meddelandet hade skickats", r.stdout)
        self.assertEqual(self.listed_uncertain(r), ["aneby"])
        self.assert_told_what_to_do(r, ["aneby"])
        self.assertIn("1 meddelande skickades utan att servern bekräftade det, så det är osäkert "
                      "om det kom fram:", r.stderr)

        # --force with --only for someone else does not touch it; the officer
        # hears that it never arrived and sends it again.
        server = self.server()
        r = self.run_lr("mail", "2022", "--send", "--smtp", server.url, "--only", "aneby")
        self.assert_told_what_to_do(r, ["aneby"])
        self.assertEqual(server.stored(), [])
        r = self.run_lr("mail", "2022", "--send", "--smtp", server.url, "--only", "aneby",
                        "--retry-uncertain")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("… skickat\n", r.stdout)
        self.assertEqual([data for _, data in server.stored()], [self.eml_files()["aneby"]])
        self.assertEqual([row[3] for row in self.journal()], ["skickas", "skickas", "levererat"])

    def test_a_server_that_never_answers_quit_holds_nothing_up(self):
        self.build()
        silent = self.server("--silent-quit")
        start = time.monotonic()
        r = self.run_lr("mail", "2022", "--send", "--smtp", silent.url, "--only", "aneby,gislaved")
        elapsed = time.monotonic() - start
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.count("… skickat\n"), 2)
        self.assertEqual(self.journalled("levererat"), ["aneby", "gislaved"])
        self.assertGreaterEqual(elapsed, 2 * 2)
        self.assertLess(elapsed, 2 * 2 + 4)

    def test_killed_at_random_moments(self):
        """23 form messages, each held for its 250 a little, and the program
        killed 15 times at moments from a fixed seed, then run normally."""
        self.assertEqual(self.run_lr("new", "2023").returncode, 0)
        slow = self.server("--reply-delay", "0.1")
        command = [BIN, "-C", self.project, "mail", "2023", "--forms", "--send", "--smtp", slow.url]
        spool = self.servers[-1].directory
        # The first kill lands for certain while the server holds a 250.
        moments = ["stored"] + [random.Random(20230412 + i).uniform(0.0, 0.8) for i in range(14)]
        for moment in moments:
            p = subprocess.Popen(command, env=self.environment(None), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            if moment == "stored":
                before = len(os.listdir(spool))
                deadline = time.monotonic() + 10
                while len(os.listdir(spool)) == before and time.monotonic() < deadline:
                    time.sleep(0.005)
            else:
                time.sleep(moment)
            p.send_signal(signal.SIGKILL)
            p.wait()
            self.assertTrue(all(n <= 1 for n in self.message_ids().values()), self.message_ids())

        r = self.run_lr("mail", "2023", "--forms", "--send", "--smtp", slow.url)
        files = self.eml_files("formular", "2023")
        copies = self.copies(files)
        uncertain = self.listed_uncertain(r, "formular", "2023")
        self.assertTrue(uncertain, "the first kill left one message uncertain")
        self.assertEqual(r.returncode, 1, r.stderr)
        for actor in sorted(self.actors):
            with self.subTest(actor=actor):
                # Never two copies; none missing without being listed.
                self.assertLessEqual(copies[actor], 1)
                self.assertTrue(copies[actor] == 1 or actor in uncertain)

        # The officer asks; arrived ones are marked, the rest sent.
        arrived = [a for a in uncertain if copies[a]]
        self.mark_delivered(arrived, "formular", "2023")
        missing = [a for a in uncertain if not copies[a]]
        if missing:
            r = self.run_lr("mail", "2023", "--forms", "--send", "--smtp", slow.url,
                            "--retry-uncertain", "--only", ",".join(missing))
            self.assertEqual(r.returncode, 0, r.stderr)
        r = self.run_lr("mail", "2023", "--forms", "--send", "--smtp", slow.url)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.count("… redan skickat\n"), 23)
        self.assert_each_once(files)

    def test_a_torn_journal_line_is_passed_over_once_and_cut_off(self):
        self.build()
        server = self.server()
        r = self.run_lr("mail", "2022", "--send", "--smtp", server.url, "--only", "aneby")
        self.assertEqual(r.returncode, 0, r.stderr)
        path = os.path.join(self.mail_dir(), "journal.tsv")
        with open(path, encoding="utf-8") as f:
            whole = f.read()
        with open(path, "a", encoding="utf-8") as f:
            f.write("gislaved\t2022.rapport.gislaved@lansstyrelsen-jonkoping.exa")
        review = self.run_lr("mail", "2022")
        self.assertEqual(review.returncode, 0, review.stderr)
        self.assertIn(path + ":3:1: varning: sista raden är ofullständig och hoppas över",
                      review.stderr)
        r = self.run_lr("mail", "2022", "--send", "--smtp", server.url, "--only", "gislaved")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr.count("sista raden är ofullständig"), 1)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertTrue(text.startswith(whole))
        self.assertEqual([row[0] for row in self.journal()[2:]], ["gislaved", "gislaved"])
        self.assert_each_once({a: self.eml_files()[a] for a in ("aneby", "gislaved")})

    def test_a_journal_from_before_states_still_counts(self):
        self.build()
        self.assertEqual(self.run_lr("mail", "2022").returncode, 0)
        with open(os.path.join(self.mail_dir(), "journal.tsv"), "w", encoding="utf-8") as f:
            f.write("aneby\t2022.rapport.aneby@lansstyrelsen-jonkoping.example\t"
                    "2023-04-12T09:30:00Z\n")
        server = self.server()
        r = self.run_lr("mail", "2022", "--send", "--smtp", server.url, "--only", "aneby,gislaved")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("… redan skickat\n", r.stdout)
        self.assertEqual([data for _, data in server.stored()], [self.eml_files()["gislaved"]])

    def run_with_file_limit(self, limit, *args):
        """run_lr with files that cannot grow past limit bytes: writes there
        fail with EFBIG, the way a full disk fails them."""
        def limit_files():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        return subprocess.run([BIN, "-C", self.project] + list(args), env=self.environment(None),
                              capture_output=True, text=True, timeout=60,
                              preexec_fn=limit_files, restore_signals=False)

    def test_a_journal_that_cannot_be_written_stops_the_run(self):
        self.assertEqual(self.run_lr("new", "2023").returncode, 0)
        self.assertEqual(self.run_lr("mail", "2023", "--forms").returncode, 0)
        path = os.path.join(self.mail_dir("formular", "2023"), "journal.tsv")
        # Lines of another year's messages, enough to outgrow every .eml.
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(f"aktor{i:04d}\t2019.formular.aktor{i:04d}@lansstyrelsen.example\t"
                         "2019-12-01T08:00:00Z\tlevererat\n" for i in range(3000))
        size = os.path.getsize(path)
        self.assertGreater(size, max(len(d) for d in self.eml_files("formular", "2023").values()))
        server = self.server()

        # "skickas" cannot be written: the first message never leaves.
        r = self.run_with_file_limit(size, "mail", "2023", "--forms", "--send", "--smtp", server.url)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("[1/23] Aneby kommun <kvinnofrid@aneby.example> … misslyckades: meddelandet "
                      "skickades inte, eftersom det inte kunde föras in i journalen\n", r.stdout)
        self.assertNotIn("[2/23]", r.stdout)
        self.assertIn("kunde inte skriva till leveransjournalen", r.stderr)
        self.assertIn("meddelandet till aneby skickades inte, eftersom journalen inte kunde skrivas; "
                      "inget mer skickas", r.stderr)
        self.assertEqual(server.stored(), [])
        self.assertEqual(os.path.getsize(path), size)

        # "levererat" cannot be written: delivered, so uncertain, never resent.
        sending = len("aneby\t2023.formular.aneby@lansstyrelsen-jonkoping.example\t"
                      "2023-12-01T08:00:00Z\tskickas\n")
        r = self.run_with_file_limit(size + sending, "mail", "2023", "--forms", "--send",
                                     "--smtp", server.url)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("meddelandet till aneby levererades men kunde inte föras in i journalen; "
                      "inget mer skickas", r.stderr)
        self.assertNotIn("[2/23]", r.stdout)
        self.assertEqual(len(server.stored()), 1)
        self.assertEqual(self.journal("formular", "2023")[-1][::3], ["aneby", "skickas"])
        r = self.run_lr("mail", "2023", "--forms", "--send", "--smtp", server.url)
        self.assertEqual(self.listed_uncertain(r, "formular", "2023"), ["aneby"])
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stdout.count("… skickat\n"), 22)
        self.assert_each_once(self.eml_files("formular", "2023"))

    def test_a_journal_that_cannot_be_read_stops_everything(self):
        self.build()
        self.assertEqual(self.run_lr("mail", "2022").returncode, 0)
        os.mkdir(os.path.join(self.mail_dir(), "journal.tsv"))
        server = self.server()
        for args in ([], ["--send", "--smtp", server.url]):
            with self.subTest(args=args):
                r = self.run_lr("mail", "2022", *args)
                self.assertEqual(r.returncode, 2)
                self.assertIn(os.path.join(self.mail_dir(), "journal.tsv")
                              + ": fel: kan inte läsa leveransjournalen", r.stderr)
        self.assertEqual(server.stored(), [])

    def test_bad_timeout_is_a_usage_error(self):
        self.build()
        for value in ("0", "abc", "1000"):
            with self.subTest(value=value):
                r = self.run_lr("mail", "2022", "--send", "--smtp", "smtp://127.0.0.1:1",
                                env={"LAGESRAPPORT_SMTP_TIMEOUT": value})
                self.assertEqual(r.returncode, 2)
                self.assertIn("LAGESRAPPORT_SMTP_TIMEOUT ska vara ett antal sekunder", r.stderr)
        self.assertEqual(self.journal(), [])


class RemindTest(Project):
    """The winter round: forms out, `status`, and reminders to those who
    have not answered, against the real server."""

    def send_forms(self, *only):
        self.assertEqual(self.run_lr("new", "2023").returncode, 0)
        self.forms_server = self.server()
        args = ["--only", ",".join(only)] if only else []
        r = self.run_lr("mail", "2023", "--forms", "--send", "--smtp", self.forms_server.url, *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return {parse(data)["Message-ID"]: data for _, data in self.forms_server.stored()}

    def answer(self, actor, day="2023-12-10"):
        """What the officer does when a form comes back: fills in inkom."""
        path = os.path.join(self.project, "2023", "yttranden", actor + ".yaml")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("\ninkom:\n", text)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace("\ninkom:\n", f"\ninkom: {day}\n"))

    def status(self):
        r = self.run_lr("status", "2023", "--format", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def reminded(self, server):
        """{actor: message} of the reminders a server took."""
        out = {}
        for envelope, data in server.stored():
            m = parse(data)
            actor = m["Message-ID"].split(".")[2].split("@")[0]
            self.assertNotIn(actor, out, "two reminders of one round to " + actor)
            out[actor] = m
        return out

    def test_status_shows_all_three_states(self):
        self.send_forms("aneby", "eksjo", "gnosjo")
        self.answer("aneby", "2023-12-11")
        r = self.run_lr("status", "2023")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), len(self.actors) + 1)
        self.assertRegex(lines[0], r"^Aneby kommun +svarat, inkom 2023-12-11 +kvinnofrid@aneby.example$")
        self.assertRegex(lines[1], r"^Eksjö kommun +formulär skickat, inte besvarat +kvinnofrid@eksjo.example$")
        self.assertRegex(lines[3], r"^Gnosjö kommun +formulär skickat, inte besvarat ")
        self.assertRegex(lines[2], r"^Gislaveds kommun +inget formulär skickat, inget svar +kvinnofrid@")
        self.assertEqual(lines[-1], f"2023: {len(self.actors)} aktörer; 1 har svarat, 2 har fått "
                         f"formuläret men inte svarat, {len(self.actors) - 3} har varken fått "
                         "formuläret eller svarat; 0 påminnelser skickade")
        status = self.status()
        states = {a["id"]: a["state"] for a in status["actors"]}
        self.assertEqual(states["aneby"], "answered")
        self.assertEqual([a for a, s in states.items() if s == "awaiting"], ["eksjo", "gnosjo"])
        self.assertEqual(sum(s == "none" for s in states.values()), len(self.actors) - 3)
        self.assertEqual(status["actors"][0]["received"], "2023-12-11")
        self.assertEqual(status["actors"][0]["addresses"], ["kvinnofrid@aneby.example"])
        self.assertEqual(status["counts"], {"answered": 1, "awaiting": 2,
                                            "none": len(self.actors) - 3, "reminders": 0})

        server = self.server()
        r = self.run_lr("mail", "2023", "--remind", "--send", "--smtp", server.url)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(self.reminded(server)), ["eksjo", "gnosjo"])
        r = self.run_lr("status", "2023")
        self.assertIn("kvinnofrid@eksjo.example  (1 påminnelse)\n", r.stdout)
        self.assertTrue(r.stdout.endswith("; 2 påminnelser skickade\n"), r.stdout)

    def test_reminders_reach_exactly_the_non_responders(self):
        forms = self.send_forms()
        for actor in ("aneby", "eksjo", "polisen"):
            self.answer(actor)
        waiting = sorted(set(self.actors) - {"aneby", "eksjo", "polisen"})

        # Written for review first, then sent: each once, in its own folder.
        r = self.run_lr("mail", "2023", "--remind", "--reply-by", "2023-12-20")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f"utskick/2023/paminnelse-1: {len(waiting)} meddelanden skrivna", r.stdout)
        server = self.server()
        r = self.run_lr("mail", "2023", "--remind", "--reply-by", "2023-12-20", "--send",
                        "--smtp", server.url)
        self.assertEqual(r.returncode, 0, r.stderr)
        got = self.reminded(server)
        self.assertEqual(sorted(got), waiting)
        files = self.eml_files("paminnelse-1", "2023")
        self.assertEqual(sorted(data for _, data in server.stored()), sorted(files.values()))
        for actor, m in got.items():
            with self.subTest(actor=actor):
                name = self.actors[actor]["namn"]
                self.assertEqual(m["Subject"], f"Påminnelse: yttrande 2023 – formulär till {name}")
                form_id = f"<2023.formular.{actor}@lansstyrelsen-jonkoping.example>"
                self.assertIn(form_id, forms)  # the form mail really had that id
                self.assertEqual(m["In-Reply-To"], form_id)
                self.assertEqual(m["References"], form_id)
                self.assertEqual(m["Message-ID"],
                                 f"<2023.paminnelse-1.{actor}@lansstyrelsen-jonkoping.example>")
                self.assertEqual(m["Date"], DATE)
                # The form mail's attachments again, byte for byte.
                form = parse(forms[form_id])
                self.assertEqual([(p.get_filename(), p.get_payload(decode=True)) for p in m.iter_attachments()],
                                 [(p.get_filename(), p.get_payload(decode=True)) for p in form.iter_attachments()])
                self.assertIn("senast den 20 december 2023.", body_of(m))
        self.assertEqual({a["id"]: a["reminders"] for a in self.status()["actors"]},
                         {a: int(a in waiting) for a in self.actors})

        # A second --remind is the second round, to whoever still has not answered.
        self.answer("gnosjo")
        second = self.server()
        r = self.run_lr("mail", "2023", "--remind", "--send", "--smtp", second.url)
        self.assertEqual(r.returncode, 0, r.stderr)
        got = self.reminded(second)
        self.assertEqual(sorted(got), [a for a in waiting if a != "gnosjo"])
        self.assertEqual(got["habo"]["Message-ID"],
                         "<2023.paminnelse-2.habo@lansstyrelsen-jonkoping.example>")
        self.assertEqual(got["habo"]["In-Reply-To"],
                         "<2023.formular.habo@lansstyrelsen-jonkoping.example>")
        self.assertNotIn("senast den", body_of(got["habo"]))  # no reply-by date this time
        counts = {a["id"]: a["reminders"] for a in self.status()["actors"]}
        self.assertEqual(counts["habo"], 2)
        self.assertEqual(counts["gnosjo"], 1)
        self.assertEqual(counts["aneby"], 0)

    def test_a_cut_off_round_resumes_without_duplicates(self):
        self.send_forms()
        self.answer("aneby")
        waiting = sorted(set(self.actors) - {"aneby"})
        first = self.server()
        r = self.run_lr("mail", "2023", "--remind", "--send", "--smtp", first.url, "--limit", "5")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(first.stored()), 5)
        r = self.run_lr("mail", "2023", "--remind", "--send", "--smtp", first.url)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.count("… redan skickat\n"), 5)
        self.assertEqual(sorted(self.reminded(first)), waiting)
        self.assertFalse(os.path.exists(self.mail_dir("paminnelse-2", "2023")))
        self.assertEqual(sorted(data for _, data in first.stored()),
                         sorted(self.eml_files("paminnelse-1", "2023").values()))

    def test_reminder_errors(self):
        self.assertEqual(self.run_lr("new", "2023").returncode, 0)
        r = self.run_lr("mail", "2023", "--remind")
        self.assertEqual(r.returncode, 2)
        self.assertIn("inga formulär för 2023 har skickats, så det finns inget att påminna om",
                      r.stderr)
        self.assertIn('"lagesrapport mail 2023 --forms --send"', r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.project, "utskick", "2023", "paminnelse-1")))

        self.send_forms("aneby", "eksjo")
        self.answer("aneby")
        for args, text in [(["--reply-by", "2023-12-03"],
                            "svarsdagen 2023-12-03 har redan passerat (i dag är 2023-12-04)"),
                           (["--reply-by", "2023-02-30"], "--reply-by behöver ett datum"),
                           (["--reply-by", "2024-01-31"], "--reply-by gäller bara med --forms eller --remind"),
                           (["--forms"], "välj --forms eller --remind, inte båda"),
                           (["--only", "aneby"], "aneby har redan lämnat sitt yttrande för 2023"),
                           (["--only", "gnosjo"], "gnosjo har inte fått något formulär för 2023")]:
            with self.subTest(args=args):
                extra = [] if "--reply-by" in args and "2024-01-31" in args else ["--remind"]
                r = self.run_lr("mail", "2023", *extra, *args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(text, r.stderr)
        self.assertFalse(os.path.exists(self.mail_dir("paminnelse-1", "2023")))

        # The date in lagesrapport.yaml is located there.
        config = os.path.join(self.project, "lagesrapport.yaml")
        with open(config, "a", encoding="utf-8") as f:
            f.write("svara senast: 2023-11-30\n")
        with open(config, encoding="utf-8") as f:
            line = len(f.read().splitlines())
        r = self.run_lr("mail", "2023", "--remind")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(f"lagesrapport.yaml:{line}:15: fel: svarsdagen 2023-11-30 har redan passerat",
                      r.stderr)
        r = self.run_lr("mail", "2023", "--remind", "--reply-by", "2023-12-24")
        self.assertEqual(r.returncode, 0, r.stderr)
        m = parse(self.eml_files("paminnelse-1", "2023")["eksjo"])
        self.assertIn("senast den 24 december 2023.", body_of(m))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    needs.module("aiosmtpd", "python3-aiosmtpd")  # the server needs it
    BIN, SRC = os.path.abspath(sys.argv.pop(1)), os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=1)
