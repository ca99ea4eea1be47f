"""Passwords (S11): 12 characters or more, common and all-digit passwords refused, argon2."""

from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from himaya.accounts.models import User

WEAK = [
    "short pass",  # 10 characters
    "elevenchars",
    "password1234",  # common
    "123456789012",  # all digits
    "1qaz2wsx3edc",  # common keyboard walk
    "qwertyuiop123",
    "himaya.user@example.org",  # the account's own e-mail
]
STRONG = ["tanger-oujda-laayoune", "correct horse battery staple", "نخلة زيتون 2026 سماء"]


def test_weak_passwords_are_refused_and_strong_ones_hashed_with_argon2(db, figure):
    user = User(username="himaya.user", email="himaya.user@example.org")
    refused = 0
    for password in WEAK:
        try:
            validate_password(password, user=user)
        except ValidationError:
            refused += 1
    accepted = 0
    for password in STRONG:
        validate_password(password, user=user)
        accepted += 1
    user.set_password(STRONG[0])
    user.save()
    assert identify_hasher(user.password).algorithm == "argon2"
    production_first = [h for h in settings.PASSWORD_HASHERS if "Fast" not in h][0]
    assert production_first == "django.contrib.auth.hashers.Argon2PasswordHasher"
    figure(
        f"S11: {refused} of {len(WEAK)} weak passwords refused, {accepted} of "
        f"{len(STRONG)} strong ones accepted, stored with argon2"
    )
    assert refused == len(WEAK) and accepted == len(STRONG)
