"""The shipped questionnaires (ILO/EC lists) and their versioning: drafts, publication,
retirement; a submitted screening keeps its version and cannot be changed."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from himaya.audit.models import AuditEvent
from himaya.screening import actions, questionnaire_data
from himaya.screening.models import (
    Dimension,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    Screening,
)

from .helpers import STRONG_LABOUR, published, start, submitted

pytestmark = pytest.mark.django_db
DOCS = {d["code"]: d for d in questionnaire_data.load_files()}
ORDER = [d.value for d in Dimension]


def sizes(doc):
    return [sum(1 for q in doc["questions"] if q["dimension"] == d) for d in ORDER]


def test_adult_labour_has_the_ilo_ec_sizes_per_dimension():
    assert sizes(DOCS["adult_labour"]) == [10, 10, 16, 9, 15, 7]


def test_every_shipped_list_covers_six_dimensions_in_three_languages(figure):
    assert set(DOCS) == {"adult_labour", "adult_sexual", "child"}
    total = 0
    for code, doc in DOCS.items():
        assert all(n > 0 for n in sizes(doc)), code
        for q in doc["questions"]:
            total += 1
            assert q["dimension"] in ORDER
            assert q["strength"] in {"strong", "medium", "weak"}
            assert q["element"] in {"act", "means", "purpose"}
            assert q["indicator_en"]
            for lang in ("ar", "fr", "en"):
                assert q["text"][lang].strip(), (code, q["indicator"], lang)
            assert q["text"]["en"].endswith("?") and q["text"]["fr"].endswith("?")
            assert q["text"]["ar"].endswith("؟")
            # Arabic text is in Arabic script; French and English are not.
            assert any("\u0600" <= ch <= "\u06ff" for ch in q["text"]["ar"])
            assert not any("\u0600" <= ch <= "\u06ff" for ch in q["text"]["fr"])
        assert all(doc["title"][lang] for lang in ("ar", "fr", "en"))
    figure(f"screening: {total} questions shipped in 3 lists × 3 languages")


def test_weights_follow_the_publication():
    """Spot checks of the ILO/EC weights that differ between lists."""

    def strength(code, dim, ind):
        return next(
            q["strength"]
            for q in DOCS[code]["questions"]
            if q["dimension"] == dim and q["indicator"] == ind
        )

    assert strength("adult_labour", "exploitation", "excessive_hours") == "strong"
    assert strength("adult_sexual", "exploitation", "excessive_hours") == "medium"
    assert strength("adult_labour", "coercive_recruitment", "debt") == "medium"
    assert strength("adult_labour", "coercion_destination", "debt") == "strong"
    assert strength("adult_sexual", "coercion_destination", "forced_tasks") == "strong"
    assert strength("adult_labour", "coercion_destination", "forced_tasks") == "medium"
    assert strength("child", "deceptive_recruitment", "education") == "strong"
    assert strength("adult_labour", "deceptive_recruitment", "education") == "weak"
    assert not any(q["strength"] == "weak" for q in DOCS["child"]["questions"])
    exploitation = [
        q for q in DOCS["adult_sexual"]["questions"] if q["dimension"] == "exploitation"
    ]
    assert not any(q["strength"] == "strong" for q in exploitation)
    # Every recruitment and destination indicator is a means, exploitation ones the purpose.
    for doc in DOCS.values():
        for q in doc["questions"]:
            assert q["element"] == ("purpose" if q["dimension"] == "exploitation" else "means")


def test_the_migration_published_the_shipped_lists():
    for code, doc in DOCS.items():
        q = published(code)
        assert q.version == 1 and q.published_at is not None
        assert q.questions.count() == len(doc["questions"])
        assert q.shipped_digest == questionnaire_data.digest(doc)
    labour = published("adult_labour")
    assert [labour.questions.filter(dimension=d).count() for d in ORDER] == [10, 10, 16, 9, 15, 7]


def test_malformed_files_are_refused(tmp_path):
    doc = json.loads(json.dumps(DOCS["child"]))
    doc["questions"][3]["text"]["ar"] = " "
    doc["questions"][4]["strength"] = "very strong"
    (tmp_path / "child.json").write_text(json.dumps(doc))
    with pytest.raises(ValueError, match="text in ar is missing.*unknown strength"):
        questionnaire_data.load_files(tmp_path)


def test_loadquestionnaires_is_idempotent_and_turns_a_change_into_a_draft(tmp_path, capsys):
    call_command("loadquestionnaires")
    assert Questionnaire.objects.count() == 3
    changed = json.loads(json.dumps(DOCS["adult_labour"]))
    changed["questions"][0]["text"]["fr"] = "Vous a-t-on trompé(e) sur l'emploi ?"
    (tmp_path / "adult_labour.json").write_text(json.dumps(changed))
    published_, drafted, _skipped = questionnaire_data.sync(
        Questionnaire, Question, now=timezone.now(), directory=tmp_path
    )
    assert (published_, drafted) == ([], ["adult_labour"])
    draft = Questionnaire.objects.get(code="adult_labour", status=QuestionnaireStatus.DRAFT)
    assert draft.version == 2 and draft.based_on == published("adult_labour")
    # The published version is untouched until an administrator publishes the draft.
    assert published("adult_labour").version == 1
    again = questionnaire_data.sync(Questionnaire, Question, now=timezone.now(), directory=tmp_path)
    assert again == ([], [], [])


def test_new_version_edit_publish_retires_the_old_one(users):
    root = users["root"]
    v1 = published("adult_labour")
    draft = actions.new_version(v1, acting_user=root)
    assert (draft.version, draft.status) == (2, QuestionnaireStatus.DRAFT)
    assert draft.questions.count() == v1.questions.count()
    with pytest.raises(ValidationError):
        actions.new_version(v1, acting_user=root)  # one draft at a time
    q = draft.questions.get(dimension="exploitation", indicator="low_salary")
    actions.save_question(draft, acting_user=root, question=q, strength="strong")
    actions.save_question(
        draft,
        acting_user=root,
        dimension="exploitation",
        indicator="no_rest_day",
        strength="medium",
        element="purpose",
        order=999,
        text_ar="هل تُحرم من يوم الراحة الأسبوعية؟",
        text_fr="Êtes-vous privé(e) de jour de repos ?",
        text_en="Are you denied a weekly rest day?",
    )
    with pytest.raises(ValidationError):
        actions.save_question(  # the same indicator key twice in a dimension
            draft,
            acting_user=root,
            dimension="exploitation",
            indicator="no_rest_day",
            strength="weak",
            element="purpose",
            order=1000,
            text_ar="؟",
            text_fr="?",
            text_en="?",
        )
    actions.publish(draft, acting_user=root)
    v1.refresh_from_db()
    draft.refresh_from_db()
    assert v1.status == QuestionnaireStatus.RETIRED and v1.retired_at is not None
    assert draft.status == QuestionnaireStatus.PUBLISHED and draft.published_by == root
    assert v1.questions.get(indicator="low_salary", dimension="exploitation").strength == "medium"
    assert AuditEvent.objects.filter(action="publish_questionnaire").count() == 1
    # published and retired versions are frozen
    with pytest.raises(ValidationError):
        actions.save_question(draft, acting_user=root, question=draft.questions.first(), order=1)
    with pytest.raises(ValidationError):
        actions.delete_question(v1.questions.first(), acting_user=root)


def test_only_system_administrators_version_questionnaires(users):
    v1 = published("child")
    for name in ("alice", "carol", "ana", "olivia", "charlie"):
        with pytest.raises(PermissionDenied):
            actions.new_version(v1, acting_user=users[name])
    assert Questionnaire.objects.filter(code="child").count() == 1


def test_publishing_needs_every_dimension(users):
    root = users["root"]
    draft = actions.new_version(published("child"), acting_user=root)
    for q in draft.questions.filter(dimension="vulnerability_destination"):
        actions.delete_question(q, acting_user=root)
    with pytest.raises(ValidationError, match="abuse of vulnerability at destination"):
        actions.publish(draft, acting_user=root)


def test_a_submitted_screening_keeps_its_version_and_cannot_be_edited(users, orgs):
    carol, root = users["carol"], users["root"]
    done = submitted(carol, orgs["police"])
    draft_screening = start(carol, orgs["police"], answers={"exploitation.low_salary": "yes"})
    v2 = actions.new_version(published("adult_labour"), acting_user=root)
    actions.publish(v2, acting_user=root)
    done.refresh_from_db()
    draft_screening.refresh_from_db()
    assert done.questionnaire.version == 1 and done.questionnaire.status == "retired"
    assert draft_screening.questionnaire.version == 1  # a draft goes on with its version
    before = (done.answers, done.result, done.recommendation, done.version)
    with pytest.raises(ValidationError, match="cannot be changed"):
        actions.save_answers(done, acting_user=carol, answers={"exploitation.low_salary": "no"})
    with pytest.raises(ValidationError):
        actions.submit_screening(done, acting_user=carol)
    with pytest.raises(ValidationError):
        actions.update_details(done, acting_user=carol, expected_version=done.version, alias="x")
    with pytest.raises(ValidationError):
        actions.discard_screening(done, acting_user=carol)
    done.refresh_from_db()
    assert (done.answers, done.result, done.recommendation, done.version) == before
    # New screenings use the new version; a correction too, with the answers carried over.
    assert start(carol, orgs["police"]).questionnaire == v2
    correction = actions.start_correction(done, acting_user=carol)
    assert correction.questionnaire == v2 and correction.corrects == done
    assert correction.answers == STRONG_LABOUR
    # A retired version can be read but no screening starts on it.
    with pytest.raises(ValidationError):
        actions.start_screening(
            acting_user=carol,
            organisation=orgs["police"],
            questionnaire=Questionnaire.objects.get(code="adult_labour", version=1),
            alias="x",
        )
    assert Screening.objects.filter(questionnaire__version=1).count() == 2
    assert Screening.objects.filter(questionnaire=v2).count() == 2


# --- pages ----------------------------------------------------------------------------------------


def test_questionnaire_pages_for_members_and_administrators(users, login):
    v1 = published("adult_sexual")
    for name in ("alice", "carol", "ana", "olivia", "root"):
        client = login(users[name])
        assert client.get(reverse("screening:questionnaire_list")).status_code == 200
        page = client.get(reverse("screening:questionnaire_detail", args=[v1.pk]))
        assert page.status_code == 200
        assert "Deceived about the nature of the job" in page.content.decode()
    charlie = login(users["charlie"])
    assert charlie.get(reverse("screening:questionnaire_list")).status_code == 404
    assert charlie.get(reverse("screening:questionnaire_detail", args=[v1.pk])).status_code == 404


def test_versioning_pages(users, login):
    root = login(users["root"])
    v1 = published("adult_sexual")
    r = root.post(reverse("screening:questionnaire_new_version", args=[v1.pk]))
    draft = Questionnaire.objects.get(code="adult_sexual", status="draft")
    assert r.status_code == 302 and r["Location"].endswith(f"/questionnaires/{draft.pk}/")
    q = draft.questions.first()
    url = reverse("screening:question_edit", args=[draft.pk, q.pk])
    assert root.get(url).status_code == 200
    data = {
        "dimension": q.dimension,
        "indicator": q.indicator,
        "indicator_en": q.indicator_en,
        "strength": "medium",
        "element": q.element,
        "order": q.order,
        "text_ar": q.text_ar,
        "text_fr": q.text_fr,
        "text_en": "Were you lied to about the job?",
    }
    assert root.post(url, data).status_code == 302
    q.refresh_from_db()
    assert q.text_en == "Were you lied to about the job?" and q.strength == "medium"
    bad = root.post(url, {**data, "strength": "huge", "indicator": "no spaces allowed"})
    assert bad.status_code == 400
    assert root.post(reverse("screening:questionnaire_publish", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    # The published version can no longer be edited through the pages.
    assert root.get(url).status_code == 404
    # Others cannot reach the versioning pages.
    alice = login(users["alice"])
    assert (
        alice.post(reverse("screening:questionnaire_new_version", args=[draft.pk])).status_code
        == 404
    )
    assert Questionnaire.objects.filter(code="adult_sexual").count() == 2


def test_draft_pages_edit_add_delete_and_discard(users, login):
    root = login(users["root"])
    v1 = published("child")
    draft = actions.new_version(v1, acting_user=users["root"])
    edit = reverse("screening:questionnaire_edit", args=[draft.pk])
    assert root.get(edit).status_code == 200
    titles = {f"title_{lang}": getattr(draft, f"title_{lang}") for lang in ("ar", "fr", "en")}
    assert root.post(edit, {**titles, "title_fr": ""}).status_code == 400
    assert root.post(edit, {**titles, "title_en": "Children, v2"}).status_code == 302
    draft.refresh_from_db()
    assert draft.title_en == "Children, v2"
    add = reverse("screening:question_create", args=[draft.pk])
    assert root.get(add).status_code == 200
    data = {
        "dimension": "exploitation",
        "indicator": "night_work",
        "strength": "medium",
        "element": "purpose",
        "order": 500,
        "text_ar": "هل يتم تشغيلك ليلاً؟",
        "text_fr": "Vous fait-on travailler la nuit ?",
        "text_en": "Are you made to work at night?",
    }
    assert root.post(add, data).status_code == 302
    question = draft.questions.get(indicator="night_work")
    assert root.post(add, data).status_code == 400  # the same key twice
    delete = reverse("screening:question_delete", args=[draft.pk, question.pk])
    assert root.post(delete).status_code == 302
    assert not draft.questions.filter(indicator="night_work").exists()
    # the published version's questions cannot be reached through a draft's URL
    other = v1.questions.first()
    assert (
        root.post(reverse("screening:question_delete", args=[draft.pk, other.pk])).status_code
        == 404
    )
    r = root.post(reverse("screening:questionnaire_discard", args=[draft.pk]))
    assert r["Location"] == reverse("screening:questionnaire_detail", args=[v1.pk])
    assert not Questionnaire.objects.filter(pk=draft.pk).exists()
    assert v1.questions.filter(pk=other.pk).exists()
