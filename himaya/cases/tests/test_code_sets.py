"""What HTCDS records of a case beside its forms (types of sexual exploitation, industries,
methods of recruitment and of control, vulnerabilities): opened and edited on the dossier's
form through the dossier actions, audited, shown on its page (the sexual exploitation details
and vulnerabilities at the identity level only, S5); a code of another list is refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from himaya.audit.models import AuditEvent
from himaya.cases import actions
from himaya.cases.models import Dossier
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db


def codes(dossier, name):
    return sorted(c.code for c in getattr(dossier, name).all())


def test_opened_and_edited_on_the_form_audited_and_shown(users, orgs, login):
    person = f.person(users["alice"], orgs["ngo_a"], given_name_lat="Awa")
    client = login(users["alice"])
    data = {
        "organisation": orgs["ngo_a"].pk,
        "opened_on": "2024-02-01",
        "forms": [
            f.code("exploitation_form", "sexual").pk,
            f.code("exploitation_form", "labour").pk,
        ],
        "sex_exploitation_types": [f.code("sex_exploitation", "prostitution").pk],
        "industries": [f.code("industry", "A").pk, f.code("industry", "T").pk],
        "recruitment_methods": [f.code("recruitment_method", "business").pk],
        "control_methods": [
            f.code("control_method", c).pk for c in ("debt_bondage", "withholds_documents")
        ],
        "vulnerabilities": [f.code("vulnerability", "poverty").pk],
    }
    response = client.post(reverse("cases:create") + f"?person={person.pk}", data)
    assert response.status_code == 302
    dossier = Dossier.objects.get(person=person)
    assert codes(dossier, "industries") == ["A", "T"]
    assert codes(dossier, "recruitment_methods") == ["business"]
    assert codes(dossier, "control_methods") == ["debt_bondage", "withholds_documents"]
    assert codes(dossier, "vulnerabilities") == ["poverty"]
    assert codes(dossier, "sex_exploitation_types") == ["prostitution"]
    opened = AuditEvent.objects.get(action="open_dossier", object_id=str(dossier.pk))
    assert set(actions.CODE_SETS) <= set(opened.changed_fields)

    edit = reverse("cases:edit", args=[dossier.pk])
    initial = client.get(edit).context["form"].initial
    assert initial["vulnerabilities"] == data["vulnerabilities"]
    changed = dict(
        data, version=initial["version"], vulnerabilities=[], industries=data["industries"][:1]
    )
    assert client.post(edit, changed).status_code == 302
    dossier.refresh_from_db()
    assert codes(dossier, "vulnerabilities") == [] and codes(dossier, "industries") == ["A"]
    updated = AuditEvent.objects.get(action="update_dossier", object_id=str(dossier.pk))
    assert sorted(updated.changed_fields) == ["industries", "vulnerabilities"]

    client.post(reverse("accounts:set_language"), {"language": "fr"})
    html = client.get(reverse("cases:detail", args=[dossier.pk])).content.decode()
    assert f.code("industry", "A").label_fr in html
    assert f.code("recruitment_method", "business").label_fr in html


def test_analyst_sees_the_case_facts_but_not_the_sensitive_ones(users, orgs, login):
    dossier = f.dossier(
        users["alice"],
        orgs["ngo_a"],
        forms=("sexual",),
        sex_exploitation_types=[f.code("sex_exploitation", "pornography")],
        industries=[f.code("industry", "C")],
        vulnerabilities=[f.code("vulnerability", "mental_health")],
        opened_on=datetime.date(2024, 1, 5),
    )
    owner = login(users["alice"]).get(reverse("cases:detail", args=[dossier.pk]))
    for testid in ("industries", "sex-exploitation-types", "vulnerabilities"):
        assert f'data-testid="{testid}"' in owner.content.decode()
    analyst = login(users["ana"]).get(reverse("cases:detail", args=[dossier.pk]))
    html = analyst.content.decode()
    assert analyst.status_code == 200 and 'data-testid="industries"' in html
    assert 'data-testid="sex-exploitation-types"' not in html
    assert 'data-testid="vulnerabilities"' not in html


def test_a_code_of_another_list_is_refused(users, orgs, login):
    dossier = f.dossier(users["alice"], orgs["ngo_a"])
    with pytest.raises(ValidationError) as exc:
        actions.update_dossier(
            dossier,
            acting_user=users["alice"],
            expected_version=dossier.version,
            vulnerabilities=[f.code("industry", "A")],
        )
    assert "vulnerabilities" in exc.value.message_dict
    client = login(users["alice"])
    edit = reverse("cases:edit", args=[dossier.pk])
    data = {
        "version": dossier.version,
        "opened_on": dossier.opened_on.isoformat(),
        "forms": [c.pk for c in dossier.forms.all()],
        "control_methods": [f.code("industry", "A").pk],
    }
    response = client.post(edit, data)
    assert response.status_code == 400
    assert codes(Dossier.objects.get(pk=dossier.pk), "control_methods") == []
