"""The report's other tables: non-punishment, hotline and proactive screening, support to NGOs,
trainings."""

from django.utils.translation import gettext_noop as _

from .. import labels
from .cells import code_labels, row, table, tri, tri_format


def _non_punishment(n, m):
    from himaya.cases.models import AlertOutcome, OffenceType

    rows = [
        row(
            "victims_with_offence",
            tri(_("Victims with an offence recorded against them")),
            n["victims_with_offence"],
            m["victims_with_offence"],
        )
    ]
    for kind in OffenceType.values:
        rows.append(
            row(
                f"offence:{kind}",
                labels.choice("offence", kind),
                n["by_offence_type"][kind],
                m["by_offence_type"][kind],
                level=1,
            )
        )
    rows += [
        row("alerts_raised", tri(_("Alerts raised")), n["alerts_raised"], m["alerts_raised"]),
        row(
            "alerts_resolved",
            tri(_("Alerts resolved")),
            n["alerts_resolved"]["total"],
            m["alerts_resolved"]["total"],
        ),
    ]
    for outcome in AlertOutcome.values:
        rows.append(
            row(
                f"resolved:{outcome}",
                labels.choice("alert_outcome", outcome),
                n["alerts_resolved"][outcome],
                m["alerts_resolved"][outcome],
                level=1,
            )
        )
    rows.append(
        row(
            "alerts_open",
            tri(_("Alerts still open at year end")),
            n["alerts_open_at_year_end"],
            m["alerts_open_at_year_end"],
        )
    )
    return table(
        "non_punishment",
        _("Non-punishment"),
        _(
            "Distinct persons with an offence charged in the year while presumed or identified "
            "victims, by type (a person may count under several types); alerts raised and "
            "resolved in the year, by outcome; alerts raised by the end of the year and not "
            "resolved then."
        ),
        rows,
    )


def _identification(h, h0, s, s0):
    rows = [
        row("hotline_reports", tri(_("Hotline reports received")), h["total"], h0["total"]),
        row("people_screened", tri(_("People screened")), s["people"], s["people_before"]),
        row(
            "screened_in_campaigns",
            tri(_("Screenings in proactive campaigns")),
            s["campaign_share"]["campaign"],
            s0["campaign_share"]["campaign"],
            level=1,
        ),
        row(
            "screening_strong",
            tri(_("Screenings with a strong indication")),
            s["by_recommendation"]["strong"],
            s["by_recommendation_before"]["strong"],
            level=1,
        ),
        row(
            "screening_dossiers",
            tri(_("Dossiers opened from a screening")),
            s["dossiers"],
            s["dossiers_before"],
        ),
    ]
    return table(
        "identification",
        _("Hotline and proactive screening"),
        _(
            "Hotline reports received in the year (all channels, web tips included); people "
            "screened in the year (distinct persons where the screening is linked to a person), "
            "how many in proactive screening campaigns and with a strong indication; dossiers "
            "opened from a screening in the year."
        ),
        rows,
    )


def _support(n, m):
    rows = [
        row(
            "financial_mad",
            tri(_("Financial support to NGOs (MAD)")),
            float(n["financial_mad"]),
            float(m["financial_mad"]),
        ),
        row("financial_count", tri(_("Grants")), n["financial_count"], m["financial_count"], 1),
        row(
            "in_kind_count",
            tri(_("In-kind support given")),
            n["in_kind_count"],
            m["in_kind_count"],
        ),
        row("receivers", tri(_("Organisations supported")), n["receivers"], m["receivers"]),
    ]
    return table(
        "ngo_support",
        _("Support to NGOs"),
        _(
            "Support given in the year by public bodies to the organisations that serve "
            "victims: financial support in dirhams and the number of grants, in-kind support "
            "as the number of records, and the number of organisations receiving either."
        ),
        rows,
    )


def _trainings(t, t0):
    """Sessions and participants (by sex, then by type of agency), year against year."""
    sexes = (
        ("women", _("women")),
        ("men", _("men")),
        ("unrecorded", _("sex not recorded")),
    )
    rows = [
        row("sessions", tri(_("Training sessions")), t["sessions"], t0["sessions"]),
        row("participants", tri(_("Participants")), t["participants"], t0["participants"]),
    ]
    for key, label in sexes:
        rows.append(row(f"sex:{key}", tri(label), t["by_sex"][key], t0["by_sex"][key], 1))
    types = code_labels("org_type")
    for code in sorted(set(t["by_agency_type"]) | set(t0["by_agency_type"])):
        now, before = (x["by_agency_type"].get(code, {}) for x in (t, t0))
        label = types.get(code, code)
        for key, sex_label in sexes:
            if now.get(key) or before.get(key):
                name = tri_format(_("%(agency)s, %(sex)s"), agency=label, sex=tri(sex_label))
                rows.append(
                    row(f"agency:{code}:{key}", name, now.get(key, 0), before.get(key, 0), 1)
                )
    return table(
        "trainings",
        _("Trainings"),
        _(
            "Training sessions whose first day is in the year. Participants are counted per "
            "session, by the type of agency they came from and by sex: a person trained twice "
            "counts twice, since names are optional."
        ),
        rows,
    )
