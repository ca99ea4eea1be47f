"""Evidence files: what a file is, judged from its bytes (QUALITY S19), never from its name or
the browser's word, with the limits of the register imports (exchange/reading.py: 5 MB, zips
checked before anything is inflated, macros refused, markup refused, polyglots refused).

Accepted: PDF documents, PNG and JPEG images, Word (DOCX) and Excel (XLSX) files, and CSV
text. Everything else is refused, SVG and HTML first (they run scripts when opened in a
browser). A file is kept in the database and only ever served back as a download
(``Content-Disposition: attachment``, ``application/octet-stream``, nosniff), never inline.
"""

import io
import re
import unicodedata
import zipfile

from django.utils.translation import gettext_lazy as _

MAX_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED = 60 * 1024 * 1024
MAX_MEMBERS = 1000
NAME_MAX = 150

EXTENSIONS = {
    "pdf": "pdf",
    "png": "png",
    "jpeg": "jpg",
    "docx": "docx",
    "xlsx": "xlsx",
    "csv": "csv",
}

# What a browser sniffs as markup in the first bytes of a file (the HTML and SVG sniffing of
# the WHATWG MIME sniffing standard looks at the first 512): refused in any file.
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|\?xml)", re.IGNORECASE)
_MARKUP_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<\s*[A-Za-z!?/]")
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x01\x02")


NOT_ACCEPTED = _(
    "This type of file is not accepted: send a PDF, an image, or a Word or Excel file."
)


class FileRefused(Exception):
    """The file cannot be kept as evidence; the message says why, in the user's language."""


def _office(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise FileRefused(_("The file is a damaged zip archive.")) from exc
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNZIPPED:
        raise FileRefused(_("The file is too large once uncompressed."))
    if "[Content_Types].xml" not in names:
        raise FileRefused(_("Zip archives are refused: send a Word or Excel file, or a PDF."))
    if any("vbaProject" in n for n in names):
        raise FileRefused(_("Files with macros are refused."))
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    raise FileRefused(_("Only Word (DOCX) and Excel (XLSX) documents are accepted."))


def _no_polyglot(data, kind):
    if kind not in ("docx", "xlsx") and any(sig in data for sig in _ZIP_SIGNATURES):
        raise FileRefused(_("The file hides another file inside it."))
    if _MARKUP.search(data[:1024]):
        raise FileRefused(_("The file contains HTML, SVG or XML markup."))


def sniff(data: bytes) -> str:
    """The kind of the file (a key of EXTENSIONS); raises FileRefused otherwise."""
    if len(data) > MAX_BYTES:
        raise FileRefused(_("The file is too large (limit: 5 MB)."))
    if not data.strip():
        raise FileRefused(_("The file is empty."))
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-1024:]:
            raise FileRefused(_("The PDF document is incomplete or damaged."))
        kind = "pdf"
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        if not data.endswith(b"IEND\xaeB`\x82"):
            raise FileRefused(_("The image is damaged or carries data after its end."))
        kind = "png"
    elif data.startswith(b"\xff\xd8\xff"):
        if not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
            raise FileRefused(_("The image is damaged or carries data after its end."))
        kind = "jpeg"
    elif data.startswith(b"PK\x03\x04"):
        kind = _office(data)
    else:
        if b"\x00" in data:
            raise FileRefused(NOT_ACCEPTED)
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FileRefused(NOT_ACCEPTED) from exc
        if _MARKUP_START.match(data):
            raise FileRefused(_("The file contains HTML, SVG or XML markup."))
        kind = "csv"
    _no_polyglot(data, kind)
    return kind


def clean_name(name: str, kind: str) -> str:
    """A file name safe to show and to send back: the last path part, without control or
    bidi characters, with the extension of what the file really is."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem[:NAME_MAX].strip() or "evidence"
    return f"{stem}.{EXTENSIONS[kind]}"
