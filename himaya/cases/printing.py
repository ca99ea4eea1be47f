"""The printable dossier: a PDF summary (WeasyPrint, as statistics/exports.py) of what the
dossier page shows its reader, and the "printed by" line of both the PDF and the printed page.

The summary is built from the dossier page's own queries and panels (panels.dossier_panels, the
referrals panel's template tag), so a print never shows more than the screen: no name, free
text or actor for a reader without the identity, no reasons or justice data for an organisation
that sees the dossier only through referrals. Notes are left out: a summary to hand over is
stages, decisions, referrals and services, not the person's story."""

from babel.dates import format_date, format_time
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from himaya.accounts.models import Organisation
from himaya.core import access
from himaya.core.bidi import html_sentence, isolate, isolate_plain
from himaya.core.pdf import css_string, page_counter_css
from himaya.core.templatetags.himaya import babel_locale
from himaya.people.models import Person

from .models import Dossier, StageEvent
from .panels import dossier_panels


class PrintUnavailable(Exception):
    """WeasyPrint cannot be loaded on this server (Pango or HarfBuzz missing): say so, never 500."""


def now():
    """The moment of printing; tests replace it, so that no assertion depends on the clock."""
    return timezone.now()


def printed_on(moment):
    """Local date and time, without seconds or zone name, which a right-to-left line would
    scramble: 3 دجنبر 2025 14:05 / 3 décembre 2025 14:05."""
    moment = timezone.localtime(moment)
    locale = babel_locale()
    day = format_date(moment, "long", locale=locale)
    return f"{day} {format_time(moment, 'HH:mm', locale=locale)}"


def printed_by(user, dossier, moment, *, html=False):
    """The line "Printed by <user> (<organisation>) on <date time>", the organisation being
    the one the user acts for on this dossier (its owner, or theirs holding the grant). A
    Latin name or a date keeps its order inside an Arabic sentence and an Arabic name inside a
    French one: isolated by <bdi> in a page (``html``), by FSI/PDI in a PDF margin."""
    org = Organisation.objects.filter(pk=access.acting_org_for(user, dossier)).first()
    parts = {
        "name": user.display_name,
        "organisation": org.name if org else "—",
        "date": printed_on(moment),
    }
    template = _("Printed by %(name)s (%(organisation)s) on %(date)s")
    if html:
        return html_sentence(template, **{k: isolate(v) for k, v in parts.items()})
    return template % {k: isolate_plain(v) for k, v in parts.items()}


def summary(user, dossier, *, day):
    """The dossier as its page shows it to ``user``: the same visibility as
    views._render_detail (identity level or not; reasons and free text not even decrypted
    without it) and the same decision and non-punishment panels. ``day`` dates the age band."""
    sees = access.sees_identity(user, dossier)
    if sees:  # deferred by views._get_dossier: read now that the identity level is known
        dossier.refresh_from_db(fields=Dossier.FREE_TEXT_FIELDS)
    person = Person.objects.select_related("sex")
    if not sees:
        person = person.defer(*Person.IDENTITY_FIELDS)
    person = person.get(pk=dossier.person_id)
    events = (
        StageEvent.objects.visible_to(user)
        .filter(dossier=dossier)
        .select_related("actor", "organisation")
    )
    if not sees:
        events = events.defer("reason")
    panels = dossier_panels(user, dossier, sees_identity=sees)
    for offence in panels["offences"]:
        offence.can_resolve = False  # nothing to act on in print
    return {
        "dossier": dossier,
        "sees_identity": sees,
        "person": person,
        "age_band": person.age_band(day),
        "citizenships": person.citizenships.all(),
        "forms": dossier.forms.select_related("parent"),
        "events": events,
        **panels,
        "can_decide": False,
        "can_record_offence": False,
    }


def _no_fetch(url, *args, **kwargs):
    # The summary needs no file, image or font by URL; nothing in a record makes it fetch one.
    raise ValueError("the dossier summary loads no resource")


def to_pdf(request, context, moment):
    """The summary as an A4 PDF in the active language (Arabic right to left), with
    "Confidential", the reference, who printed it and when, and page X of Y on every page.
    ``request`` renders the referrals panel as the page does, for the same user."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango or HarfBuzz missing
        raise PrintUnavailable(_("PDF export is not available on this server.")) from exc
    dossier = context["dossier"]
    line = printed_by(request.user, dossier, moment)
    context = {
        **context,
        "lang": (get_language() or "ar")[:2],
        "rtl": get_language_bidi(),
        "printed_by": line,
        "css_confidential": css_string(_("Confidential")),
        "css_reference": css_string(dossier.reference),
        "css_printed_by": css_string(line),
        "css_page_counter": page_counter_css(),
    }
    html = render_to_string("cases/dossier_pdf.html", context, request=request)
    return HTML(
        string=html, base_url=request.build_absolute_uri("/"), url_fetcher=_no_fetch
    ).write_pdf()
