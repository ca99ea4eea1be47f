"""Django's template backend, with one addition: what a template renders never holds a
direction embedding, override or isolate character (core/bidi.py).

Free text is shown in dozens of places (notes, tip narratives, reasons, addresses, places,
answers, error messages that quote a cell) and more come with every page; neutralising the
rendered output covers them all, the pages, their htmx fragments, the admin, the printed
dossier's PDF and the e-mails alike, without trusting each template to remember a filter.
What the API and the exports hand out is data, not display, and keeps what was typed.
"""

from django.template.backends import django as django_backend

from .bidi import neutralise


class Template(django_backend.Template):
    def render(self, context=None, request=None):
        return neutralise(super().render(context, request))


class DjangoTemplates(django_backend.DjangoTemplates):
    def from_string(self, template_code):
        return Template(super().from_string(template_code).template, self)

    def get_template(self, template_name):
        return Template(super().get_template(template_name).template, self)
