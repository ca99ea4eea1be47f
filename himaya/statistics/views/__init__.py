"""Statistics pages: the commission's annual report of a year, live or frozen, its exports,
freezing and the records behind a figure (``annual``, under /figures/, for the analysts of the
national commission); the published statistics, without login (``public``, /statistics/)."""

from .annual import (  # noqa: F401
    figure_records,
    report_compute_now,
    report_export,
    report_freeze,
    report_index,
    report_page,
)
from .public import statistics  # noqa: F401
