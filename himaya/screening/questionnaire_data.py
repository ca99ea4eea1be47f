"""The shipped questionnaires (``questionnaires/*.json``), loaded by a data migration and by
``himaya loadquestionnaires``.

A questionnaire code that does not exist yet is created as published version 1. When a shipped
file changes later, its new content becomes a *draft* next version, for a system administrator
to review and publish: a shipped update never replaces a published version by itself, nor one
an administrator made. Works with the migration's historical models (plain fields only).
"""

import hashlib
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "questionnaires"
LANGUAGES = ("ar", "fr", "en")
DIMENSIONS = (
    "deceptive_recruitment",
    "coercive_recruitment",
    "vulnerability_recruitment",
    "exploitation",
    "coercion_destination",
    "vulnerability_destination",
)
CODES = ("adult_labour", "adult_sexual", "child")


def load_files(directory=DATA_DIR):
    docs = []
    for path in sorted(Path(directory).glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        validate(doc, path.name)
        docs.append(doc)
    return docs


def validate(doc, name="questionnaire"):
    """Refuse a malformed file loudly: it would otherwise ship a broken interview."""
    problems = []
    if doc.get("code") not in CODES:
        problems.append(f"unknown code {doc.get('code')!r}")
    if doc.get("target") not in ("adult", "child"):
        problems.append("target must be adult or child")
    for lang in LANGUAGES:
        if not doc.get("title", {}).get(lang, "").strip():
            problems.append(f"title in {lang} is missing")
    seen = set()
    for n, q in enumerate(doc.get("questions", []), 1):
        key = (q.get("dimension"), q.get("indicator"))
        if key in seen:
            problems.append(f"question {n}: {key} appears twice")
        seen.add(key)
        if q.get("dimension") not in DIMENSIONS:
            problems.append(f"question {n}: unknown dimension {q.get('dimension')!r}")
        if q.get("strength") not in ("strong", "medium", "weak"):
            problems.append(f"question {n}: unknown strength {q.get('strength')!r}")
        if q.get("element") not in ("act", "means", "purpose"):
            problems.append(f"question {n}: unknown element {q.get('element')!r}")
        for lang in LANGUAGES:
            if not q.get("text", {}).get(lang, "").strip():
                problems.append(f"question {n}: text in {lang} is missing")
    if not doc.get("questions"):
        problems.append("no questions")
    if problems:
        raise ValueError(f"{name}: " + "; ".join(problems))


def digest(doc):
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode("utf-8")).hexdigest()


def _create(Questionnaire, Question, doc, *, version, status, now, based_on=None):
    fields = {f"title_{lang}": doc["title"][lang] for lang in LANGUAGES}
    fields.update({f"intro_{lang}": doc.get("intro", {}).get(lang, "") for lang in LANGUAGES})
    questionnaire = Questionnaire.objects.create(
        code=doc["code"],
        version=version,
        status=status,
        target=doc["target"],
        source=doc.get("source", ""),
        shipped_digest=digest(doc),
        based_on=based_on,
        created_at=now,
        updated_at=now,
        published_at=now if status == "published" else None,
        **fields,
    )
    Question.objects.bulk_create(
        [
            Question(
                questionnaire=questionnaire,
                order=(n + 1) * 10,
                dimension=q["dimension"],
                indicator=q["indicator"],
                indicator_en=q.get("indicator_en", ""),
                strength=q["strength"],
                element=q["element"],
                **{f"text_{lang}": q["text"][lang] for lang in LANGUAGES},
            )
            for n, q in enumerate(doc["questions"])
        ]
    )
    return questionnaire


def sync(Questionnaire, Question, now, directory=DATA_DIR):
    """Bring the shipped questionnaires in. Returns (published, drafted, skipped) code lists."""
    published, drafted, skipped = [], [], []
    for doc in load_files(directory):
        versions = Questionnaire.objects.filter(code=doc["code"])
        if not versions.exists():
            _create(Questionnaire, Question, doc, version=1, status="published", now=now)
            published.append(doc["code"])
        elif versions.filter(shipped_digest=digest(doc)).exists():
            continue
        elif versions.filter(status="draft").exists():
            skipped.append(doc["code"])  # an administrator's draft is under way: theirs first
        else:
            latest = versions.order_by("-version").first()
            current = versions.filter(status="published").first()
            _create(
                Questionnaire,
                Question,
                doc,
                version=latest.version + 1,
                status="draft",
                now=now,
                based_on=current,
            )
            drafted.append(doc["code"])
    return published, drafted, skipped
