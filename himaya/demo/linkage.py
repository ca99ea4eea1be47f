"""The demo's linkage: three persons met by the police of Tangier are recorded again by the
Nour association, the way agencies write names (Arabic only, another Latin spelling, the family
name missing); the batch de-duplication finds them, and the linkage desk has linked one pair,
asked the organisations about another and left the last to decide. So the desk, the "also
recorded elsewhere" notice and the questions page all have something to show."""

from himaya.cases import actions as case_actions
from himaya.linkage import actions, dedupe
from himaya.linkage.models import BatchRun, CandidatePair, PairStatus
from himaya.people import actions as people_actions
from himaya.people.models import Person


def _variants(person):
    """Three ways the NGO writes the same person's name."""
    return [
        {"given_name_ar": person.given_name_ar, "family_name_ar": person.family_name_ar},
        {
            "given_name_lat": person.given_name_lat,
            "family_name_lat": _respelled(person.family_name_lat),
        },
        {"given_name_lat": person.given_name_lat, "given_name_ar": person.given_name_ar},
    ]


def _respelled(name):
    """Another Latin spelling: a doubled consonant single, or a single one doubled."""
    for i in range(1, len(name) - 1):
        if name[i] == name[i + 1]:
            return name[:i] + name[i + 1 :]
    for i in range(1, len(name) - 1):
        if name[i] not in "aeiouy" and name[i - 1] in "aeiou":
            return name[: i + 1] + name[i] + name[i + 1 :]
    return name


def load(orgs, users, codes, anchor, rng):
    police, ngo = orgs["police_tanger"], orgs["ngo_nour"]
    caseworker = users["caseworker"]
    met = [
        p
        for p in Person.objects.filter(registered_by=police)
        .exclude(given_name_ar="")
        .exclude(given_name_lat="")
        .exclude(family_name_lat="")
        .select_related("sex")
        .prefetch_related("citizenships")
        .order_by("pk")
        if p.birth_date
    ]
    chosen = rng.sample(met, min(3, len(met)))  # a small demo (tests) may have fewer
    for index, person in enumerate(chosen):
        names = _variants(person)[index]
        again = people_actions.create_person(
            acting_user=caseworker,
            organisation=ngo,
            sex=person.sex,
            birth_date=person.birth_date,
            birth_date_precision=person.birth_date_precision,
            citizenships=list(person.citizenships.all()),
            **names,
        )
        case_actions.open_dossier(
            again,
            acting_user=caseworker,
            organisation=ngo,
            forms=[codes("exploitation_form", "labour")],
            opened_on=anchor,
        )
    run = dedupe.execute(BatchRun.objects.create(started_by=users["linkage"]).pk)
    officer = users["linkage"]
    ours = list(
        CandidatePair.objects.filter(right_person__registered_by=ngo, status=PairStatus.OPEN)
        .select_related("left_person", "right_person")
        .order_by("pk")
    )
    if ours:
        actions.link_pair(ours[0], acting_user=officer, note="نفس تاريخ الازدياد ونفس الاسم.")
    if len(ours) > 1:
        actions.ask_owners(
            ours[1],
            acting_user=officer,
            text="هل أحالت شرطة طنجة هذا الشخص؟",
        )
    return {"linkage_pairs": run.pairs_proposed, "linkage_links": 1 if ours else 0}
