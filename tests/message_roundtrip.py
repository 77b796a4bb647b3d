#!/usr/bin/python3
"""Reads messages written by lr_message_write back with Python's email
package (policy=email.policy.default), an independent MIME implementation:
headers must decode to the exact Swedish text, attachments to the exact
bytes, and the raw message must be pure ASCII with CRLF line ends and
lines within the RFC limits.

usage: message_roundtrip.py PATH-TO-mail_message_dump
"""
import datetime
import email
import email.policy
import os
import random
import re
import subprocess
import sys
import tempfile
import unittest

DUMP = None  # set from argv

SUBJECT = ("Återkoppling på yttrande 2022 – Länsstyrelsen i Jönköpings län, "
           "Värnamo kommun, Gislaveds kommun")
SENDER_NAME = "Länsstyrelsen i Jönköpings län"
SENDER = "kvinnofrid@lansstyrelsen.example"
BODY = ("Hej!\n\nHär kommer Länsstyrelsens återkoppling på ert yttrande för "
        "2022, och hela lägesrapporten.\n\nMed vänliga hälsningar\n"
        "Länsstyrelsen i Jönköpings län\n")
DATE = 1681291800  # 2023-04-12T09:30:00Z
MESSAGE_ID = "2022.varnamo@lagesrapport.lansstyrelsen.example"
ENCODED_WORD = re.compile(rb"=\?([^?]+)\?([QqBb])\?([^?]*)\?=")


def dump(*args):
    """Runs the helper; returns (exit status, stdout bytes, stderr text)."""
    run = subprocess.run([DUMP, *args], capture_output=True, check=False)
    return run.returncode, run.stdout, run.stderr.decode("utf-8")


def write(*args):
    status, out, err = dump(*args)
    if status != 0:
        raise AssertionError(f"message_dump failed ({status}): {err}")
    return out


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


ADJACENT_WORDS = re.compile(rb"\?=\s+=\?")


def header(raw, name):
    """The unfolded value of a header field."""
    head = raw.partition(b"\r\n\r\n")[0].replace(b"\r\n ", b" ")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(name.lower().encode() + b":"):
            return line[len(name) + 1:].strip()
    raise KeyError(name)


def display_name_rfc2047(raw):
    """The From display name decoded as RFC 2047 6.2 says: white space
    between adjacent encoded words is dropped. Python's address parser
    keeps a space there, so names long enough to need several encoded
    words in a row are checked with this instead."""
    value = header(raw, "From")
    phrase = value[:value.rindex(b" <")]
    if phrase.startswith(b'"'):
        return re.sub(rb'\\(.)', rb"\1", phrase[1:-1]).decode()
    out, previous_encoded = "", False
    for token in phrase.split():
        word = ENCODED_WORD.fullmatch(token)
        text = (encoded_word_payload(*word.groups()).decode() if word
                else token.decode())
        if out and not (word and previous_encoded):
            out += " "
        out += text
        previous_encoded = bool(word)
    return out


def encoded_word_payload(charset, encoding, text):
    if encoding in b"Bb":
        import base64
        return base64.b64decode(text, validate=True)
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i:i + 1]
        if c == b"=":
            out += bytes([int(text[i + 1:i + 3], 16)])
            i += 3
        else:
            out += b" " if c == b"_" else c
            i += 1
    return bytes(out)


class MessageTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.adjacent_words = 0

    def tearDown(self):
        self.tmp.cleanup()

    def file(self, name, data):
        path = os.path.join(self.tmp.name, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def assert_wire(self, raw):
        """The properties every message must have on the wire."""
        raw.decode("ascii")  # pure ASCII, or this raises
        self.assertIsNone(re.search(rb"(?<!\r)\n|\r(?!\n)", raw),
                          "a line end that is not CRLF")
        self.assertTrue(raw.endswith(b"\r\n"))
        head, _, _ = raw.partition(b"\r\n\r\n")
        for line in raw.split(b"\r\n"):
            self.assertLessEqual(len(line), 78, line)
        for word in ENCODED_WORD.finditer(raw):
            self.assertLessEqual(len(word.group(0)), 75, word.group(0))
            self.assertEqual(word.group(1).lower(), b"utf-8")
            # Each word must hold whole characters: decodes on its own.
            encoded_word_payload(*word.groups()).decode("utf-8")
        for part in parse(raw).walk():
            if part.is_multipart():
                continue
            for line in part.get_payload().splitlines():
                self.assertLessEqual(len(line), 76, line)
        self.assertIn(b"\r\nMIME-Version: 1.0\r\n", head)

    def assert_display_name(self, raw, msg, name):
        """The From name, read by Python unless the header has adjacent
        encoded words (a name too long for one word): Python puts a space
        between those, so the RFC's reading is checked instead."""
        self.assertEqual(display_name_rfc2047(raw), name)
        if ADJACENT_WORDS.search(header(raw, "From")):
            self.adjacent_words += 1
        else:
            self.assertEqual(msg["From"].addresses[0].display_name, name)

    def test_swedish_message_with_attachments(self):
        html = "<!doctype html><p>Återkoppling för Värnamo kommun</p>\n"
        every_byte = bytes(range(256)) * 3
        long_name = ("återkoppling-till-länsstyrelsen-i-jönköpings-län-från-"
                     "värnamo-kommun-och-gislaveds-kommun-2022.html")
        raw = write(
            "--from-named", SENDER_NAME, SENDER,
            "--to-named", "Anna Åberg", "anna@varnamo.example",
            "--to-named", "Andersson, Bo (socialtjänsten)", "bo@varnamo.example",
            "--to", "kvinnofrid@gislaved.example",
            "--subject", SUBJECT,
            "--body-file", self.file("body.txt", BODY.encode()),
            "--attach", self.file("a.html", html.encode()),
            "återkoppling-värnamo.html", "text/html; charset=utf-8",
            "--attach", self.file("all.bin", every_byte), "alla-byte.bin", "-",
            "--attach", self.file("long.html", b"<p>lang</p>"), long_name,
            "text/html",
            "--date", str(DATE), "--id", MESSAGE_ID)
        self.assert_wire(raw)
        msg = parse(raw)
        self.assertEqual(msg["Subject"], SUBJECT)
        sender = msg["From"].addresses[0]
        self.assertEqual((sender.display_name, sender.addr_spec),
                         (SENDER_NAME, SENDER))
        self.assertEqual(
            [(a.display_name, a.addr_spec) for a in msg["To"].addresses],
            [("Anna Åberg", "anna@varnamo.example"),
             ("Andersson, Bo (socialtjänsten)", "bo@varnamo.example"),
             ("", "kvinnofrid@gislaved.example")])
        self.assertEqual(msg["Date"].datetime,
                         datetime.datetime(2023, 4, 12, 9, 30,
                                           tzinfo=datetime.timezone.utc))
        self.assertEqual(msg["Message-ID"], f"<{MESSAGE_ID}>")
        self.assertEqual(msg.get_content_type(), "multipart/mixed")
        self.assertEqual(msg.defects, [])

        parts = list(msg.iter_parts())
        self.assertEqual(len(parts), 4)
        text = parts[0]
        self.assertEqual(text.get_content_type(), "text/plain")
        self.assertEqual(text.get_content_charset(), "utf-8")
        self.assertEqual(text.get_content().replace("\r\n", "\n"), BODY)
        expected = [("återkoppling-värnamo.html", "text/html", html.encode()),
                    ("alla-byte.bin", "application/octet-stream", every_byte),
                    (long_name, "text/html", b"<p>lang</p>")]
        for part, (name, ctype, data) in zip(parts[1:], expected):
            self.assertEqual(part.get_content_disposition(), "attachment")
            self.assertEqual(part.get_filename(), name)
            self.assertEqual(part.get_param("name"), name)
            self.assertEqual(part.get_content_type(), ctype)
            self.assertEqual(part.get_payload(decode=True), data)
            self.assertEqual(part.defects, [])
        # An ASCII name has the plain parameter every client understands.
        self.assertIn(b'filename="alla-byte.bin"', raw)
        self.assertIn(b"filename*=utf-8''%C3%A5terkoppling-v%C3%A4rnamo.html",
                      raw)

    def test_boundary_occurs_only_as_delimiter(self):
        raw = write("--from", SENDER, "--to", "a@b.example", "--subject", "x",
                    "--body", "--=_lr_ is not a boundary\n",
                    "--attach", self.file("x", b"--=_lr_0\r\n" * 20),
                    "--=_lr_.txt", "text/plain")
        boundary = parse(raw).get_boundary().encode()
        # Once in the Content-Type parameter, then per delimiter line.
        self.assertEqual(raw.count(boundary), 1 + 2 + 1)
        self.assertEqual(len(re.findall(rb"^--" + re.escape(boundary) +
                                        rb"(--)?\r$", raw, re.M)), 3)

    def test_bodies_decode_to_the_given_text(self):
        bodies = [
            "",
            "Hej",  # no final line break
            "Hej\n",
            "rad ett\r\nrad två\r\n",
            "avslutande blanksteg   \navslutande tabb\t\n",
            "From the start\n.\n..\nFrom\n",
            "lika med = och =3D och =\n",
            "å" * 200 + "\n",
            ("lång rad " * 40).strip() + "\n",
            "=" * 200,
            "tecken: 😀 € – \u00a0 \u200b \x01 \x7f\n",
            "\n\n\n",
            "x" * 75 + "\n" + "y" * 76 + "\n" + "z" * 77 + "\n",
        ]
        for body in bodies:
            with self.subTest(body=body[:30]):
                raw = write("--from", SENDER, "--to", "a@b.example",
                            "--body", body, "--date", str(DATE))
                self.assert_wire(raw)
                msg = parse(raw)
                self.assertEqual(msg.defects, [])
                got = msg.get_content().replace("\r\n", "\n")
                self.assertEqual(got, body.replace("\r\n", "\n"))

    def test_ascii_headers_stay_readable(self):
        subject = ("Lägesrapport".replace("ä", "a") +
                   " 2022 for Jonkopings lan, with many words to make the "
                   "line fold at least once or twice before it ends")
        raw = write("--from-named", "Anna Andersson", SENDER,
                    "--to", "a@b.example", "--subject", subject)
        self.assert_wire(raw)
        self.assertNotIn(b"=?", raw)
        self.assertIn(b"From: Anna Andersson <", raw)
        msg = parse(raw)
        self.assertEqual(msg["Subject"], subject)
        self.assertIn(b"\r\n ", raw.partition(b"\r\n\r\n")[0])  # folded

    def test_realistic_names_round_trip(self):
        parts = ["Anna", "Åsa", "Örjan", "Länsstyrelsen", "i", "Jönköpings",
                 "län", "Andersson,", "(HR)", "Kvinnofrid", "&", "Värnamo",
                 "kommun", "O'Brien", "Dr.", "Ängelholm", '"Lotta"',
                 "Försäkringskassan", "–", "Region", "Jönköping", "a\\b"]
        rng = random.Random(2023)
        for _ in range(300):
            name = " ".join(rng.choice(parts)
                            for _ in range(rng.randrange(1, 6)))
            with self.subTest(name=name):
                raw = write("--from-named", name, SENDER,
                            "--to-named", "Anna", "anna@aneby.example",
                            "--to-named", name, "a@b.example")
                self.assert_wire(raw)
                msg = parse(raw)
                self.assert_display_name(raw, msg, name)
                self.assertEqual(msg["To"].addresses[0].display_name, "Anna")
        # Only runs of four or more long Swedish words need two words.
        self.assertLess(self.adjacent_words, 300 // 20)

    def test_random_headers_round_trip(self):
        alphabet = (list("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789") * 3 +
                    list("åäöÅÄÖéü") * 2 + [" "] * 12 +
                    list(',;:()<>"@.\\=?_-!*/\'%[]') +
                    ["–", "€", "😀", "ß", "Ω", "中", "=?", "?="])
        rng = random.Random(2022)
        for _ in range(300):
            n = rng.randrange(0, 140)
            subject = "".join(rng.choice(alphabet) for _ in range(n))
            # Runs of spaces in a name carry no meaning (RFC 5322 3.2.5).
            name = " ".join("".join(rng.choice(alphabet) for _ in
                                    range(rng.randrange(1, 80))).split())
            if not name:
                continue
            with self.subTest(subject=subject, name=name):
                raw = write("--from-named", name, SENDER,
                            "--to", "a@b.example", "--subject", subject)
                self.assert_wire(raw)
                msg = parse(raw)
                self.assertEqual(msg["Subject"], subject)
                self.assert_display_name(raw, msg, name)

    def test_header_injection_is_refused(self):
        evil = "Anna\r\nBcc: x@evil.example"
        cases = [
            ("--subject", evil),
            ("--from-named", evil, SENDER),
            ("--to-named", evil, "a@b.example"),
            ("--to", "a@b.example\r\nBcc: x@evil.example"),
            ("--subject", "tabb\there"),
            ("--subject", "ny\nrad"),
        ]
        for case in cases:
            with self.subTest(case=case):
                args = ["--from", SENDER, "--to", "a@b.example", *case]
                status, out, err = dump(*args)
                self.assertEqual(status, 1)
                self.assertEqual(out, b"")
                self.assertIn("radbrytning eller styrtecken", err)
                self.assertNotIn("\r", err)
        status, out, err = dump("--from", SENDER, "--to", "a@b.example",
                                "--attach", self.file("x", b"x"),
                                "a\r\nContent-Type: text/html", "-")
        self.assertEqual((status, out), (1, b""))

    def test_invalid_addresses_are_refused(self):
        for address in ["anna", "anna@", "@aneby.example", "anna@aneby",
                        "anna aneby@x.example", "<anna@aneby.example>",
                        "anna@aneby.example>", "anna..b@aneby.example",
                        "åsa@aneby.example", "anna@-aneby.example",
                        "anna@aneby..example", "a,b@aneby.example",
                        "anna@[127.0.0.1]", "anna@aneby.example."]:
            with self.subTest(address=address):
                status, out, err = dump("--from", SENDER, "--to", address)
                self.assertEqual((status, out), (1, b""))
                self.assertIn("inte en giltig e-postadress", err)

    def test_output_is_deterministic(self):
        args = ["--from-named", SENDER_NAME, SENDER,
                "--to", "a@b.example", "--subject", SUBJECT,
                "--body", BODY, "--date", str(DATE), "--id", MESSAGE_ID,
                "--attach", self.file("x", bytes(range(256))), "x.bin", "-"]
        first = write(*args)
        self.assertEqual(write(*args), first)
        other = write(*args[:-4], "--attach", self.file("y", b"y"),
                      "x.bin", "-")
        self.assertNotEqual(parse(other).get_boundary(),
                            parse(first).get_boundary())


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    DUMP = sys.argv.pop(1)
    unittest.main(verbosity=1)
