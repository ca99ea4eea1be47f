"""ODK's form-level encryption, server side (https://getodk.github.io/xforms-spec/encryption).

On the phone, ODK Collect finalises a filled form by:
- drawing a random 256-bit AES key, and encrypting it with the form's RSA public key
  (RSA/OAEP, SHA-256 for the digest and for MGF1: Bouncy Castle's
  "OAEPWithSHA256AndMGF1Padding"): the manifest's ``base64EncryptedKey``;
- deriving the IV seed from MD5(instanceID, UTF-8 + the AES key); before each file it encrypts,
  byte ``n % 16`` of the seed is incremented (wrapping), ``n`` counting the files: the media
  files first, ``submission.xml`` last;
- encrypting each file with AES-256 in CFB mode (128-bit segments) over PKCS#5-padded bytes,
  sent as ``<name>.enc``;
- writing a plain-text manifest (``submission.xml``) with the form id, version, instanceID, the
  encrypted key, the file names and ``base64EncryptedElementSignature``: the RSA-encrypted MD5 of
  "formId\\nversion\\nbase64EncryptedKey\\ninstanceID\\n" followed by "name::md5hex\\n" for each
  plain file in the order encrypted.

The signature is what tells a tampered file from a good one: CFB alone has no integrity.
Enketo encrypts the AES key with SHA-1 for MGF1; both are accepted.
"""

import base64
import hashlib
from functools import lru_cache

from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.asymmetric import padding as rsa_padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

try:  # CFB lives among the "decrepit" modes from cryptography 47 on; ODK needs it all the same
    from cryptography.hazmat.decrepit.ciphers.modes import CFB
except ImportError:  # pragma: no cover - older cryptography
    from cryptography.hazmat.primitives.ciphers.modes import CFB
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
)
from django.conf import settings

OAEP_SHA256 = rsa_padding.OAEP(
    mgf=rsa_padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None
)
OAEP_SHA256_MGF1_SHA1 = rsa_padding.OAEP(
    mgf=rsa_padding.MGF1(hashes.SHA1()),  # noqa: S303 - Enketo's MGF1, not a signature
    algorithm=hashes.SHA256(),
    label=None,
)


class Undecryptable(Exception):
    """The submission cannot be read with any of the server's keys, or was altered."""


@lru_cache(maxsize=8)
def _load(pems):
    return tuple(load_pem_private_key(p.encode(), password=None) for p in pems)


def private_keys():
    return _load(tuple(settings.HIMAYA_ODK_PRIVATE_KEYS))


def public_key_base64(key=None):
    """The form's ``base64RsaPublicKey``: the DER SubjectPublicKeyInfo, base64, one line."""
    key = key or private_keys()[0]
    der = key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode("ascii")


def fingerprint(key=None):
    return hashlib.sha256(public_key_base64(key).encode()).hexdigest()[:12]


def _iv_seed(instance_id, aes_key):
    return bytearray(hashlib.md5(instance_id.encode("utf-8") + aes_key).digest())  # noqa: S324


def file_ivs(instance_id, aes_key, count):
    """The IV of each of ``count`` files, in the order Collect encrypts them."""
    seed = _iv_seed(instance_id, aes_key)
    ivs = []
    for n in range(count):
        seed[n % 16] = (seed[n % 16] + 1) % 256
        ivs.append(bytes(seed))
    return ivs


def aes_decrypt(aes_key, iv, data):
    if not data or len(data) % 16:
        raise Undecryptable("encrypted file of a wrong length")
    decryptor = Cipher(algorithms.AES(aes_key), CFB(iv)).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError as exc:
        raise Undecryptable("bad padding") from exc


def aes_encrypt(aes_key, iv, data):
    """What Collect does to a file (used by the tests and the documentation's examples)."""
    padder = padding.PKCS7(128).padder()
    padded = padder.update(data) + padder.finalize()
    encryptor = Cipher(algorithms.AES(aes_key), CFB(iv)).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


def rsa_decrypt(ciphertext):
    """Decrypt with the first key and OAEP variant that accepts it: (plaintext, key)."""
    for key in private_keys():
        if len(ciphertext) != key.key_size // 8:
            continue
        for oaep in (OAEP_SHA256, OAEP_SHA256_MGF1_SHA1):
            try:
                return key.decrypt(ciphertext, oaep), key
            except ValueError:
                continue
    raise Undecryptable("no key decrypts the submission key")


def signature_source(form_id, version, encrypted_key_b64, instance_id, files):
    """The text whose MD5 Collect signs; ``files`` are (plain name, plain bytes) in order."""
    lines = [form_id]
    if version is not None:
        lines.append(version)
    lines += [encrypted_key_b64, instance_id]
    lines += [f"{name}::{hashlib.md5(data).hexdigest()}" for name, data in files]  # noqa: S324
    return "".join(line + "\n" for line in lines)


def check_signature(key, signature_b64, source):
    try:
        signed = base64.b64decode(signature_b64, validate=True)
    except ValueError as exc:
        raise Undecryptable("signature is not base64") from exc
    expected = hashlib.md5(source.encode("utf-8")).digest()  # noqa: S324
    for oaep in (OAEP_SHA256, OAEP_SHA256_MGF1_SHA1):
        try:
            if key.decrypt(signed, oaep) == expected:
                return
        except ValueError:
            continue
    raise Undecryptable("the signature does not match the files")
