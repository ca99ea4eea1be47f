"""P5 (docs QUALITY.md, issue 17): the weight of every main page as it travels in production,
and a failure above the budget (200 KB by default).

Himaya is served as benchmarks/pages.py serves it: gunicorn, production settings (HTML
compressed by the GZip middleware, static files hashed and pre-compressed by WhiteNoise, Brotli
and gzip), PostgreSQL holding the demo plus a bulk caseload. A browser that accepts
``br, gzip`` opens each page with an empty cache: the page's HTML and every stylesheet, script,
image and icon it links, each counted once per page as the bytes on the wire (the compressed
body; headers left out). Public pages are read anonymously, the others as a caseworker logged
in through the real login (password, then TOTP).

    .venv/bin/python benchmarks/weight.py                       # fresh database, 1,000 persons
    .venv/bin/python benchmarks/weight.py --reuse /tmp/p        # a state kept by pages.py
    .venv/bin/python benchmarks/weight.py --budget 150

Exits 1 when a page weighs more than the budget, or when a page or an asset does not answer
200. Not collected by pytest (testpaths = himaya)."""

import argparse
import gzip
import json
import os
import re
import shutil
import sys
import tempfile
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from annual_report import drop  # noqa: E402
from pages import DEFAULT_URL, User, prepare, serve, session, stop  # noqa: E402

# The assets a page makes the browser fetch: stylesheets, scripts, images, icons, preloads.
ASSET = re.compile(
    r"<(?:link|script|img)\b[^>]*?\b(?:href|src)=\"([^\"]+)\"[^>]*>", re.IGNORECASE | re.DOTALL
)
FETCHED_LINKS = ("stylesheet", "icon", "preload", "modulepreload", "apple-touch-icon")
# Public pages, read without logging in.
PUBLIC = {"login": "/accounts/login/", "public report": "/report/", "statistics": "/statistics/"}


def assets(html, base):
    """The same-site assets a browser fetches for this HTML (a <link> only if it is fetched:
    stylesheets, icons, preloads; not alternate languages or canonical links)."""
    found = []
    for match in ASSET.finditer(html):
        tag, url = match.group(0), match.group(1)
        if tag.lower().startswith("<link"):
            rel = re.search(r"\brel=\"([^\"]+)\"", tag)
            if not rel or not set(rel.group(1).lower().split()) & set(FETCHED_LINKS):
                continue
        absolute = urllib.parse.urljoin(base, url.replace("&amp;", "&"))
        if absolute.startswith(base) and absolute not in found:
            found.append(absolute)
    return found


def on_the_wire(s, url):
    """(status, bytes as transferred, encoding, body) of one GET; the body as sent."""
    r = s.get(url, stream=True, allow_redirects=False)
    body = r.raw.read(decode_content=False)
    return r.status_code, len(body), r.headers.get("Content-Encoding", "identity"), body


def decoded(body, encoding):
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    return body


def weigh(s, base, name, path):
    status, html_bytes, encoding, body = on_the_wire(s, base + path)
    if status != 200:
        return {"page": name, "path": path, "error": f"HTTP {status}"}
    html = decoded(body, encoding).decode("utf-8", "replace")
    row = {"page": name, "path": path, "html": html_bytes, "html_encoding": encoding}
    files, errors = [], []
    for url in assets(html, base):
        a_status, size, a_encoding, _r = on_the_wire(s, url)
        if a_status != 200:
            errors.append(f"{url[len(base) :]}: HTTP {a_status}")
        files.append({"url": url[len(base) :], "bytes": size, "encoding": a_encoding})
    row.update(assets=files, total=html_bytes + sum(f["bytes"] for f in files))
    if errors:
        row["error"] = "; ".join(errors)
    return row


def caseworker_pages(user):
    """The pages of pages.py's caseworker (one dossier, one search of the names) and the other
    lists of the navigation a caseworker opens every day."""
    urls = user.urls()
    return {
        "home": urls["home"](),
        "dossier list": urls["dossier list"](),
        "dossier page": urls["dossier page"](),
        "person list": urls["person list"](),
        "name search": urls["name search"](),
        "notifications": "/notifications/",
        "services directory": "/services/",
        "screenings": "/screening/",
    }


def table(rows, budget):
    lines = [
        f"{'page':<20} {'HTML':>9} {'assets':>7} {'asset bytes':>12} {'total':>9}  path",
        "-" * 78,
    ]
    for row in rows:
        if "total" not in row:
            lines.append(f"{row['page']:<20} {row['error']}")
            continue
        over = "  OVER" if row["total"] > budget else ""
        lines.append(
            f"{row['page']:<20} {row['html'] / 1000:>7.1f}KB {len(row['assets']):>7} "
            f"{(row['total'] - row['html']) / 1000:>10.1f}KB {row['total'] / 1000:>7.1f}KB"
            f"  {row['path']}{over}"
        )
    return "\n".join(lines)


def measure(base, account, budget):
    rows = []
    anonymous = session()
    anonymous.headers["Accept-Encoding"] = "br, gzip"
    for name, path in PUBLIC.items():
        rows.append(weigh(anonymous, base, name, path))
    user = User(base, account, 0, seed=0)
    user.s = session()
    user.login()
    user.s.headers["Accept-Encoding"] = "br, gzip"
    for name, path in caseworker_pages(user).items():
        rows.append(weigh(user.s, base, name, path))
    print(table(rows, budget * 1000))
    heaviest = max((r["total"] for r in rows if "total" in r), default=0)
    failed = [r for r in rows if "error" in r or r.get("total", 0) > budget * 1000]
    print(
        f"heaviest page {heaviest / 1000:.1f} KB; budget {budget} KB (1 KB = 1,000 bytes): "
        + ("held" if not failed else f"{len(failed)} page(s) over or in error")
    )
    return rows, failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=float, default=200, help="KB per page (default 200)")
    parser.add_argument("--persons", type=int, default=1000, help="bulk caseload of a fresh run")
    parser.add_argument("--users", type=int, default=4, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=8742)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--keep-state", help="keep the database, secrets and accounts here")
    parser.add_argument("--reuse", help="a folder written by pages.py or weight.py --keep-state")
    parser.add_argument("--json", help="also write every page's files and sizes to this file")
    args = parser.parse_args()
    folder = Path(args.reuse or args.keep_state or tempfile.mkdtemp(prefix="himaya-weight-"))
    folder.mkdir(parents=True, exist_ok=True)
    keep = bool(args.reuse or args.keep_state)
    server = env = None
    try:
        env, _sizes = prepare(args, folder)
        accounts = json.loads((folder / "accounts.json").read_text(encoding="utf-8"))
        server = serve(env, folder, args.port, workers=2)
        rows, failed = measure(
            f"http://127.0.0.1:{args.port}", accounts["caseworker"][0], args.budget
        )
        if args.json:
            Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
        return 1 if failed else 0
    finally:
        stop(server)
        if not keep:
            if env is not None:
                drop(args.database_url, args.database_url.rsplit("/", 1)[-1])
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
