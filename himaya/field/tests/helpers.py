"""A phone, for the tests: fills the instance of a downloaded XForm as ODK Collect writes it,
and encrypts it with ODK's published scheme against the form's public key, exactly as Collect's
EncryptionUtils does (the server's code is not used for the RSA side, only for the AES helper,
whose layout the decryption test checks separately)."""

import base64
import datetime
import hashlib
import os
import uuid
from xml.etree import ElementTree as ET  # noqa: S405 - writing, not parsing untrusted input

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import load_der_public_key
from defusedxml import ElementTree as SafeET
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from himaya.field import crypto
from himaya.screening import actions as screening_actions
from himaya.testing import factories as f

XF = "{http://www.w3.org/2002/xforms}"
H = "{http://www.w3.org/1999/xhtml}"
ENC = "http://www.opendatakit.org/xforms/encrypted"
ORX = "http://openrosa.org/xforms"
OAEP = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def basic(device_username, token):
    raw = base64.b64encode(f"{device_username}:{token}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {raw}", "HTTP_X_OPENROSA_VERSION": "1.0"}


def today():
    return timezone.localdate()


def campaign(user, org, **fields):
    fields.setdefault("name_fr", "Port de Tanger")
    fields.setdefault("region", f.code("region", "tanger_tetouan_al_hoceima"))
    fields.setdefault("starts_on", today() - datetime.timedelta(days=10))
    fields.setdefault("ends_on", today() + datetime.timedelta(days=10))
    fields.setdefault("target_group", "irregular_migrants")
    fields.setdefault("status", "active")
    return screening_actions.create_campaign(acting_user=user, organisation=org, **fields)


def fill(xform, answers, **details):
    """The instance Collect would write for these answers: the form's own primary instance,
    its template filled in, namespaces as Collect leaves them."""
    root = SafeET.fromstring(xform)
    instance = root.find(f"{H}head/{XF}model/{XF}instance")
    data = next(iter(instance))
    details.setdefault("screened_on", (today() - datetime.timedelta(days=2)).isoformat())
    details.setdefault("alias", "Aminata, about 30")
    instance_id = details.pop("instance_id", None) or f"uuid:{uuid.uuid4()}"
    deprecated = details.pop("deprecated_id", None)
    notes = details.pop("notes", "")
    for node in data.iter():
        name = node.tag.split("}")[-1]
        parent = node
        if name in details:
            node.text = str(details[name])
        elif name in answers:
            node.text = answers[name]
        elif name == "notes":
            node.text = notes
        elif name == "confirm":
            node.text = "OK"
        elif name == "instanceID":
            node.text = instance_id
        elif name == "meta" and deprecated:
            ET.SubElement(parent, f"{XF}deprecatedID").text = deprecated
    ET.register_namespace("", XF[1:-1])
    xml = ET.tostring(data, encoding="utf-8", xml_declaration=False)
    return xml, instance_id, data.get("id"), data.get("version")


def public_key_of(xform):
    root = SafeET.fromstring(xform)
    submission = root.find(f"{H}head/{XF}model/{XF}submission")
    return load_der_public_key(base64.b64decode(submission.get("base64RsaPublicKey")))


def encrypt(xform, plain, instance_id, form_id, version, *, oaep=OAEP):
    """(manifest bytes, submission.xml.enc bytes) as Collect makes them."""
    public_key = public_key_of(xform)
    aes_key = os.urandom(32)
    encrypted_key = base64.b64encode(public_key.encrypt(aes_key, oaep)).decode()
    seed = bytearray(hashlib.md5(instance_id.encode() + aes_key).digest())  # noqa: S324
    seed[0] = (seed[0] + 1) % 256  # the first (and only) file: submission.xml
    enc = crypto.aes_encrypt(aes_key, bytes(seed), plain)
    source = f"{form_id}\n{version}\n{encrypted_key}\n{instance_id}\n"
    source += f"submission.xml::{hashlib.md5(plain).hexdigest()}\n"  # noqa: S324
    signature = public_key.encrypt(hashlib.md5(source.encode()).digest(), oaep)  # noqa: S324
    manifest = (
        f'<data xmlns="{ENC}" id="{form_id}" version="{version}" encrypted="yes">'
        f"<base64EncryptedKey>{encrypted_key}</base64EncryptedKey>"
        f'<orx:meta xmlns:orx="{ORX}"><orx:instanceID>{instance_id}</orx:instanceID></orx:meta>\n'
        "<encryptedXmlFile>submission.xml.enc</encryptedXmlFile>"
        "<base64EncryptedElementSignature>"
        f"{base64.b64encode(signature).decode()}</base64EncryptedElementSignature></data>"
    ).encode()
    return manifest, enc


def files(manifest, enc):
    return {
        "xml_submission_file": SimpleUploadedFile("submission.xml", manifest, "text/xml"),
        "submission.xml.enc": SimpleUploadedFile(
            "submission.xml.enc", enc, "application/octet-stream"
        ),
    }


def collect(xform, answers, **details):
    """Fill and encrypt: (files to post, instance id, plain instance)."""
    plain, instance_id, form_id, version = fill(xform, answers, **details)
    manifest, enc = encrypt(xform, plain, instance_id, form_id, version)
    return files(manifest, enc), instance_id, plain
