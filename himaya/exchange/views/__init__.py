"""Exchange pages: the registers' import (upload, dry run, report, commit, history), their
templates, the documentation of the columns and the export of registers (``registers``); HTCDS
in and out and the CTDC-style extract (``htcds``)."""

from .htcds import (  # noqa: F401
    ctdc_extract,
    extract_archive,
    extract_download,
    htcds_export,
    htcds_page,
)
from .registers import (  # noqa: F401
    documentation,
    export_registers,
    history,
    import_start,
    run_commit,
    run_detail,
    run_discard,
    template_csv,
    template_workbook,
)
