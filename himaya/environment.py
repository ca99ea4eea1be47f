"""Reading the settings from the environment, strictly: the helpers ``himaya/settings.py`` uses.

Secrets may come from files: for every variable NAME, NAME_FILE names a file holding it. A bad
value stops the start with ``ImproperlyConfigured`` naming the variable and what it must be;
nothing is guessed. Every integer has its bounds stated where it is read (``env_int``)."""

import hashlib
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HIMAYA_VAR_DIR", BASE_DIR / "var"))


def env(name, default=None):
    """A setting from the environment, or from the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = env(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name, default, *, low, high):
    """An integer setting from ``low`` to ``high`` inclusive (``None``: no bound on that side).

    The bounds are required, so that no integer is read without them: a zero or negative
    duration, count or port would otherwise start a server that misbehaves (sessions that end at
    once, a lock-out that never ends)."""
    value = env(name)
    if value is None or value == "":
        number = default
    else:
        try:
            number = int(value)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc
    if (low is not None and number < low) or (high is not None and number > high):
        raise ImproperlyConfigured(f"{name} must be {_bounds(low, high)}, not {number}")
    return number


def _bounds(low, high):
    if low is None:
        return f"at most {high}"
    if high is None:
        return f"at least {low}"
    return f"between {low} and {high}"


def local_secret(name, nbytes=32):
    """A secret kept in var/ for development and tests, generated once."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / f"{name}.key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(nbytes), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def required_secret(name, local_name, *, production):
    """NAME (or NAME_FILE); required in production, else a local secret made once."""
    value = env(name)
    if value:
        return value
    if production:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) is required in production")
    return local_secret(local_name)


def check_backup_keys(recipients, identity):
    """Refuse backup keys that are not age keys: a public key per recipient, secret keys for
    the identity (one per line or comma-separated, # comments allowed)."""
    import pyrage

    for value in recipients.split(","):
        if value.strip():
            try:
                pyrage.x25519.Recipient.from_str(value.strip())
            except pyrage.RecipientError as exc:
                raise ImproperlyConfigured(
                    f"HIMAYA_BACKUP_RECIPIENTS holds {value.strip()[:12]!r}…, not an age public "
                    "key (age1…)"
                ) from exc
    for line in identity.replace(",", "\n").splitlines():
        if line.strip() and not line.strip().startswith("#"):
            try:
                pyrage.x25519.Identity.from_str(line.strip())
            except pyrage.IdentityError as exc:
                raise ImproperlyConfigured(
                    "HIMAYA_BACKUP_IDENTITY must hold age secret keys (AGE-SECRET-KEY-1…)"
                ) from exc


def shared_cache(url, database):
    """The cache settings of a Redis server at ``url`` shared by the workers of the deployment
    whose database settings are ``database`` (settings.py says what is cached)."""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("HIMAYA_CACHE_URL must be a redis://, rediss:// or unix:// URL")
    # A Redis on the local network answers in a millisecond: one that does not answer costs a
    # page at most these few tenths of a second per cache call.
    options = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.5}
    # Keys carry the database they were computed from: two deployments (production, a demo)
    # sharing one Redis database never read each other's figures.
    source = f"{database.get('HOST', '')}:{database.get('PORT', '')}/{database['NAME']}"
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "himaya-" + hashlib.sha256(source.encode()).hexdigest()[:12],
        "OPTIONS": options,
    }
