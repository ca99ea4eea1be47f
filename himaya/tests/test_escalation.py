"""No self-escalation through the API or the person and dossier forms (S8): fields that say
who owns a record, who registered it, its version or a user's rights are never taken from
input."""

from django.urls import reverse

from himaya.accounts.models import Membership
from himaya.cases.models import Dossier
from himaya.people.models import Person
from himaya.testing import factories as f


def _smuggled(users, orgs):
    """Ownership, rights, a forged reference and a creation date, none of them the user's to
    set."""
    return {
        "owner_org": orgs["ngo_b"].pk,
        "registered_by": orgs["ngo_b"].pk,
        "reference": "HMY-FORGED",
        "is_staff": True,
        "is_superuser": True,
        "role": "org_admin",
        "organisation": orgs["ngo_b"].pk,
        "user": users["bob"].pk,
        "created_at": "2000-01-01T00:00:00Z",
    }


def _attempts(client, dossier, person, smuggled):
    """The API's dossier and person updates, its person creation and the person form."""
    return [
        client.patch(
            f"/api/dossiers/{dossier.pk}/",
            {"version": dossier.version, **smuggled},
            content_type="application/json",
        ),
        client.patch(
            f"/api/persons/{person.pk}/",
            {"version": person.version, **smuggled},
            content_type="application/json",
        ),
        client.post(
            "/api/persons/",
            {"given_name_lat": "Samira", **smuggled},
            content_type="application/json",
        ),
        client.post(
            reverse("people:edit", args=[person.pk]),
            {
                "version": person.version,
                "given_name_lat": "Fatima",
                "birth_date_precision": "unknown",
                **smuggled,
            },
        ),
    ]


def _changes(alice, dossier, person, orgs):
    """What the smuggled fields changed, by name (nothing, when input is filtered)."""
    dossier = Dossier.objects.get(pk=dossier.pk)
    person = Person.objects.get(pk=person.pk)
    alice.refresh_from_db()
    changed = []
    if dossier.owner_org != orgs["ngo_a"] or dossier.reference == "HMY-FORGED":
        changed.append("dossier owner or reference")
    if person.registered_by != orgs["ngo_a"]:
        changed.append("person registered_by")
    if alice.is_staff or alice.is_superuser:
        changed.append("alice's flags")
    if set(Membership.objects.filter(user=alice).values_list("role", "organisation")) != {
        ("caseworker", orgs["ngo_a"].pk)
    }:
        changed.append("alice's memberships")
    if Person.objects.filter(registered_by=orgs["ngo_b"]).exists():
        changed.append("a person created for another organisation")
    return changed


def test_mass_assignment_changes_nothing(users, orgs, login, figure):
    alice = users["alice"]
    dossier = f.dossier(alice, orgs["ngo_a"])
    person = dossier.person
    attempts = _attempts(login(alice), dossier, person, _smuggled(users, orgs))
    changed = _changes(alice, dossier, person, orgs)
    statuses = [a.status_code for a in attempts]
    figure(
        f"S8: {len(attempts)} requests smuggling ownership, rights and versions through the "
        f"API and forms (answers {statuses}) → {len(changed)} changes persisted"
    )
    assert all(s < 500 for s in statuses)
    assert changed == []
