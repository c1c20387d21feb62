#!/usr/bin/python3
"""A local SMTP server for tests (Debian's python3-aiosmtpd).

Accepts every message and appends it to OUT as one JSON line: the envelope
(mailFrom, rcptTos), the raw message, its headers decoded (headers, and
headerNames in order, repeats kept), the text/plain part decoded (text) and a
text/calendar attachment decoded (calendar, calendarType).

    smtp_receiver.py --port 0 --out FILE

Prints "listening on PORT" on stderr once it accepts connections.
"""
import argparse
import asyncio
import email
import email.policy
import json
import sys

from aiosmtpd.smtp import SMTP


class Recorder:
    def __init__(self, out):
        self.out = out

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        text, calendar, calendar_method = "", "", ""
        for part in message.walk():
            if part.is_multipart():
                continue
            content_type = part.get_content_type()
            if content_type == "text/plain" and not text:
                text = part.get_content()
            elif content_type == "text/calendar":
                calendar = part.get_content()
                calendar_method = part.get_param("method") or ""
        record = {
            "mailFrom": envelope.mail_from,
            "rcptTos": envelope.rcpt_tos,
            "raw": raw.decode("utf-8", "replace"),
            "headers": {name: str(value) for name, value in message.items()},
            "headerNames": list(message.keys()),
            "text": text,
            "calendar": calendar,
            "calendarMethod": calendar_method,
        }
        with open(self.out, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        return "250 OK"


async def serve(port, out):
    loop = asyncio.get_running_loop()
    # reuse_port: the port may be one a test holds bound (ReservedPort).
    server = await loop.create_server(
        lambda: SMTP(Recorder(out), hostname="localhost"), "127.0.0.1", port, reuse_port=True)
    print(f"listening on {server.sockets[0].getsockname()[1]}", file=sys.stderr, flush=True)
    await server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.out))


if __name__ == "__main__":
    main()
