"""The neutral vocabulary of import registers, below every app: a register's kinds of records
and their columns (``schema``), the values of its cells (``values``), and a row compared with
the record imported before (``compare``).

Each app declares its own import kinds with it, beside its actions (``cases/imports.py``,
``referrals/imports.py``, ``justice/imports/``; the person columns in ``people/imports.py``), as
NetBox's apps declare their import forms with Django's form fields; ``exchange`` groups the kinds
into registers, reads the files and runs them (its engine). The types live here, not in
exchange, because exchange sits above the apps that declare with them (pyproject.toml's
layers)."""
