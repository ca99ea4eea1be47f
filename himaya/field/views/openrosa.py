"""The OpenRosa endpoints ODK Collect and KoboCollect talk to: the form list, a form, its
manifest and media file, and the submission. A device credential (HTTP Basic: the device's
username and token) is required everywhere; every answer carries the OpenRosa headers and every
error an OpenRosaResponse message, never a page."""

import csv
import hashlib
import io
from xml.sax.saxutils import escape, quoteattr

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from himaya.core.errors import Conflict
from himaya.core.middleware import own_size_limit
from himaya.screening.models import Campaign, CampaignStatus, Questionnaire

from .. import actions, openrosa, xlsform
from ..submissions import SubmissionError, receive

FORMS_NS = "http://openrosa.org/xforms/xformsList"
MANIFEST_NS = "http://openrosa.org/xforms/xformsManifest"


def _device(request, use):
    device = openrosa.authenticate(request, use)
    if device is None:
        return None, openrosa.challenge(_("A valid field device credential is required."))
    return device, None


def _form(form_id):
    if not form_id.startswith(xlsform.FORM_PREFIX):
        return None
    questionnaire = (
        Questionnaire.objects.published()
        .filter(code=form_id.removeprefix(xlsform.FORM_PREFIX))
        .first()
    )
    return xlsform.field_form(questionnaire) if questionnaire else None


def _unknown_form():
    return openrosa.message(_("This form or form version is not known to Himaya."), 404)


def campaigns_csv(device):
    """The campaigns the device's organisation runs, as the form's media file (the phone
    offers those covering the interview's date)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # ``label`` for clients without translations; ODK Collect shows the column of the phone's
    # language (the campaign's name in it, or the nearest one given).
    languages = [f"label::{name}" for _code, name in xlsform.LANGUAGES]
    writer.writerow(["name", "label", *languages, "starts_on", "ends_on"])
    campaigns = (
        Campaign.objects.filter(organisation_id=device.organisation_id)
        .exclude(status=CampaignStatus.CLOSED)
        .order_by("starts_on", "pk")
    )
    for c in campaigns:
        labels = [
            f"{name} ({c.place})" if c.place else name
            for name in (c.name, *(c.name_in(code) for code, _n in xlsform.LANGUAGES))
        ]
        writer.writerow([c.pk, *labels, c.starts_on.isoformat(), c.ends_on.isoformat()])
    return out.getvalue().encode("utf-8")


@require_http_methods(["GET", "HEAD"])
def form_list(request):
    device, refused = _device(request, "form_list")
    if refused:
        return refused
    wanted = request.GET.get("formID")
    items = []
    for questionnaire in Questionnaire.objects.published().order_by("code"):
        form = xlsform.field_form(questionnaire)
        if wanted and wanted != form.form_id:
            continue
        download = request.build_absolute_uri(reverse("openrosa:form", args=[form.form_id]))
        manifest = request.build_absolute_uri(reverse("openrosa:manifest", args=[form.form_id]))
        items.append(
            "<xform>"
            f"<formID>{escape(form.form_id)}</formID><name>{escape(form.title)}</name>"
            f"<version>{escape(form.version)}</version><hash>{form.md5}</hash>"
            f"<downloadUrl>{escape(download)}</downloadUrl>"
            f"<manifestUrl>{escape(manifest)}</manifestUrl>"
            "</xform>"
        )
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<xforms xmlns="{FORMS_NS}">'
    return openrosa.response(body + "".join(items) + "</xforms>")


@require_http_methods(["GET", "HEAD"])
def form_download(request, form_id):
    device, refused = _device(request, "form_download")
    if refused:
        return refused
    form = _form(form_id)
    if form is None:
        return _unknown_form()
    return openrosa.response(form.xform)


@require_http_methods(["GET", "HEAD"])
def form_manifest(request, form_id):
    device, refused = _device(request, "form_manifest")
    if refused:
        return refused
    form = _form(form_id)
    if form is None:
        return _unknown_form()
    data = campaigns_csv(device)
    url = request.build_absolute_uri(
        reverse("openrosa:media", args=[form.form_id, xlsform.CAMPAIGNS_FILE])
    )
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<manifest xmlns="{MANIFEST_NS}">'
        f"<mediaFile><filename>{xlsform.CAMPAIGNS_FILE}</filename>"
        f"<hash>md5:{hashlib.md5(data).hexdigest()}</hash>"  # noqa: S324 - OpenRosa's hash
        f"<downloadUrl>{escape(url)}</downloadUrl></mediaFile></manifest>"
    )
    return openrosa.response(body)


@require_http_methods(["GET", "HEAD"])
def form_media(request, form_id, filename):
    device, refused = _device(request, "form_media")
    if refused:
        return refused
    if _form(form_id) is None or filename != xlsform.CAMPAIGNS_FILE:
        return _unknown_form()
    r = openrosa.response(campaigns_csv(device), content_type="text/csv; charset=utf-8")
    r["Content-Disposition"] = f"attachment; filename={quoteattr(filename)}"
    return r


# Phones post without a session or a cookie: the device credential in the Authorization header
# is the only authority here, so there is no cross-site request to forge.
@own_size_limit
@csrf_exempt
@require_http_methods(["HEAD", "POST"])
def submission(request):
    device, refused = _device(request, "submission" if request.method == "POST" else "hello")
    if refused:
        return refused
    if request.method == "HEAD":
        return openrosa.response("", status=204)
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > openrosa.max_bytes():
        return openrosa.message(_("The submission is too large."), 413)
    try:
        received = receive(request.FILES, device, openrosa.max_bytes())
        recorded = actions.receive_submission(device, received)
    except SubmissionError as exc:
        return openrosa.message(exc.message, exc.status)
    except actions.Duplicate:
        return openrosa.message(_("This submission was already received."), 202, "submit_success")
    except Conflict as exc:
        return openrosa.message(str(exc), 409)
    except ValidationError as exc:
        return openrosa.message(" ".join(exc.messages), 400)
    except PermissionDenied:
        return openrosa.message(_("This device cannot screen for its organisation."), 403)
    return openrosa.message(
        _("The screening %(ref)s was received.") % {"ref": recorded.screening.reference},
        201,
        "submit_success",
    )
