#!/usr/bin/python3
"""Test mail relay for Runner.Appliance.Tests (Peers/SmtpServer.cs), on Debian's aiosmtpd.

Two listeners on 127.0.0.1: --port offers STARTTLS (AUTH only after it), --tls-port speaks
implicit TLS. AUTH PLAIN/LOGIN accepts one user/password. Each accepted mail is written to
--mail-dir as NNNN.eml (envelope first, then the message), renamed into place once complete.
Runs until killed; prints "ready" once both listeners answer.
"""
import argparse
import os
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
for name in ("--port", "--tls-port"):
    parser.add_argument(name, type=int, required=True)
for name in ("--cert", "--key", "--mail-dir", "--user", "--password"):
    parser.add_argument(name, required=True)
args = parser.parse_args()


class Recorder:
    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            number = self.count
        path = os.path.join(args.mail_dir, "%04d.eml" % number)
        with open(path + ".tmp", "wb") as out:
            out.write(("X-Envelope-From: %s\nX-Envelope-To: %s\n" % (envelope.mail_from, ",".join(envelope.rcpt_tos))).encode())
            out.write(envelope.original_content or envelope.content)
        os.rename(path + ".tmp", path)
        return "250 OK queued as test-%d" % number


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == args.user.encode() and auth_data.password == args.password.encode()
    # handled=False: aiosmtpd itself answers "535 credentials invalid" (handled=True would leave the client waiting).
    return AuthResult(success=ok, handled=False)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(args.cert, args.key)
recorder = Recorder()
common = dict(authenticator=authenticator, hostname="127.0.0.1")
starttls = Controller(recorder, port=args.port, tls_context=context, auth_require_tls=True, **common)
# aiosmtpd does not see implicit TLS as TLS: requiring it there would hide AUTH.
implicit = Controller(recorder, port=args.tls_port, ssl_context=context, server_hostname="localhost", auth_require_tls=False, **common)
starttls.start()
implicit.start()
print("ready", flush=True)
threading.Event().wait()
