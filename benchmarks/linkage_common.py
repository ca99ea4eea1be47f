"""What the linkage benchmark's parts share (``linkage.py``, ``linkage_p3_sql.py``): the
product's constants it mirrors, memory readings, size labels, logging, and its own blind-index
digest. Plain Python, no Django settings needed."""

import hashlib
import hmac
import resource
import sys

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/himaya_bench_linkage"
# as in himaya.linkage.candidates (not imported: it needs Django's settings)
LOOKUP_LIMIT = 200
REGISTER_FLOOR = 1000
ESTIMATE_FROM = 100_000
BLIND_KEY = b"benchmark blind-index key"


def maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb():
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def label(size):
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000}m"
    if size % 1000 == 0:
        return f"{size // 1000}k"
    return str(size)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def blind_digest(value):
    """As crypto.blind_digest: HMAC-SHA256 hex[:32] (the benchmark's own key)."""
    return hmac.new(BLIND_KEY, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
