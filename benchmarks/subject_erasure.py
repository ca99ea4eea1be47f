"""S21: what an erasure's search for mentions costs per stored text (subjects/mentions.py).

An erasure reads every encrypted text of the database once (decrypt, then look for the person's
full name, phones, document numbers and e-mails). This times that per value, on synthetic notes
(seed fixed), without the database: decryption plus the search, for texts that do not name the
person (almost all of them) and for texts that do. Multiply by the number of encrypted values
held to estimate an erasure's time.

    .venv/bin/python benchmarks/subject_erasure.py --values 20000
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "himaya.settings")

import django  # noqa: E402

django.setup()

from himaya.core import crypto  # noqa: E402
from himaya.people.models import Person  # noqa: E402
from himaya.subjects.mentions import Mentions  # noqa: E402

WORDS = [
    "the",
    "caseworker",
    "met",
    "her",
    "at",
    "the",
    "shelter",
    "and",
    "she",
    "said",
    "that",
    "work",
    "was",
    "hard",
    "wages",
    "were",
    "not",
    "paid",
    "documents",
    "were",
    "kept",
    "by",
    "the",
    "employer",
    "who",
    "threatened",
    "to",
    "call",
    "the",
    "police",
    "family",
    "in",
    "Rabat",
]


def note(rng, naming):
    words = [rng.choice(WORDS) for _ in range(rng.randint(20, 120))]
    if naming:
        words.insert(rng.randrange(len(words)), "Zoubida Qarmouchi")
    return " ".join(words)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--values", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    person = Person(
        given_name_lat="Zoubida",
        family_name_lat="Qarmouchi",
        given_name_ar="زبيدة",
        family_name_ar="قرموشي",
        contacts={"phones": ["+212 661 234 567"], "emails": ["zoubida.q@example.org"]},
    )
    mentions = Mentions(person, documents=["ZX9876543"])
    print(f"{'texts':>14} {'values':>8} {'decrypt µs':>11} {'search µs':>10} {'total µs':>9}")
    for label, naming in (("not naming", False), ("naming", True)):
        tokens = [crypto.encrypt(note(rng, naming)) for _ in range(args.values)]
        start = time.perf_counter()
        plain = [crypto.decrypt(t) for t in tokens]
        decrypted = time.perf_counter()
        changed = sum(mentions.scrub(p) != p for p in plain)
        searched = time.perf_counter()
        assert changed == (args.values if naming else 0)
        d = (decrypted - start) / args.values * 1e6
        s = (searched - decrypted) / args.values * 1e6
        print(f"{label:>14} {args.values:>8} {d:>11.1f} {s:>10.1f} {d + s:>9.1f}")


if __name__ == "__main__":
    main()
