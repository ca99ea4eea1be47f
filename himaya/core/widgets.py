"""Selects whose options are written in Python (issue 15, item 23).

Django renders a select through a template that includes a template per option, and each
option includes the attributes template: a list of the world's 250 countries costs some 750
template renders, 20 to 80 ms on a shared 2-core machine, on every page that shows one (the
person form, the person page's document form, the person list's filters) — more than the
page's own queries. These widgets write the same HTML, character for character, from the same
context (``get_context``: ids, ``required``, selected options), so the select still looks and
behaves as Django's and a test compares the two renders. A subclass with templates of its own,
or attributes a template of ours rewrites (``maxlength``, core/form_templates), is rendered by
its templates as before.
"""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs):
    """As django/forms/widgets/attrs.html writes them: False left out, True as a bare name."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


class PythonOptionsMixin:
    def render(self, name, value, attrs=None, renderer=None):
        if self.template_name != SELECT or self.option_template_name != OPTION:
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        if "maxlength" in widget["attrs"]:
            return super().render(name, value, attrs, renderer)
        parts = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        # The whitespace of Django's templates, newline at the end of the option's file included.
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in group_choices:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        str(option["value"]),
                        mark_safe(_attrs(option["attrs"])),  # noqa: S308 -- escaped in _attrs
                        option["label"],
                    )
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 -- every value escaped above


class Select(PythonOptionsMixin, forms.Select):
    pass


class SelectMultiple(PythonOptionsMixin, forms.SelectMultiple):
    pass


class LanguageSelect(Select):
    """Languages named in their own script ("Français" on an Arabic page), each option saying
    its language (``lang``) so that a screen reader reads it in that language."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            option["attrs"]["lang"] = str(value)
        return option
