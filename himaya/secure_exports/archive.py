"""The encrypted archive: one file in an AES-256 zip (WinZip AE-2, through pyzipper), and the
one-time password that opens it.

Why a zip and not an age or OpenPGP file: the people who receive exports (an NGO caseworker, a
prosecutor's clerk) open them on office computers with 7-Zip, WinZip, Keka or PeaZip, which read
AES zip archives with nothing else to install or learn; age and OpenPGP need a tool and keys of
their own. Why pyzipper: it is the zipfile module of the standard library with WinZip AES added,
maintained, pure Python over pycryptodomex, and it reads what it writes (the tests open every
archive with it). The legacy "ZipCrypto" of zip archives is broken; it is never used.
"""

import io
import secrets

import pyzipper

# Lower-case letters and digits that no one confuses when reading aloud or copying by hand
# (no 0/o, 1/l/i): 31 symbols, 24 of them ≈ 119 bits. WinZip AES derives its key with only
# 1,000 rounds of PBKDF2, so the password's length is what stops guessing: at 119 bits, no one
# gets through while the archive exists, nor long after.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
GROUPS, GROUP_LENGTH = 6, 4


def new_password():
    """``xxxx-xxxx-xxxx-xxxx-xxxx-xxxx``: the dashes are part of it."""
    return "-".join(
        "".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS)
    )


def encrypt(file_name, content, password):
    """``content`` as ``file_name`` inside an AES-256 zip archive opened by ``password``."""
    out = io.BytesIO()
    with pyzipper.AESZipFile(
        out, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(password.encode())
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        archive.writestr(file_name, content)
    return out.getvalue()


def decrypt(data, password):
    """``{name: content}`` of an archive; raises RuntimeError for a wrong password. For tests
    and for checking an archive by hand."""
    with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
        archive.setpassword(password.encode())
        return {name: archive.read(name) for name in archive.namelist()}
