"""The annual report: every table of DOMAIN.md §6 for a year with the year before beside it,
the facts the statement is written from, the series behind the charts and the UNODC
breakdowns, as one JSON-serialisable dict (it is stored as it is when a report is frozen).

A stored report holds data, never translated text: each label is a reference to its words
(a msgid with its values, a code, a choice; statistics.labels), turned into Arabic, French or
English when a page or an export is made (``labels.localise``), so the language of whoever
computed or froze the report never leaks into another. Every number comes from
``himaya.statistics.figures``; this package only lays the figures out.

The package lays the report out in one module per part: the cells (``cells``), the tables of
justice, victims, protection and the others, the UNODC breakdowns (``unodc``), the build that
puts them together (``build``), and the action plan's indicators read from a report
(``indicators``).
"""

from .build import FACT_ROWS, FORMAT, LANGUAGES, STEPS, build_report, find_row  # noqa: F401
from .cells import code_labels, row, table, tri, tri_format  # noqa: F401
from .indicators import INDICATOR_ROWS, indicator_values  # noqa: F401
from .justice import SERIES_YEARS  # noqa: F401
