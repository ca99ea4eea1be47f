"""Every write and every read of an identity is audited; the trail is append-only (S15)."""

import pytest
from django.db import DatabaseError, connection, transaction

from himaya.audit import log
from himaya.audit.models import AccessEvent, AppendOnlyError, AuditEvent
from himaya.cases import actions as case_actions
from himaya.testing import factories as f


def test_n_writes_leave_n_audit_rows_with_who_what_where(users, orgs, figure):
    alice = users["alice"]
    before = AuditEvent.objects.count()
    dossier = f.dossier(alice, orgs["ngo_a"])  # create_person + open_dossier
    case_actions.add_note(dossier, acting_user=alice, text="premier entretien")
    case_actions.change_stage(dossier, acting_user=alice, stage="presumed")
    rows = list(AuditEvent.objects.order_by("id")[before:])
    assert [r.action for r in rows] == ["create_person", "open_dossier", "add_note", "change_stage"]
    for row in rows:
        assert row.actor_id == alice.pk and row.organisation_id == orgs["ngo_a"].pk
        assert row.object_type and row.object_id and row.changed_fields
    figure(
        f"S15: 4 writes → {len(rows)} audit rows, each with actor, organisation, action, "
        "object and changed fields"
    )


def test_audit_rows_hold_no_personal_data(users, orgs):
    f.person(users["alice"], orgs["ngo_a"], given_name_lat="Canaryname", family_name_lat="Zed")
    dump = " ".join(str(v) for row in AuditEvent.objects.values() for v in row.values())
    assert "Canaryname" not in dump


def test_the_orm_refuses_to_change_or_delete_audit_rows(users):
    row = log.write(users["alice"], "test", users["alice"])
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=row.pk).update(action="forged")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()


@pytest.mark.parametrize("table", ["audit_auditevent", "audit_accessevent"])
def test_the_database_refuses_raw_updates_and_deletes(users, table, figure):
    log.write(users["alice"], "test", users["alice"])
    log.read(users["alice"], 1, users["alice"], "identity")
    refused = 0
    for sql in (f"UPDATE {table} SET object_type = 'forged'", f"DELETE FROM {table}"):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
        except DatabaseError:
            refused += 1
    figure(
        f"S15: raw SQL on {table}: {refused} of 2 tampering statements refused "
        f"({connection.vendor})"
    )
    assert refused == 2
