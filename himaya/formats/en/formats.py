"""English: day/month/year as in British use (Babel's en_GB), 24-hour."""

from himaya.formats.common import *  # noqa: F403
from himaya.formats.day_first import *  # noqa: F403
