"""A record created is indexed without reading what a new record cannot have (issue 15, item
23): its blind index, blocking keys and name counts are those a full reindex writes."""

import datetime

from himaya.justice.models import Suspect
from himaya.linkage import records
from himaya.linkage.models import BlockingKey, NameFrequency
from himaya.people import actions
from himaya.people.models import PersonNameKey
from himaya.testing import factories as f


def keys(**owner):
    return sorted(BlockingKey.objects.filter(**owner).values_list("kind", "digest"))


def state(person):
    return (
        keys(person=person),
        sorted(PersonNameKey.objects.filter(person=person).values_list("digest", flat=True)),
        sorted(NameFrequency.objects.values_list("subject", "digest", "records")),
    )


def test_a_new_persons_keys_are_those_of_a_full_reindex(users, orgs):
    person = f.person(
        users["alice"],
        orgs["ngo_a"],
        given_name_ar="فاطمة",
        family_name_ar="الزهراء",
        citizenships=[f.code("country", "MA"), f.code("country", "SN")],
        contacts={"phones": ["0612345678"]},
    )
    created = state(person)
    assert created[0] and created[1]
    assert {k for k, _d in created[0]} >= {"phone", "frequency"}
    PersonNameKey.objects.filter(person=person).delete()
    with_counts = created[2]
    actions._reindex(person)  # the general path: reads the citizenships, documents, keys
    assert state(person) == (created[0], created[1], with_counts)  # nothing added or counted twice


def test_citizenships_given_as_ids_are_read_back(users, orgs):
    by_code = f.person(
        users["alice"], orgs["ngo_a"], given_name_lat="Amina", family_name_lat="Kane"
    )
    by_id = f.person(
        users["alice"],
        orgs["ngo_a"],
        given_name_lat="Amina",
        family_name_lat="Kane",
        citizenships=[f.code("country", "MA").pk],
    )
    digests = lambda p: {d for _k, d in keys(person=p)}  # noqa: E731
    assert digests(by_code) == digests(by_id)
    assert list(by_id.citizenships.values_list("code", flat=True)) == ["MA"]


def test_a_new_suspects_keys_are_those_of_a_full_reindex(users, orgs):
    suspect = Suspect.objects.create(
        registered_by=orgs["police"],
        created_by=users["carol"],
        given_name_lat="Karim",
        family_name_lat="Tazi",
        birth_date=datetime.date(1980, 1, 1),
        birth_date_precision="year",
    )
    records.index_suspect(suspect, new=True)
    created = keys(suspect=suspect)
    assert created
    records.index_suspect(suspect)
    assert keys(suspect=suspect) == created
