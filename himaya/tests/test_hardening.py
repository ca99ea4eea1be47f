"""Hardened deployment (S13): Django's deployment checks pass with production settings, and
every response carries CSP, nosniff, frame-deny (and HSTS over HTTPS)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def odk_key():
    """An RSA private key in PEM, as HIMAYA_ODK_PRIVATE_KEYS takes (required in production)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HIMAYA_", "DATABASE_"))}
    env.update(
        HIMAYA_ENV="production",
        SECRET_KEY="x" * 20 + Fernet.generate_key().decode(),
        HIMAYA_FIELD_KEYS=Fernet.generate_key().decode(),
        HIMAYA_BLIND_INDEX_KEY=Fernet.generate_key().decode(),
        HIMAYA_ODK_PRIVATE_KEYS=odk_key(),
        ALLOWED_HOSTS="himaya.example.org",
        # Never reached: `check` does not connect.
        DATABASE_URL="postgres://himaya@db.invalid:5432/himaya",
        HIMAYA_VAR_DIR="/tmp/himaya-deploy-check",
        DEBUG="",
    )
    env.update(extra)
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_settings(figure):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    figure(
        "S13: manage.py check --deploy --fail-level WARNING with production settings: "
        + ("passed" if result.returncode == 0 else "FAILED")
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "override, message",
    [
        ({"HIMAYA_DEMO": "1"}, "HIMAYA_DEMO is refused"),
        ({"DEBUG": "1"}, "DEBUG cannot be on"),
        ({"HIMAYA_FIELD_KEYS": ""}, "HIMAYA_FIELD_KEYS"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"HIMAYA_SESSION_IDLE_MINUTES": "90"}, "must be between 1 and 30, not 90"),
        # Integers read without a lower bound before: sessions that end at once, a lock-out
        # that never starts.
        ({"HIMAYA_SESSION_IDLE_MINUTES": "0"}, "must be between 1 and 30, not 0"),
        ({"HIMAYA_LOCKOUT_MINUTES": "-5"}, "HIMAYA_LOCKOUT_MINUTES must be between 1 and 1440"),
        ({"HIMAYA_CACHE_URL": "memcached://127.0.0.1:11211"}, "HIMAYA_CACHE_URL must be"),
        ({"DATABASE_URL": ""}, "HIMAYA_ENV=production needs PostgreSQL"),
    ],
)
def test_production_refuses_unsafe_settings(override, message):
    result = manage("check", env=production_env(**override))
    assert result.returncode != 0
    assert message in result.stderr


def test_secrets_can_come_from_files(tmp_path):
    key_file = tmp_path / "field-keys"
    key_file.write_text(Fernet.generate_key().decode())
    env = production_env(HIMAYA_FIELD_KEYS="")
    env["HIMAYA_FIELD_KEYS_FILE"] = str(key_file)
    assert manage("check", env=env).returncode == 0


def test_security_headers_on_every_response(users, login, settings, figure):
    settings.SECURE_HSTS_SECONDS = 31536000
    pages = [
        (Client(), reverse("accounts:login")),
        (Client(), reverse("home")),
        (Client(), "/does-not-exist/"),
        (login(users["alice"]), reverse("home")),
        (login(users["alice"]), reverse("accounts:security")),
        (Client(), "/api/"),
    ]
    missing = []
    for client, url in pages:
        response = client.get(url, secure=True)
        headers = {
            "Content-Security-Policy": response.get("Content-Security-Policy", ""),
            "X-Content-Type-Options": response.get("X-Content-Type-Options", ""),
            "X-Frame-Options": response.get("X-Frame-Options", ""),
            "Strict-Transport-Security": response.get("Strict-Transport-Security", ""),
        }
        if (
            "default-src 'self'" not in headers["Content-Security-Policy"]
            or "frame-ancestors 'none'" not in headers["Content-Security-Policy"]
            or headers["X-Content-Type-Options"] != "nosniff"
            or headers["X-Frame-Options"] != "DENY"
            or "max-age=31536000" not in headers["Strict-Transport-Security"]
        ):
            missing.append((url, headers))
    figure(
        f"S13: CSP, HSTS, nosniff and frame-deny present on {len(pages) - len(missing)} of "
        f"{len(pages)} sampled responses"
    )
    assert missing == []


def test_production_requires_the_field_screenings_key():
    result = manage("check", env=production_env(HIMAYA_ODK_PRIVATE_KEYS=""))
    assert result.returncode == 1
    assert "HIMAYA_ODK_PRIVATE_KEYS (or HIMAYA_ODK_PRIVATE_KEYS_FILE) is required" in result.stderr
