"""Arabic (Morocco): day/month/year in digits, 24-hour; no month names here, since Django's
Arabic ones are not Morocco's (يناير … دجنبر come from Babel's ar-MA)."""

from himaya.formats.common import *  # noqa: F403
from himaya.formats.day_first import *  # noqa: F403
