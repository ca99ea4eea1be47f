"""The RSA keys of the field screenings (HIMAYA_ODK_PRIVATE_KEYS), read by the settings: PEM
private keys, 2048 bits or more, newest first. The first one's public key goes into every XForm
handed out; every key decrypts, so a key is rotated by putting a new one first and keeping the
old ones until the phones have sent what they hold. Plain Python: imported by settings.py
before Django is set up."""

import re

from django.core.exceptions import ImproperlyConfigured

PEM_BLOCK = re.compile(
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----.+?-----END [A-Z ]*PRIVATE KEY-----", re.S
)


def _generated(var_dir):
    """Development and tests: one key made once into var/."""
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / "odk-private.pem"
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        path.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
        path.chmod(0o600)
    return path.read_text(encoding="utf-8")


def private_keys(text, *, production, var_dir):
    """The PEM blocks of ``text`` (the setting's value), each checked; refused with a message
    naming the setting when missing in production, unreadable, not RSA or too short."""
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    if not text.strip():
        if production:
            raise ImproperlyConfigured(
                "HIMAYA_ODK_PRIVATE_KEYS (or HIMAYA_ODK_PRIVATE_KEYS_FILE) is required"
            )
        text = _generated(var_dir)
    blocks = PEM_BLOCK.findall(text)
    if not blocks:
        raise ImproperlyConfigured("HIMAYA_ODK_PRIVATE_KEYS must hold RSA private keys in PEM")
    for block in blocks:
        try:
            key = load_pem_private_key(block.encode(), password=None)
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(
                "HIMAYA_ODK_PRIVATE_KEYS holds a key that cannot be read (unencrypted PEM needed)"
            ) from exc
        if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < 2048:
            raise ImproperlyConfigured(
                "HIMAYA_ODK_PRIVATE_KEYS must hold RSA keys of 2048 bits or more"
            )
    return blocks
