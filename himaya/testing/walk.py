"""What the walk through every role's flow (himaya/tests/live/test_walk.py) checks on each page it
opens, as plain functions over the page's visible text, so that each check can be shown to catch
the faults it is for (the walk's own unit tests) before it is trusted to pass.

Each function returns findings: short strings quoting the text at fault, empty when the page is
right."""

import datetime
import re

ARABIC_LETTER = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3"
# Latin , ; ? after an Arabic word, before another word (or a number) or at the end of a line:
# Arabic has its own ، ؛ ؟
LATIN_PUNCTUATION = re.compile(
    rf"[{ARABIC_LETTER}][\u064b-\u065f]*\s*[,;?](?=\s*(?:[{ARABIC_LETTER}]|[0-9\u0660-\u0669])|\s*$)",
    re.MULTILINE,
)

# A word in Latin script (French accents included), with its inner apostrophes and hyphens.
LATIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŒœ]+(?:['’\-][A-Za-zÀ-ÖØ-öø-ÿŒœ]+)*")
# What a Latin token may be on an Arabic page without being English or French: a record's
# reference (HMY-2026-000012, HL-…, ENQ-…), an e-mail address, a web address or a file name.
ALLOWED_LATIN = re.compile(
    r"\b[A-Z]{2,5}-\d{4}-\d{3,6}\b"  # references
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|\bhttps?://\S+"  # web addresses
    r"|\b[\w-]+\.(?:pdf|xlsx|csv|json|zip|xml|png|jpg)\b"  # file names
    r"|\b(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{4,}\b"  # codes of letters and digits
)
# Names of products, the same in every language's interface.
PRODUCTS = {"Excel", "WhatsApp", "ODK", "KoboCollect", "Enketo", "Collect", "WinZip", "Keka"}
# An acronym in capitals (PDF, HTCDS, IOM, ODK, MAD…) is a name of its own in Arabic texts too.
ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,6}$")

NUMERIC_DATE = re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})(?![\d/])")
# A time on a 12-hour clock: AM/PM, or their Arabic ص (morning) / م (evening).
TWELVE_HOUR = re.compile(
    rf"\b\d{{1,2}}:\d{{2}}(?::\d{{2}})?[\s\u200e\u200f\u061c]*"
    rf"(?:[AaPp]\.?\s?[Mm]\.?(?![A-Za-z])|[صم](?![{ARABIC_LETTER}]))"
)


def latin_punctuation(text):
    """Latin commas, semicolons and question marks between Arabic words."""
    return [f"Latin punctuation: …{_around(text, m)}…" for m in LATIN_PUNCTUATION.finditer(text)]


def foreign_words(text, allowed_words=frozenset()):
    """Words of English or French on an Arabic page: every Latin word that is not a reference,
    an address, a file name, an acronym, or one of ``allowed_words`` (the names of people and
    other values typed in Latin script by users, which no translation touches). Consecutive
    foreign words are reported together, with the Arabic around them."""
    allowed = {
        part.casefold() for w in [*allowed_words, *PRODUCTS] for part in LATIN_WORD.findall(w)
    }
    cleaned = ALLOWED_LATIN.sub(" ", text)
    runs, current = [], []
    for m in LATIN_WORD.finditer(cleaned):
        word = m.group(0)
        acronym = all(ACRONYM.match(part) for part in re.split(r"[-'’]", word))
        if acronym or word.casefold() in allowed or len(word) < 2:
            continue
        if current and not cleaned[current[-1].end() : m.start()].strip(" \t-–—'’()·:/.,"):
            current.append(m)
        else:
            if current:
                runs.append(current)
            current = [m]
    if current:
        runs.append(current)
    return [
        "English/French text: "
        + repr(cleaned[run[0].start() : run[-1].end()])
        + f" in …{_around(cleaned, run[0], run[-1])}…"
        for run in runs
    ]


def us_dates(text, today=None):
    """Dates written the American way: month before day (a numeric date whose second part cannot
    be a month, or today's date written month first), and times on a 12-hour clock."""
    today = today or datetime.date.today()
    found = []
    for m in NUMERIC_DATE.finditer(text):
        first, second, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        month_first = second > 12 and first <= 12
        is_today_us = (first, second, year) == (today.month, today.day, today.year)
        if month_first or (is_today_us and today.day != today.month):
            found.append(f"month-first date {m.group(0)!r} in …{_around(text, m)}…")
    found += [
        f"12-hour time {m.group(0)!r} in …{_around(text, m)}…" for m in TWELVE_HOUR.finditer(text)
    ]
    return found


DEBUG_MARKERS = (
    "Traceback (most recent call last)",
    "Django tried these URL patterns",
    "You're seeing this error because you have",
    "Request Method:",
    "Exception Value:",
    "Server Error (500)",
    "TemplateSyntaxError",
    "OperationalError",
)


def debug_page(text):
    """Django's debug pages and the bare server error page."""
    return [f"debug or server error page: {marker!r}" for marker in DEBUG_MARKERS if marker in text]


def _around(text, first, last=None):
    last = last or first
    start, end = max(0, first.start() - 25), min(len(text), last.end() + 25)
    return " ".join(text[start:end].split())
