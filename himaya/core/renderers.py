"""The form renderer: Django's widget templates, with one template of ours in front of them.

``django/forms/widgets/attrs.html`` (form_templates/) renders a field's length limit as
``data-maxlength`` instead of ``maxlength``: the browser's limit cuts what is typed or pasted
silently (a 22,500-character tip kept as its first 10,000), while the page's counter
(static/himaya/himaya.js) shows the limit coming and the server refuses an over-long value with
a message, the text kept in the field. Date inputs carry the message the page shows when the
browser holds something that is not a date (31/02/2001), which it never sends.
"""

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property

OURS = Path(__file__).resolve().parent / "form_templates"
DJANGO = Path(django.forms.__file__).resolve().parent / "templates"


class FormRenderer(DjangoTemplates):
    @cached_property
    def engine(self):
        # The apps' widget templates too (the admin's related-object and raw-id widgets, the
        # auth app's read-only password hash), after ours and Django's own.
        return self.backend(
            {"APP_DIRS": True, "DIRS": [OURS, DJANGO], "NAME": "himaya_forms", "OPTIONS": {}}
        )
