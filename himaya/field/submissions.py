"""Reading an encrypted OpenRosa submission: the manifest, the decrypted instance, and the
screening it holds, checked against the questionnaire version it was filled on. Nothing here
writes; ``actions.receive_submission`` records what this returns. Every XML document is parsed
by defusedxml (no DTD, no entity: a "billion laughs" file is refused)."""

import base64
import datetime
import hashlib
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.utils.translation import gettext as _

from himaya.core.models import Code
from himaya.screening.models import Answer, Campaign, Questionnaire, QuestionnaireStatus

from . import crypto, xlsform

ENC_NS = "{http://www.opendatakit.org/xforms/encrypted}"
ORX_NS = "{http://openrosa.org/xforms}"
MANIFEST_FIELD = "xml_submission_file"


class SubmissionError(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Received:
    """A decrypted submission, checked: what the screening action needs."""

    instance_id: str
    form_id: str
    version: str
    questionnaire: Questionnaire
    digest: str
    deprecated_id: str = ""
    details: dict = field(default_factory=dict)
    answers: dict = field(default_factory=dict)
    notes: str = ""


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _parse(data):
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ParseError, ValueError) as exc:
        raise SubmissionError(_("The submission is not a well-formed XML document.")) from exc


def _read(upload, limit):
    if upload.size > limit:
        raise SubmissionError(_("The submission is too large."), 413)
    return upload.read()


def read_manifest(files, limit):
    """(manifest fields, {file name: bytes}) from the uploaded files."""
    upload = files.get(MANIFEST_FIELD)
    if upload is None:
        raise SubmissionError(_("The submission has no xml_submission_file."))
    raw = _read(upload, limit)
    root = _parse(raw)
    if _local(root.tag) != "data" or root.tag[:1] != "{" or not root.tag.startswith(ENC_NS):
        raise SubmissionError(
            _("Himaya accepts encrypted submissions only: download the form again.")
        )
    if root.get("encrypted") != "yes":
        raise SubmissionError(
            _("Himaya accepts encrypted submissions only: download the form again.")
        )
    manifest = {
        "form_id": root.get("id") or "",
        "version": root.get("version"),
        "key": (root.findtext(f"{ENC_NS}base64EncryptedKey") or "").strip(),
        "instance_id": (root.findtext(f"{ORX_NS}meta/{ORX_NS}instanceID") or "").strip(),
        "media": [(m.text or "").strip() for m in root.findall(f"{ENC_NS}media/{ENC_NS}file")],
        "xml_file": (root.findtext(f"{ENC_NS}encryptedXmlFile") or "").strip(),
        "signature": (root.findtext(f"{ENC_NS}base64EncryptedElementSignature") or "").strip(),
    }
    if not all(manifest[k] for k in ("form_id", "key", "instance_id", "xml_file", "signature")):
        raise SubmissionError(_("The submission's manifest is incomplete."))
    if len(manifest["instance_id"]) > 100:
        raise SubmissionError(_("The submission's instanceID is too long."))
    if manifest["media"]:
        raise SubmissionError(_("Himaya's screening forms take no attachments."))
    enc = files.get(manifest["xml_file"])
    if enc is None:
        raise SubmissionError(_("The encrypted submission file is missing."))
    encrypted = _read(enc, limit)
    digest = hashlib.sha256(raw + b"\0" + encrypted).hexdigest()
    return manifest, encrypted, digest


def decrypt(manifest, encrypted):
    """The plain submission.xml, or SubmissionError if no key reads it or it was altered."""
    try:
        encrypted_key = base64.b64decode(manifest["key"], validate=True)
        aes_key, rsa_key = crypto.rsa_decrypt(encrypted_key)
        if len(aes_key) != 32:
            raise crypto.Undecryptable("not an AES-256 key")
        (iv,) = crypto.file_ivs(manifest["instance_id"], aes_key, 1)
        plain = crypto.aes_decrypt(aes_key, iv, encrypted)
        source = crypto.signature_source(
            manifest["form_id"],
            manifest["version"],
            manifest["key"],
            manifest["instance_id"],
            [("submission.xml", plain)],
        )
        crypto.check_signature(rsa_key, manifest["signature"], source)
    except (ValueError, crypto.Undecryptable) as exc:
        raise SubmissionError(
            _("The submission cannot be decrypted: it was altered, or encrypted for another key.")
        ) from exc
    return plain


def questionnaire_for(form_id, version):
    code = form_id.removeprefix(xlsform.FORM_PREFIX)
    number = (version or "").split(".", 1)[0]
    found = None
    if form_id.startswith(xlsform.FORM_PREFIX) and number.isdigit() and len(number) < 9:
        found = (
            Questionnaire.objects.filter(code=code, version=int(number))
            .exclude(status=QuestionnaireStatus.DRAFT)
            .first()
        )
    if found is None:
        raise SubmissionError(_("This form or form version is not known to Himaya."), 404)
    return found


def _text(node, path):
    return (node.findtext(path) or "").strip()


def _child(root, name):
    for child in root:
        if _local(child.tag) == name:
            return child
    return None


def _strip(root):
    """Drop namespaces: Collect writes the instance without the form's default namespace,
    Enketo with it, and the meta block may carry the OpenRosa one."""
    for node in root.iter():
        node.tag = _local(node.tag)
    return root


def read_instance(plain, manifest):
    root = _strip(_parse(plain))
    if (
        root.tag != "data"
        or root.get("id") != manifest["form_id"]
        or (root.get("version") or None) != manifest["version"]
        or _text(root, "meta/instanceID") not in ("", manifest["instance_id"])
    ):
        raise SubmissionError(_("The submission does not match its manifest."))
    return root


def screening_of(root, questionnaire, device):
    """The screening's details and answers, checked against the questionnaire version."""
    details = _child(root, xlsform.DETAILS_GROUP)
    if details is None:
        raise SubmissionError(_("The submission has no details (date, who was screened)."))
    fields = {
        "alias": _text(details, "alias"),
        "place_detail": _text(details, "place_detail"),
    }
    try:
        fields["screened_on"] = datetime.date.fromisoformat(_text(details, "screened_on"))
    except ValueError as exc:
        raise SubmissionError(_("The screening date is missing or not a date.")) from exc
    for name in ("region", "language"):
        value = _text(details, name)
        if value:
            code = Code.objects.of(name).filter(code=value).first()
            if code is None:
                raise SubmissionError(_("Choose a value from the list.") + f" ({name})")
            fields[name] = code
    campaign = _text(details, "campaign")
    if campaign:
        found = (
            Campaign.objects.filter(organisation=device.organisation, pk=campaign).first()
            if campaign.isdigit() and len(campaign) < 19
            else None
        )
        if found is None:
            raise SubmissionError(_("Choose a campaign of the screening organisation."))
        fields["campaign"] = found
    keys = {q.key: q for q in questionnaire.questions.all()}
    groups = {q.dimension for q in keys.values()}
    answers = {}
    for group in root:
        if group.tag in (xlsform.DETAILS_GROUP, xlsform.REVIEW_GROUP, "meta", "answered", "intro"):
            continue
        if group.tag not in groups:
            raise SubmissionError(_("The submission does not match the questionnaire version."))
        for node in group:
            if node.tag not in keys or keys[node.tag].dimension != group.tag:
                raise SubmissionError(_("The submission does not match the questionnaire version."))
            value = (node.text or "").strip()
            if value and value not in Answer.values:
                raise SubmissionError(
                    _("Answer yes, no or unknown (%(keys)s).") % {"keys": node.tag}
                )
            if value:
                answers[node.tag] = value
    review = _child(root, xlsform.REVIEW_GROUP)
    notes = _text(review, "notes") if review is not None else ""
    return fields, answers, notes


def receive(files, device, limit):
    """Everything checked short of recording: a Received, or SubmissionError."""
    manifest, encrypted, digest = read_manifest(files, limit)
    questionnaire = questionnaire_for(manifest["form_id"], manifest["version"])
    root = read_instance(decrypt(manifest, encrypted), manifest)
    details, answers, notes = screening_of(root, questionnaire, device)
    return Received(
        instance_id=manifest["instance_id"],
        form_id=manifest["form_id"],
        version=manifest["version"] or "",
        questionnaire=questionnaire,
        digest=digest,
        deprecated_id=_text(root, "meta/deprecatedID")[:100],
        details=details,
        answers=answers,
        notes=notes,
    )
