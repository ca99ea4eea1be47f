"""Hostile uploads (issue 14, item 2): the memory and time the importer's reader spends on the
worst workbook its limits allow, beside a plain workbook of the same rows, and on the bombs it
refuses. Each file is read in a child process of its own (``reading.read``: the census, then
openpyxl), whose wall time and peak resident memory (Linux's VmHWM, reset once the process is
ready, so "grew" is what reading the file cost) are reported.

    .venv/bin/python benchmarks/uploads.py                 # 2,000 and 10,000 rows
    .venv/bin/python benchmarks/uploads.py --rows 2000     # quick

Files, built here with zipfile (fixed content, no randomness):

- plain: ``rows`` × 60 distinct strings (shared strings), as Excel writes a register (a full
  20,000 × 60 register passes the 60 MB uncompressed limit: 10,000 rows is about the largest);
- worst allowed: the same rows, plus formatted empty cells up to column AMJ (1024, the
  per-row limit) on as many rows as the 1,500,000-cell limit allows, a dimension claiming
  XFD1048576, a last (empty) row numbered 200,000 (openpyxl yields every row up to it),
  240,000 merged cells and a style sheet of 240,000 elements (each part just under the
  250,000-element limit), and strings as long as the 60 MB uncompressed limit leaves room for;
- bombs (refused): the probe's 3,000,000 empty cells in one row, a cell at XFD with a
  dimension of XFD1048576, rows numbered up to 1,048,576, 64 MB of zeros, a billion-laughs DTD.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEAD = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override '
        'PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
        'name="investigations" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>'
    ),
}


def _column(index):
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


COLUMNS = [_column(i) for i in range(1, 1025)]


def workbook(rows, worst=False):
    """A register of ``rows`` rows × 60 shared strings; ``worst`` adds what the limits allow."""
    from himaya.exchange import reading

    cells = rows * 60
    extra = reading.MAX_CELLS - cells - 1 if worst else 0  # formatted empty cells to add
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in HEAD.items():
            zf.writestr(name, text)
        with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
            dim = '<dimension ref="A1:XFD1048576"/>' if worst else ""
            fh.write(f'<worksheet xmlns="{MAIN}">{dim}<sheetData>'.encode())
            for r in range(1, rows + 1):
                line = [f'<row r="{r}">']
                line += [f'<c t="s"><v>{(r - 1) * 60 + c}</v></c>' for c in range(60)]
                if extra > 0:
                    pad = min(extra, reading.MAX_ROW_CELLS - 60)
                    line.append('<c s="1"/>' * pad)
                    extra -= pad
                line.append("</row>")
                fh.write("".join(line).encode())
            if worst:
                last = reading.MAX_SCANNED_ROWS
                fh.write(f'<row r="{last}"><c r="A{last}" s="1"/></row>'.encode())
            fh.write(b"</sheetData>")
            if worst:
                merged = b'<mergeCell ref="BJ1:BK1"/>' * (reading.MAX_PART_ELEMENTS - 10_000)
                fh.write(b"<mergeCells>" + merged + b"</mergeCells>")
            fh.write(b"</worksheet>")
        if worst:
            xfs = "<xf/>" * (reading.MAX_PART_ELEMENTS - 10_000)
            zf.writestr(
                "xl/styles.xml", f'<styleSheet xmlns="{MAIN}"><cellXfs>{xfs}</cellXfs></styleSheet>'
            )
        # Strings as long as the uncompressed limit leaves room for ("<si><t></t></si>": 16).
        used = sum(i.file_size for i in zf.infolist())
        length = 12 if not worst else min(2000, (reading.MAX_UNZIPPED - used - 100) // cells - 16)
        with zf.open("xl/sharedStrings.xml", "w") as fh:
            fh.write(f'<sst xmlns="{MAIN}">'.encode())
            for n in range(cells):
                fh.write(f"<si><t>{str(n).rjust(length, 'x')}</t></si>".encode())
            fh.write(b"</sst>")
    return out.getvalue()


def bombs():
    from himaya.exchange.tests import test_hostile as t

    return {
        "3,000,000 cells in one row": t.BOMBS["3,000,000 cells in one row"][0](),
        "a cell at XFD, dimension XFD1048576": t.BOMBS["one cell at XFD, dimension A1:XFD1048576"][
            0
        ](),
        "rows numbered up to 1,048,576": t.BOMBS["row numbers jumping to 1,048,576"][0](),
        "64 MB of zeros (zip bomb)": t.BOMBS["64 MB of zeros (zip bomb)"][0](),
        "billion laughs (DTD entities)": t.DAMAGED["a DTD entity (billion laughs) in a sheet"],
    }


def _memory():
    """(resident, peak resident) of this process in MB, from /proc."""
    fields = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            key, _sep, value = line.partition(":")
            fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def child(path):
    import django

    django.setup()
    from django.utils import translation

    from himaya.exchange import reading

    translation.activate("en")
    reading.read(b"ref\nwarm-up\n", "warm.csv")  # imports out of the measure
    from openpyxl import load_workbook  # noqa: F401

    with open(path, "rb") as fh:
        data = fh.read()
    # The peak resident size starts again from here (ru_maxrss would keep the parent's peak
    # across fork and exec).
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    base, _peak = _memory()
    start = time.perf_counter()
    try:
        _fmt, sheets = reading.read(data, "register.xlsx")
        outcome = f"read, {sum(len(s.rows) for s in sheets)} rows"
    except reading.FileRefused as exc:
        outcome = "refused: " + str(exc)[:60]
    seconds = time.perf_counter() - start
    _rss, peak = _memory()
    print(
        json.dumps(
            {"seconds": seconds, "peak_mb": peak, "grew_mb": peak - base, "outcome": outcome}
        )
    )


def measure(label, data):
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    try:
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="himaya.settings", LANGUAGE_CODE="en")
        out = subprocess.run(  # noqa: S603 (this script, on a file it wrote)
            [sys.executable, __file__, "--child", path],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(path)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        unzipped = sum(i.file_size for i in zf.infolist())
    r = json.loads(out.strip().splitlines()[-1])
    print(
        f"{label:<42} {len(data) / 1e6:>7.2f} {unzipped / 1e6:>8.1f} {r['seconds']:>8.2f} "
        f"{r['peak_mb']:>8.0f} {r['grew_mb']:>8.0f}  {r['outcome']}",
        flush=True,
    )
    return r


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", default="2000,10000")
    parser.add_argument("--child")
    args = parser.parse_args()
    sys.path.insert(0, ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "himaya.settings")
    if args.child:
        return child(args.child)
    import django

    django.setup()
    print(
        f"{'file':<42} {'zip MB':>7} {'unzip MB':>8} {'read s':>8} {'peak MB':>8} "
        f"{'grew MB':>8}  outcome"
    )
    for rows in [int(n) for n in args.rows.split(",")]:
        plain = measure(f"plain, {rows:,} rows × 60", workbook(rows))
        worst = measure(f"worst allowed, {rows:,} rows × 60", workbook(rows, worst=True))
        print(
            f"{'  worst / plain':<42} {'':>7} {'':>8} {worst['seconds'] / plain['seconds']:>8.2f} "
            f"{worst['peak_mb'] / plain['peak_mb']:>8.2f} "
            f"{worst['grew_mb'] / max(plain['grew_mb'], 1):>8.2f}"
        )
    for label, data in bombs().items():
        measure(label, data)


if __name__ == "__main__":
    main()
