"""The report's justice tables: law enforcement (investigations, arrests, prosecutions and
convictions by form, sentences), officials and stalled proceedings, and the series of
prosecutions and convictions by year."""

from collections import Counter

from django.conf import settings
from django.utils.translation import gettext_noop as _

from himaya.justice import figures as justice_figures

from .. import labels
from .cells import _form_rows, row, table, tri, tri_format

SERIES_YEARS = 6


def _justice_form_counter(block, key="count"):
    out = Counter()
    for form in block["forms"]:
        out[form["code"]] = form[key]
        for sub in form["including"]:
            out[sub["code"]] = sub[key]
    return out


def _law_enforcement(j, forms):
    pros_now = _justice_form_counter(j["prosecuted"])
    pros_before = _justice_form_counter(j["prosecuted"], "previous")
    conv_now = _justice_form_counter(j["convicted"])
    conv_before = _justice_form_counter(j["convicted"], "previous")
    rows = [
        row(
            "investigations",
            tri(_("Investigations opened")),
            j["investigations"]["value"],
            j["investigations"]["previous"],
        ),
        row(
            "arrested",
            tri(_("Suspects arrested")),
            j["arrested"]["value"],
            j["arrested"]["previous"],
        ),
        row(
            "prosecuted",
            tri(_("Defendants prosecuted")),
            j["prosecuted"]["total"],
            j["prosecuted"]["previous"],
        ),
        *_form_rows("prosecuted", pros_now, pros_before, forms),
        row(
            "convicted",
            tri(_("Defendants convicted")),
            j["convicted"]["total"],
            j["convicted"]["previous"],
        ),
        *_form_rows("convicted", conv_now, conv_before, forms),
        row(
            "acquitted",
            tri(_("Defendants acquitted")),
            j["acquittals"]["value"],
            j["acquittals"]["previous"],
        ),
    ]
    for band in j["sentences"]["bands"]:
        label = tri_format(
            _("Sentenced: %(band)s"), band=labels.choice("sentence_band", band["band"])
        )
        rows.append(row(f"sentence:{band['band']}", label, band["count"], band["previous"]))
    return table(
        "law_enforcement",
        _("Law enforcement"),
        _(
            "Investigations opened in the year; distinct suspects with an arrest dated in the "
            "year; distinct defendants with a prosecution started (convicted, acquitted) in "
            "the year, counted under each form among their charges, sub-forms as "
            "“including” lines, so forms may sum to more than the total; a defendant "
            "convicted on one charge and acquitted on another counts as convicted; sentences "
            "by the heaviest firm prison term."
        ),
        rows,
    )


def _officials_and_stalled(j):
    o, s = j["officials"], j["stalled"]
    rows = [
        row(
            "official_investigations",
            tri(_("Investigations involving a public official")),
            o["investigations"]["value"],
            o["investigations"]["previous"],
        ),
        row(
            "official_prosecuted",
            tri(_("Officials prosecuted")),
            o["prosecuted"]["value"],
            o["prosecuted"]["previous"],
        ),
        row(
            "official_convicted",
            tri(_("Officials convicted")),
            o["convicted"]["value"],
            o["convicted"]["previous"],
        ),
        row(
            "stalled_investigations",
            tri(_("Stalled investigations at year end")),
            s["investigations"]["value"],
            s["investigations"]["previous"],
        ),
        row(
            "stalled_prosecutions",
            tri(_("Stalled prosecutions at year end")),
            s["prosecutions"]["value"],
            s["prosecutions"]["previous"],
        ),
    ]
    months = settings.HIMAYA_STALLED_MONTHS
    rule = labels.ngettext(
        "Investigations opened, defendants prosecuted and convicted in the year where a "
        "suspect is flagged as a public official; proceedings open at the end of the year "
        "whose latest event is older than the stalled limit (%(months)s month).",
        "Investigations opened, defendants prosecuted and convicted in the year where a "
        "suspect is flagged as a public official; proceedings open at the end of the year "
        "whose latest event is older than the stalled limit (%(months)s months).",
        months,
        months=months,
    )
    return {
        "key": "officials_stalled",
        "title": tri(_("Officials and stalled cases")),
        "rule": rule,
        "rows": rows,
    }


def _justice_series(year):
    out = []
    for y in range(year - SERIES_YEARS + 1, year + 1):
        out.append(
            {
                "year": y,
                "prosecuted": justice_figures.prosecuted_in_year(y, None)["total"],
                "convicted": justice_figures.convicted_in_year(y, None)["total"],
            }
        )
    return out
