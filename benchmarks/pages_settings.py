"""Settings for benchmarks/pages.py: Himaya's own (production, from the environment), with the
URLconf of pages_urls.py (Himaya's, plus the bare view the pages are measured against)."""

from himaya.settings import *  # noqa: F403

ROOT_URLCONF = "pages_urls"
