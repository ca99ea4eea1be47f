"""Fixtures of the exchange app's tests: files handed to the background worker (whose queue
the root conftest's ``work`` runs)."""

import pytest


@pytest.fixture
def large(settings, tmp_path):
    """Every file of more than two rows goes to the worker; the pending files in a temporary
    folder."""
    settings.HIMAYA_IMPORT_INLINE_ROWS = 2
    settings.VAR_DIR = tmp_path
    return tmp_path
