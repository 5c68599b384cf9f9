#!/usr/bin/env python3
"""Loopback feed server for bench/feeds.sh.

    feeds_server.py FEEDS ITEMS PORT_FILE

Serves FEEDS RSS 2.0 feeds of ITEMS items each on 127.0.0.1 (a free
port, written to PORT_FILE), every item linking to its own article page.
Feeds carry an ETag and answer 304 to a matching If-None-Match. Every
text is generated here. GET /_stats gives the requests counted so far as
JSON: all, conditional, not_modified, feeds, articles.
"""
import json
import random
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FEEDS, ITEMS, PORT_FILE = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]

WORDS = (
    "navy army air force brigade battalion frigate destroyer submarine drone missile radar "
    "ministry defence defense contract delivery exercise border patrol coast base training "
    "officials said on tuesday wednesday week month year new first second units crews ships "
    "aircraft helicopter artillery ammunition budget parliament procurement agreement allies "
    "northern southern eastern western region capital island strait sea lanes convoy escort "
    "engineers factory shipyard maintenance upgrade programme system sensors command control"
).split()
PLACES = ["TALLINN", "RIGA", "VILNIUS", "WARSAW", "HELSINKI", "OSLO", "CANBERRA", "TOKYO",
          "SEOUL", "MANILA", "ISLAMABAD", "NEW DELHI", "ANKARA", "ATHENS", "ROME", "MADRID"]

lock = threading.Lock()
stats = {"all": 0, "conditional": 0, "not_modified": 0, "feeds": 0, "articles": 0}


def text(seed, n):
    r = random.Random(seed)
    return " ".join(r.choice(WORDS) for _ in range(n))


def title(f, i):
    r = random.Random(f"title-{f}-{i}")
    return f"Story {f}-{i}: " + " ".join(r.choice(WORDS) for _ in range(6)).capitalize()


def feed(base, f):
    items = []
    for i in range(ITEMS):
        day = 1 + (i % 28)
        items.append(
            f"<item><title>{title(f, i)}</title><link>{base}/article/{f}/{i}.html</link>"
            f"<guid isPermaLink=\"false\">bench-{f}-{i}</guid>"
            f"<pubDate>{['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][day % 7]}, {day:02d} Mar 2024 10:00:00 +0000</pubDate>"
            f"<description>{text(f'sum-{f}-{i}', 30)}</description></item>"
        )
    return (f"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Bench desk {f}</title>"
            f"<link>{base}/</link><description>Generated.</description>{''.join(items)}</channel></rss>")


def article(f, i):
    r = random.Random(f"place-{f}-{i}")
    paras = [text(f"p-{f}-{i}-{k}", 90) for k in range(7)]
    paras[0] = f"{r.choice(PLACES)}: " + paras[0]
    body = "".join(f"<p>{p}.</p>" for p in paras)
    return (f"<!DOCTYPE html><html><head><title>{title(f, i)} | Bench desk {f}</title>"
            f"<meta property=\"og:site_name\" content=\"Bench desk {f}\"></head><body>"
            f"<nav><a href=\"/\">Home</a></nav><article><h1>{title(f, i)}</h1>{body}</article>"
            f"<footer>Generated for a benchmark</footer></body></html>")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def send(self, status, ctype, body, headers=()):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path
        if path == "/_stats":
            with lock:
                return self.send(200, "application/json", json.dumps(stats))
        base = f"http://{self.headers.get('Host')}"
        with lock:
            stats["all"] += 1
            if self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"):
                stats["conditional"] += 1
        parts = path.strip("/").split("/")
        if parts[0] == "feed" and len(parts) == 2:
            f = int(parts[1].removesuffix(".xml"))
            etag = f"\"bench-{f}\""
            with lock:
                stats["feeds"] += 1
            if self.headers.get("If-None-Match") == etag:
                with lock:
                    stats["not_modified"] += 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            return self.send(200, "application/rss+xml", feed(base, f), [("ETag", etag)])
        if parts[0] == "article" and len(parts) == 3:
            with lock:
                stats["articles"] += 1
            return self.send(200, "text/html; charset=utf-8",
                             article(int(parts[1]), int(parts[2].removesuffix(".html"))))
        self.send(404, "text/plain", "not found")

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_FILE + ".tmp", "w") as fh:
    fh.write(str(server.server_address[1]))
import os
os.replace(PORT_FILE + ".tmp", PORT_FILE)
server.serve_forever()
