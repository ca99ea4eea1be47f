"""HTCDS workbooks for the tests: IOM's template itself (shared/standards/htcds), filled as an
NGO fills it; where the standard's files are not beside the repository, the same layout built
from exchange/htcds/standard.py."""

import io
import warnings
from pathlib import Path

from django.conf import settings
from openpyxl import Workbook, load_workbook

from himaya.exchange.htcds import standard

TEMPLATES = Path(settings.BASE_DIR).parent / "shared" / "standards" / "htcds"
VALIDATION_TEMPLATE = "HTCDS Excel Spreadsheet single select with validation v2.0.xlsx"
PLAIN_TEMPLATE = "HTCDS Excel Spreadsheet v2.0.xlsx"


def _template(name):
    path = TEMPLATES / name
    if path.exists():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl drops the dropdowns' extension
            return load_workbook(path)
    wb = Workbook()
    ws = wb.active
    ws.title = standard.TEMPLATE_SHEET if "validation" in name else "Sheet1"
    ws.append([h or None for h in standard.FIELD_ROW])
    ws.append([h or None for h in standard.LABEL_ROW])
    for n in range(1, 1001):
        ws.append([n])
    return wb


def filled(rows, name=VALIDATION_TEMPLATE, extra_headers=()):
    """The template with ``rows`` (dicts of field name or row-2 label → value) from row 3."""
    wb = _template(name)
    ws = wb.worksheets[0]
    fields = [c.value for c in ws[1]]
    labels = [c.value for c in ws[2]]
    for header in extra_headers:
        fields.append(header)
        labels.append(None)
        ws.cell(row=1, column=len(fields), value=header)
    for offset, values in enumerate(rows):
        for key, value in values.items():
            col = fields.index(key) + 1 if key in fields else labels.index(key) + 1
            ws.cell(row=3 + offset, column=col, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
