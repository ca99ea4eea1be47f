"""Bulk loading of a synthetic caseload for the benchmarks (not part of the test suite).

``load_caseload(n, seed, year)`` fills a freshly migrated PostgreSQL database with ``n``
persons and their records, spread over the six years ``year - 5`` .. ``year``, by COPY
(psycopg's ``cursor.copy()``) straight into the real tables. Per person: a dossier (with its
forms through the m2m table), a stage event, an identification decision, a referral and a
service session or a shelter stay ("5 events"); for a share of them returns, justice records
(investigation, dossier link, suspect, arrest, prosecution, charge, court decision, sentence,
victim participation) and non-punishment offences with their alerts. Encrypted fields get real
ciphertext, encrypted once and reused (the report never reads them).

- ``copying``: COPY into a model's table (``Table``), sequences, row counts;
- ``tables``: the tables filled and the columns the generator gives for each;
- ``reference``: the organisations, accounts, shelters, support and campaigns (through the ORM);
- ``caseload``: the generator, one method per kind of record, and ``load_caseload``.

Column lists come from the models (``Table``): a column not given by the generator gets the
field's default, or NULL, so a new nullable field does not break the loader; a new required
field without a default stops it with a clear message. The generator is deterministic for a
seed (``random.Random``)."""

from .caseload import load_caseload
from .copying import Table, reset_sequences, table_counts

__all__ = ["Table", "load_caseload", "reset_sequences", "table_counts"]
