#!/usr/bin/python3
"""A real SMTP server for the tests, on loopback, built on Debian's
python3-aiosmtpd.

usage: smtp_server.py DIR [--fail-after N] [--fail-code 451|550]
                          [--fail-at mail|data] [--reject-rcpt ADDRESS]...
                          [--auth USER:PASSWORD] [--mechanism PLAIN|LOGIN]
                          [--xoauth2 USER:TOKEN]
                          [--reply-delay SECONDS]
                          [--drop-after-data stored|lost] [--silent-quit]
                          [--host ADDRESS]
                          [--tls starttls|starttls-required|implicit
                           --cert PEM --key PEM]

Listens on a free port of --host (127.0.0.1 by default) and prints
"PORT <n>" on stdout once it accepts connections. Every accepted message is
stored as DIR/NNN.eml (the exact octets of the DATA, after SMTP's
dot-unstuffing) beside DIR/NNN.json (the envelope, and whether the session
was encrypted). After N accepted messages every further DATA is refused
with the given code, after the message has come in (or, with --fail-at
mail, every further MAIL FROM, before it has); a recipient named by
--reject-rcpt is refused with 550. With --auth, clients must log in (AUTH
PLAIN/LOGIN, or only the one --mechanism names); with --xoauth2, by AUTH XOAUTH2 with that user and bearer
token. Each login attempt is a line "MECHANISM ok|refused" in DIR/auth.log.

With --tls the server offers STARTTLS (starttls), insists on it before
MAIL and AUTH (starttls-required), or speaks TLS from the first byte
(implicit, as on port 465), with the given certificate and key. Without
--tls, AUTH is offered in plain text: it is loopback.

The faults that leave a client unsure whether its message arrived, each
after the message has come in: --reply-delay stores it and answers 250
only SECONDS later (past the client's timeout, say); --drop-after-data
closes the connection without a reply, having stored the message or lost
it; --silent-quit never answers QUIT, keeping the connection open.

Runs until its stdin closes or it gets SIGTERM, so it never outlives the
test that started it.
"""
import argparse
import asyncio
import base64
import json
import logging
import os
import signal
import ssl
import sys
import warnings

from aiosmtpd.smtp import MISSING, SMTP, AuthResult, LoginPassword, TLSSetupException

REPLIES = {
    451: "451 4.3.0 Tillfalligt fel, prova igen senare",
    550: "550 5.7.1 Meddelandet avvisas",
}


class Handler:
    def __init__(self, args):
        self.directory = args.directory
        self.fail_after = args.fail_after
        self.fail_code = args.fail_code
        self.fail_at = args.fail_at
        self.reply_delay = args.reply_delay
        self.drop_after_data = args.drop_after_data
        self.silent_quit = args.silent_quit
        self.rejected = {a.lower() for a in args.reject_rcpt}
        self.accepted = 0

    def refusing(self, stage):
        return (self.fail_at == stage and self.fail_after is not None and
                self.accepted >= self.fail_after)

    async def handle_MAIL(self, server, session, envelope, address,
                          mail_options):
        if self.refusing("mail"):
            return REPLIES[self.fail_code]
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        if address.lower() in self.rejected:
            return "550 5.1.1 Mottagaren finns inte"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        envelope.encrypted = server.transport.get_extra_info("ssl_object") is not None
        if self.refusing("data"):
            return REPLIES[self.fail_code]
        if self.drop_after_data == "lost":
            server.transport.close()
            return "250 2.0.0 OK (never sent: the connection is closed)"
        self.store(envelope)
        if self.drop_after_data == "stored":
            server.transport.close()
            return "250 2.0.0 OK (never sent: the connection is closed)"
        if self.reply_delay:
            await asyncio.sleep(self.reply_delay)
        return "250 2.0.0 OK"

    async def handle_QUIT(self, server, session, envelope):
        if self.silent_quit:
            await asyncio.Event().wait()  # until the server stops
        return "221 Bye"

    def store(self, envelope):
        self.accepted += 1
        stem = os.path.join(self.directory, f"{self.accepted:03d}")
        # The envelope first: a test that sees the .eml may read both.
        with open(stem + ".json", "w", encoding="utf-8") as f:
            json.dump({"mail_from": envelope.mail_from,
                       "rcpt_tos": envelope.rcpt_tos,
                       "tls": envelope.encrypted}, f)
        with open(stem + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(stem + ".eml.tmp", stem + ".eml")


def note_login(directory, mechanism, ok):
    with open(os.path.join(directory, "auth.log"), "a", encoding="utf-8") as f:
        f.write(f"{mechanism} {'ok' if ok else 'refused'}\n")


def authenticator_for(directory, credentials):
    user, _, password = (credentials or "").partition(":")

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (credentials is not None and
              isinstance(auth_data, LoginPassword) and
              auth_data.login == user.encode() and
              auth_data.password == password.encode())
        note_login(directory, mechanism, ok)
        # handled=False: let aiosmtpd send the 535 for a failure.
        return AuthResult(success=ok, handled=False)

    return authenticate


class XOAuth2Handler(Handler):
    """Offers AUTH XOAUTH2 (aiosmtpd offers each auth_ method of the
    handler) and takes exactly one user and bearer token."""

    def __init__(self, args):
        super().__init__(args)
        user, _, token = args.xoauth2.partition(":")
        self.expected = f"user={user}\x01auth=Bearer {token}\x01\x01".encode()

    async def auth_XOAUTH2(self, server, args):
        if len(args) == 2:  # the initial response, on the AUTH line
            try:
                response = base64.b64decode(args[1], validate=True)
            except ValueError:
                response = b""
        else:
            response = await server.challenge_auth("")
        ok = response is not MISSING and response == self.expected
        note_login(self.directory, "XOAUTH2", ok)
        return AuthResult(success=ok, handled=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--fail-after", type=int)
    parser.add_argument("--fail-code", type=int, choices=sorted(REPLIES),
                        default=451)
    parser.add_argument("--fail-at", choices=["mail", "data"], default="data")
    parser.add_argument("--reject-rcpt", action="append", default=[])
    parser.add_argument("--auth")
    parser.add_argument("--mechanism", choices=["PLAIN", "LOGIN"])
    parser.add_argument("--xoauth2")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--tls", choices=["starttls", "starttls-required", "implicit"])
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--reply-delay", type=float, default=0)
    parser.add_argument("--drop-after-data", choices=["stored", "lost"])
    parser.add_argument("--silent-quit", action="store_true")
    args = parser.parse_args()

    # aiosmtpd warns about AUTH without TLS; on loopback that is the point.
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)
    # A client that does not trust the certificate ends the handshake: the
    # tests ask for that, and the client reports it; any other error shows.
    logging.getLogger("mail.log").addFilter(
        lambda record: not (record.exc_info and
                            isinstance(record.exc_info[1], TLSSetupException)))
    handler = XOAuth2Handler(args) if args.xoauth2 else Handler(args)
    options = dict(hostname="localhost", decode_data=False)
    context = None
    if args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    if args.tls in ("starttls", "starttls-required"):
        options.update(tls_context=context,
                       require_starttls=args.tls == "starttls-required")
    if args.auth or args.xoauth2:
        # aiosmtpd knows of STARTTLS but not of a socket that was TLS from
        # the start: AUTH must wait for STARTTLS only where there is one.
        options.update(authenticator=authenticator_for(args.directory, args.auth),
                       auth_required=True,
                       auth_require_tls=args.tls in ("starttls", "starttls-required"))
    if args.mechanism:
        options.update(auth_exclude_mechanism=[m for m in ("PLAIN", "LOGIN")
                                               if m != args.mechanism])

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(handler, **options), args.host, 0,
        ssl=context if args.tls == "implicit" else None))
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)

    def stdin_ready():
        if not os.read(sys.stdin.fileno(), 4096):
            loop.stop()

    loop.add_reader(sys.stdin.fileno(), stdin_ready)
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()


if __name__ == "__main__":
    main()
