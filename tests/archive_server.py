"""A small web server for the archive's tests: the "original site" of the pages archived,
run in a thread on 127.0.0.1, with a log of every path asked for."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Resources both relative and absolute ({origin}): either would be a request to the original
# site from a reader's browser if the archived copy let it through.
ARTICLE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Inspection report</title>
<link rel="stylesheet" href="/style.css">
<link rel="stylesheet" href="{origin}/absolute-style.css">
<script src="{origin}/tracker.js"></script>
<script>document.body && document.body.insertAdjacentHTML("beforeend", "<p>SCRIPT RAN</p>");
document.addEventListener("DOMContentLoaded", () => document.body.insertAdjacentHTML(
  "beforeend", "<p>SCRIPT RAN</p>"));
fetch("{origin}/beacon");</script>
</head>
<body onload="document.body.dataset.ran = 'yes'">
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article>
<h1>Inspectors found expired food</h1>
<p>During unannounced inspections, inspectors found expired food in the kitchens of three
facilities, and detainees told them that medical requests went unanswered for weeks.</p>
<p>The agency said in a letter that its facilities compare favourably with most local jails,
and that it had corrected every problem the inspectors listed.</p>
<img src="/photo.png" alt="A kitchen">
<img src="{origin}/absolute-photo.png" alt="A corridor">
<p style="background-image: url({origin}/background.png)">Styled paragraph.</p>
<iframe src="{origin}/frame.html"></iframe>
<video poster="{origin}/poster.png"></video>
</article>
<footer>Copyright the publisher</footer>
</body></html>
"""

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # the log is kept, not printed
        pass

    def send(self, status, body=b"", content_type="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    @property
    def article(self):
        origin = f"http://127.0.0.1:{self.server.server_port}"
        return ARTICLE.replace("{origin}", origin).encode()

    def do_GET(self):
        self.server.log.append(self.path)
        path = self.path.split("?")[0]
        if path == "/robots.txt":
            return self.send(200, ROBOTS, "text/plain")
        if path in ("/article", "/private/article"):
            return self.send(200, self.article)
        if path.startswith("/hop/"):  # /hop/3 redirects to /hop/2 ... /hop/0 is the page
            n = int(path.rsplit("/", 1)[1])
            if n == 0:
                return self.send(200, self.article)
            return self.send(301 if n % 2 else 302, headers=[("Location", f"/hop/{n - 1}")])
        if path == "/loop/a":
            return self.send(302, headers=[("Location", "/loop/b")])
        if path == "/loop/b":
            return self.send(302, headers=[("Location", "/loop/a")])
        if path == "/slow":
            time.sleep(3)
            return self.send(200, self.article)
        if path == "/huge":  # more than the tests' limit, without saying so in advance
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(64):
                self.wfile.write(b"<p>" + b"x" * 16 * 1024 + b"</p>")
            return None
        if path == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
            return None
        if path == "/report.pdf":
            return self.send(200, b"%PDF-1.4\n%binary report\n%%EOF\n", "application/pdf")
        if path == "/notes.txt":
            return self.send(200, b"Plain notes: <b>not bold</b>.", "text/plain")
        return self.send(404, b"<h1>Not found</h1>")


class OriginalSite:
    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.log = []
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def log(self):
        return self.server.log

    def url(self, path):
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
