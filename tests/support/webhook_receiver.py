#!/usr/bin/python3
"""A local webhook receiver for tests.

Answers 500 to the first --fail POSTs, then 200, and appends each request to
OUT as one JSON line: time (seconds since the epoch), status (the answer),
path, headers (names as sent) and body.

    webhook_receiver.py --port 0 --fail N --out FILE

Prints "listening on PORT" on stderr once it accepts connections.
"""
import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def make_handler(fail, out):
    lock = threading.Lock()
    seen = [0]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with lock:
                seen[0] += 1
                status = 500 if seen[0] <= fail else 200
                record = {
                    "time": time.time(),
                    "status": status,
                    "path": self.path,
                    "headers": {name: value for name, value in self.headers.items()},
                    "body": body.decode("utf-8", "replace"),
                }
                with open(out, "a", encoding="utf-8") as f:
                    f.write(json.dumps(record) + "\n")
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fail", type=int, default=0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.fail, args.out))
    print(f"listening on {server.server_address[1]}", file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
