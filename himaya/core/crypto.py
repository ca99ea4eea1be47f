"""Encryption at rest and the blind index.

Fields are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) through MultiFernet: the first key of
``FIELD_ENCRYPTION_KEYS`` encrypts, every key decrypts, so keys rotate without downtime
(`himaya rotatekeys` re-encrypts every row with the newest key).

Names are searched through a blind index: keyed HMAC-SHA256 digests of normalised name tokens
(see ``names.py``). The key is separate from the encryption keys, so the index reveals nothing
without it, and a database dump holds neither names nor unkeyed hashes of them.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PREFIX = "enc1:"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return PREFIX + fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def encrypt_bytes(data: bytes) -> bytes:
    """A file kept at rest for a few hours (exchange.Extract), under the newest field key."""
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    """Raises ValueError when no configured key opens ``token``."""
    try:
        return fernet().decrypt(bytes(token))
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: no configured key matches") from exc


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("value is not encrypted")
    try:
        return fernet().decrypt(token[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: no configured key matches") from exc


def rotate(token: str) -> str:
    """The same plaintext, re-encrypted with the newest key."""
    if not token.startswith(PREFIX):
        raise ValueError("value is not encrypted")
    try:
        return PREFIX + fernet().rotate(token[len(PREFIX) :].encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: no configured key matches") from exc


def blind_digest(value: str) -> str:
    key = settings.BLIND_INDEX_KEY.encode("utf-8")
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
