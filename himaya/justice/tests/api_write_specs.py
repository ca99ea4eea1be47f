"""The API write cases of test_api_writes.py, one function per endpoint: the actor, the method
and URL, a good payload, the bad ones, the audit action, the justice members refused besides
the outsiders, and a check after the success."""

from himaya.justice import actions as ja
from himaya.justice.models import (
    Appeal,
    Investigation,
    InvestigationStatus,
    Participation,
    Prosecution,
    Sentence,
    Suspect,
    SuspectEvent,
)
from himaya.testing import factories as f

from .conftest import days_ago


def convict_first_charge(case, users):
    """Paula records a conviction on the first charge."""
    return ja.record_decision(
        case["c1"], acting_user=users["paula"], outcome="convicted", decided_on=days_ago(10)
    )


def report_passed_to_police(users, orgs):
    from himaya.hotline import actions as hotline_actions

    report = hotline_actions.record_report(
        acting_user=users["harry"],
        organisation=orgs["hotline"],
        channel="call",
        caller_type="witness",
        urgency="normal",
        narrative="Travail forcé dans une ferme.",
    )
    report.refresh_from_db()
    hotline_actions.triage_pass_to_police(
        report,
        acting_user=users["harry"],
        expected_version=report.version,
        organisation=orgs["police"],
    )
    return report


def _investigation_update(case, users, orgs, open_inv):
    """PATCH the investigation: its forms and its opening day."""
    inv = case["inv"]
    inv.refresh_from_db()
    v = inv.version
    return dict(
        actor="carol",
        method="patch",
        url=f"/api/investigations/{inv.pk}/",
        good={
            "forms": ["labour", "sexual"],
            "opened_on": days_ago(95).isoformat(),
            "version": v,
        },
        bad=[
            ({"opened_on": days_ago(10).isoformat(), "version": v}, "opened_on"),
            ({"forms": ["nope"], "version": v}, "forms"),
            ({"region": 5, "version": v}, "region"),
            ({"forms": ["labour"]}, "version"),
        ],
        audit="update_investigation",
        refused=("paula", "cole"),
        check=lambda: inv.forms.count() == 2,
    )


def _investigation_transfer(case, users, orgs, open_inv):
    """Transfer the open investigation to the prosecution office."""
    return dict(
        actor="carol",
        method="post",
        url=f"/api/investigations/{open_inv.pk}/transfer/",
        good={"office": orgs["parquet"].pk, "on": days_ago(1).isoformat()},
        bad=[
            ({"office": orgs["ngo_a"].pk, "on": days_ago(1).isoformat()}, "office"),
            ({"office": orgs["parquet"].pk, "on": "2999-01-01"}, "on"),
            ({"office": orgs["parquet"].pk, "on": days_ago(40).isoformat()}, "on"),
            ({"office": "x", "on": "y"}, "office"),
        ],
        audit="transfer_investigation",
        refused=("paula", "cole"),
        check=lambda: (
            Investigation.objects.get(pk=open_inv.pk).status == InvestigationStatus.TRANSFERRED
        ),
    )


def _investigation_send_back(case, users, orgs, open_inv):
    """The office sends the investigation transferred to it back to the police."""
    ja.transfer_investigation(
        open_inv, acting_user=users["carol"], office=orgs["parquet"], on=days_ago(3)
    )
    return dict(
        actor="paula",
        method="post",
        url=f"/api/investigations/{open_inv.pk}/send-back/",
        good={"reason": "Another office's competence", "on": days_ago(1).isoformat()},
        bad=[
            ({"reason": " ", "on": days_ago(1).isoformat()}, "reason"),
            ({"reason": "x", "on": "2999-01-01"}, "on"),
            ({"reason": "x", "on": days_ago(10).isoformat()}, "on"),
            ({"on": days_ago(1).isoformat()}, "reason"),
        ],
        audit="return_investigation",
        refused=("carol", "cole"),
        check=lambda: Investigation.objects.get(pk=open_inv.pk).status == InvestigationStatus.OPEN,
    )


def _investigation_close(case, users, orgs, open_inv):
    """Close the open investigation."""
    return dict(
        actor="carol",
        method="post",
        url=f"/api/investigations/{open_inv.pk}/close/",
        good={"on": days_ago(1).isoformat()},
        bad=[
            ({"on": "2999-01-01"}, "on"),
            ({"on": days_ago(40).isoformat()}, "on"),
            ({}, "on"),
        ],
        audit="close_investigation",
        refused=("paula",),
        check=lambda: (
            Investigation.objects.get(pk=open_inv.pk).status == InvestigationStatus.CLOSED
        ),
    )


def _dossier_link(case, users, orgs, open_inv):
    """Link another dossier of the police to the investigation."""
    inv = case["inv"]
    mine = f.dossier(users["carol"], orgs["police"])
    theirs = f.dossier(users["alice"], orgs["ngo_a"])
    return dict(
        actor="carol",
        method="post",
        url=f"/api/investigations/{inv.pk}/dossiers/",
        good={"dossier": mine.pk},
        bad=[
            ({"dossier": case["dossier"].pk}, "dossier"),  # already linked
            ({"dossier": theirs.pk}, "dossier"),  # not seen with its identity
            ({"dossier": 0}, "dossier"),
        ],
        audit="link_dossier",
        refused=("cole",),
        check=lambda: inv.dossier_links.filter(dossier=mine).exists(),
    )


def _dossier_unlink(case, users, orgs, open_inv):
    """Unlink a dossier; the victim's stays linked while she takes part in a prosecution."""
    inv = case["inv"]
    p1 = case["p1"]
    mine = f.dossier(users["carol"], orgs["police"])
    ja.link_dossier(inv, mine, acting_user=users["carol"])
    ja.record_participation(p1, case["dossier"], acting_user=users["paula"], role="witness")
    return dict(
        actor="carol",
        method="delete",
        url=f"/api/investigations/{inv.pk}/dossiers/{mine.pk}/",
        good=None,
        # The victim takes part in a prosecution: the link stays.
        bad=[(None, "detail", f"/api/investigations/{inv.pk}/dossiers/{case['dossier'].pk}/")],
        audit="unlink_dossier",
        refused=("cole",),
        check=lambda: not inv.dossier_links.filter(dossier=mine).exists(),
    )


def _report_link(case, users, orgs, open_inv):
    """Link a hotline report passed to the police."""
    inv = case["inv"]
    report = report_passed_to_police(users, orgs)
    return dict(
        actor="carol",
        method="post",
        url=f"/api/investigations/{inv.pk}/reports/",
        good={"report": report.pk},
        bad=[({"report": 10**17}, "report"), ({"report": "abc"}, "report")],
        audit="link_report",
        refused=("cole",),
        check=lambda: inv.reports.filter(pk=report.pk).exists(),
    )


def _suspect_add(case, users, orgs, open_inv):
    """Add a new suspect, a public official, to the investigation."""
    inv = case["inv"]
    official = case["official"]
    other = case["other"]
    return dict(
        actor="carol",
        method="post",
        url=f"/api/investigations/{inv.pk}/suspects/",
        good={
            "given_name_lat": "Nadia",
            "family_name_lat": "Nouvelle",
            "public_official": True,
            "official_body": "Douane",
            "sex": "female",
            "added_on": days_ago(5).isoformat(),
        },
        bad=[
            ({"given_name_lat": "X", "public_official": True}, "official_body_type"),
            (
                {"given_name_lat": "X", "public_official": True, "official_body_type": "sex"},
                "official_body_type",
            ),
            ({"sex": "female"}, "given_name_ar"),
            ({"suspect": official.pk}, "suspect"),  # already in the investigation
            ({"suspect": 10**15}, "suspect"),
            ({"suspect": other.pk, "given_name_lat": "Y"}, "suspect"),
            ({"given_name_lat": "Z", "added_on": days_ago(200).isoformat()}, "added_on"),
            ({"given_name_lat": "Z", "birth_date_precision": "often"}, "birth_date_precision"),
        ],
        audit="create_suspect",
        refused=("cole",),
        check=lambda: (
            Suspect.objects.latest("pk").official_body == "Douane"
            # named without its kind: the kind its name says
            and Suspect.objects.latest("pk").official_body_type.code == "customs"
            and inv.suspect_links.count() == 3
        ),
    )


def _suspect_event(case, users, orgs, open_inv):
    """Record a suspect's detention."""
    inv = case["inv"]
    other = case["other"]
    return dict(
        actor="carol",
        method="post",
        url=f"/api/investigations/{inv.pk}/events/",
        good={
            "suspect": other.pk,
            "kind": "detention",
            "on": days_ago(50).isoformat(),
            "place": "Tanger",
        },
        bad=[
            ({"suspect": other.pk, "kind": "bogus", "on": days_ago(5).isoformat()}, "kind"),
            ({"suspect": other.pk, "kind": "arrest", "on": "2999-01-01"}, "on"),
            ({"suspect": 10**15, "kind": "arrest", "on": days_ago(5).isoformat()}, "suspect"),
            (
                {
                    "suspect": other.pk,
                    "kind": "arrest",
                    "on": days_ago(5).isoformat(),
                    "place": "x" * 600,
                },
                "place",
            ),
        ],
        audit="record_detention",
        refused=("cole",),
        check=lambda: SuspectEvent.objects.filter(suspect=other, kind="detention").exists(),
    )


def _suspect_update(case, users, orgs, open_inv):
    """PATCH the public official's body and immunity."""
    official = case["official"]
    official.refresh_from_db()
    v = official.version
    return dict(
        actor="carol",
        method="patch",
        url=f"/api/suspects/{official.pk}/",
        good={
            "official_body_type": "justice",
            "official_body": "Ministère",
            "diplomatic_immunity": True,
            "version": v,
        },
        bad=[
            (
                {"official_body_type": None, "official_body": "", "version": v},
                "official_body_type",
            ),
            ({"official_body_type": "nope", "version": v}, "official_body_type"),
            ({"sex": "nope", "version": v}, "sex"),
            ({"official_body": "x"}, "version"),
            ({"birth_date": "2999-01-01", "version": v}, "birth_date"),
        ],
        audit="update_suspect",
        refused=("cole",),
        check=lambda: (
            Suspect.objects.get(pk=official.pk).official_body == "Ministère"
            and Suspect.objects.get(pk=official.pk).official_body_type.code == "justice"
        ),
    )


def _prosecution_court(case, users, orgs, open_inv):
    """Set the court of a prosecution."""
    p1 = case["p1"]
    return dict(
        actor="paula",
        method="post",
        url=f"/api/prosecutions/{p1.pk}/court/",
        good={"court": orgs["court"].pk},
        bad=[({"court": orgs["ngo_a"].pk}, "court"), ({"court": "x"}, "court")],
        audit="set_court",
        refused=("cole", "carol"),
        check=lambda: Prosecution.objects.get(pk=p1.pk).court_id == orgs["court"].pk,
    )


def _charge_add(case, users, orgs, open_inv):
    """Add a charge to a prosecution."""
    p1 = case["p1"]
    return dict(
        actor="paula",
        method="post",
        url=f"/api/prosecutions/{p1.pk}/charges/",
        good={"article": "448.2", "form": "labour"},
        bad=[
            ({"article": "999", "form": "labour"}, "article"),
            ({"article": "448.1", "form": "labour"}, "article"),  # already charged
            ({"article": "448.2", "form": "nope"}, "form"),
            ({"article": "448.2", "form": "labour", "external_ref": "r" * 65}, "external_ref"),
        ],
        audit="add_charge",
        refused=("cole", "carol"),
        check=lambda: p1.charges.filter(article="448.2").exists(),
    )


def _charge_decision(case, users, orgs, open_inv):
    """Record the court's decision on a charge."""
    c1 = case["c1"]
    return dict(
        actor="cole",
        method="post",
        url=f"/api/charges/{c1.pk}/decisions/",
        good={"outcome": "convicted", "decided_on": days_ago(10).isoformat()},
        bad=[
            (
                {"outcome": "requalified", "decided_on": days_ago(10).isoformat()},
                "requalified_as",
            ),
            ({"outcome": "convicted", "decided_on": days_ago(70).isoformat()}, "decided_on"),
            (
                {
                    "outcome": "convicted",
                    "decided_on": days_ago(10).isoformat(),
                    "court": orgs["ngo_a"].pk,
                },
                "court",
            ),
            (
                {
                    "outcome": "convicted",
                    "decided_on": days_ago(10).isoformat(),
                    "court": 10**15,
                },
                "court",
            ),
            ({"outcome": "x", "decided_on": days_ago(10).isoformat()}, "outcome"),
            (
                {
                    "outcome": "convicted",
                    "decided_on": days_ago(10).isoformat(),
                    "instance": "appeal",
                },
                "instance",
            ),
        ],
        audit="record_decision",
        refused=("carol",),
        check=lambda: c1.decisions.filter(outcome="convicted").exists(),
    )


def _sentence(case, users, orgs, open_inv):
    """Record the sentence of a conviction."""
    d = convict_first_charge(case, users)
    return dict(
        actor="cole",
        method="post",
        url=f"/api/court-decisions/{d.pk}/sentence/",
        good={"prison_months": 24, "suspended_months": 6, "fine_mad": "5000.00"},
        bad=[
            ({"prison_months": 6, "suspended_months": 12}, "suspended_months"),
            ({"prison_months": 0}, "detail"),
            ({"prison_months": 6, "fine_mad": "abc"}, "fine_mad"),
            ({"prison_months": -1}, "prison_months"),
            ({"prison_months": 6, "fine_mad": "1.234"}, "fine_mad"),
        ],
        audit="record_sentence",
        refused=("carol",),
        check=lambda: Sentence.objects.filter(decision=d, prison_months=24).exists(),
    )


def _appeal(case, users, orgs, open_inv):
    """Lodge an appeal against a decided prosecution."""
    p1 = case["p1"]
    convict_first_charge(case, users)
    return dict(
        actor="paula",
        method="post",
        url=f"/api/prosecutions/{p1.pk}/appeals/",
        good={"lodged_on": days_ago(5).isoformat(), "lodged_by": "defence"},
        bad=[
            ({"lodged_on": days_ago(20).isoformat(), "lodged_by": "defence"}, "lodged_on"),
            ({"lodged_on": days_ago(5).isoformat(), "lodged_by": "x"}, "lodged_by"),
        ],
        audit="record_appeal",
        refused=("carol",),
        check=lambda: p1.appeals.filter(lodged_by="defence").exists(),
    )


def _appeal_decide(case, users, orgs, open_inv):
    """Decide an appeal lodged by the defence."""
    p1 = case["p1"]
    convict_first_charge(case, users)
    appeal = ja.record_appeal(
        p1, acting_user=users["paula"], lodged_on=days_ago(5), lodged_by="defence"
    )
    return dict(
        actor="cole",
        method="post",
        url=f"/api/prosecutions/{p1.pk}/appeals/{appeal.pk}/decide/",
        good={"outcome": "upheld", "decided_on": days_ago(1).isoformat()},
        bad=[
            ({"outcome": "pending", "decided_on": days_ago(1).isoformat()}, "outcome"),
            ({"outcome": "upheld", "decided_on": days_ago(6).isoformat()}, "decided_on"),
        ],
        audit="decide_appeal",
        refused=("carol",),
        check=lambda: Appeal.objects.get(pk=appeal.pk).outcome == "upheld",
    )


def _participation(case, users, orgs, open_inv):
    """Record the victim's participation in a prosecution."""
    p1 = case["p1"]
    d = case["dossier"]
    return dict(
        actor="paula",
        method="post",
        url=f"/api/prosecutions/{p1.pk}/participations/",
        good={
            "dossier": d.pk,
            "role": "witness",
            "protection_asked": ["identity", "closed_hearing"],
            "protection_granted": ["identity"],
            "compensation_mad": "20000.00",
        },
        bad=[
            (
                {"dossier": d.pk, "role": "witness", "protection_granted": ["identity"]},
                "protection_granted",
            ),
            ({"dossier": 10**15, "role": "witness"}, "dossier"),
            ({"dossier": d.pk, "role": "x"}, "role"),
            (
                {"dossier": d.pk, "role": "witness", "protection_asked": ["x"]},
                "protection_asked",
            ),
            (
                {"dossier": d.pk, "role": "witness", "compensation_mad": "-1"},
                "compensation_mad",
            ),
        ],
        audit="record_participation",
        refused=("cole", "carol"),
        check=lambda: Participation.objects.filter(
            prosecution=p1, dossier=d, protection_granted=["identity"]
        ).exists(),
    )


# Each write endpoint's case: the actor, the method and URL, a good payload, the bad ones
# ((payload, field named in the 400[, another URL])), the audit action, the justice members
# refused besides the outsiders, and a check after the success.
SPECS = {
    "investigation_update": _investigation_update,
    "investigation_transfer": _investigation_transfer,
    "investigation_send_back": _investigation_send_back,
    "investigation_close": _investigation_close,
    "dossier_link": _dossier_link,
    "dossier_unlink": _dossier_unlink,
    "report_link": _report_link,
    "suspect_add": _suspect_add,
    "suspect_event": _suspect_event,
    "suspect_update": _suspect_update,
    "prosecution_court": _prosecution_court,
    "charge_add": _charge_add,
    "decision": _charge_decision,
    "sentence": _sentence,
    "appeal": _appeal,
    "appeal_decide": _appeal_decide,
    "participation": _participation,
}
