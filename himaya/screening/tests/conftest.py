"""Fixtures of the screening tests."""

import pytest

from .helpers import submitted


@pytest.fixture
def screening(users, orgs):
    """A strong-indication screening by carol (police)."""
    return submitted(users["carol"], orgs["police"])
