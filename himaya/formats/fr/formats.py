"""French (Morocco): day/month/year, 24-hour."""

from himaya.formats.common import *  # noqa: F403
