"""The selects written in Python (core/widgets.py) are Django's, character for character."""

import pytest
from django import forms
from django.forms.renderers import get_default_renderer

from himaya.core import widgets

CHOICES = [
    ("", "---------"),
    ("MA", "المغرب"),
    ("FR", "France"),
    ("x", 'Côte d\'Ivoire & <b>"quoted"</b>'),
    (7, "a number"),
]
GROUPED = [
    ("", "—"),
    ("Africa", [("SN", "Sénégal"), ("NG", "Nigeria")]),
    ("Asia", [("PH", "Philippines")]),
    ("other", "Other"),
]


def django_render(widget, name, value, attrs=None):
    """The render of Django's own template-based widget of the same class and settings."""
    base = forms.SelectMultiple if widget.allow_multiple_selected else forms.Select
    original = base(attrs=widget.attrs, choices=widget.choices)
    original.is_required = widget.is_required
    return original.render(name, value, attrs, get_default_renderer())


CASES = [
    (widgets.Select, CHOICES, "FR", {}),
    (widgets.Select, CHOICES, "", {"id": "id_x", "class": "form-select"}),
    (widgets.Select, CHOICES, 7, {"required": True, "disabled": False, "data-x": 'a"b<'}),
    (widgets.Select, GROUPED, "NG", {"id": "id_g"}),
    (widgets.SelectMultiple, CHOICES, ["MA", "x"], {"size": 6, "class": "form-select"}),
    (widgets.SelectMultiple, GROUPED, ["SN", "PH", "other"], {}),
    (widgets.SelectMultiple, CHOICES, None, {}),
]


@pytest.mark.parametrize(("cls", "choices", "value", "attrs"), CASES)
def test_the_same_html_as_django(cls, choices, value, attrs):
    widget = cls(choices=choices)
    ours = widget.render("field", value, attrs, get_default_renderer())
    assert ours == django_render(widget, "field", value, attrs)


def test_labels_and_values_are_escaped():
    html = widgets.Select(choices=[('"><script>', "<script>alert(1)</script>")]).render("f", None)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'value="&quot;&gt;&lt;script&gt;"' in html


def test_a_country_field_renders_as_before(db):
    """A real code list in a real form: the person form's citizenships and sex, bound."""
    from himaya.people.forms import PersonForm

    form = PersonForm(data={"citizenships": ["1", "2"], "sex": ""})
    for name in ("citizenships", "sex", "languages"):
        bound = form[name]
        widget = bound.field.widget
        assert isinstance(widget, widgets.PythonOptionsMixin)
        attrs = bound.build_widget_attrs({"id": bound.auto_id})
        value = bound.value()
        ours = widget.render(bound.html_name, value, attrs, get_default_renderer())
        assert ours == django_render(widget, bound.html_name, value, attrs)
        assert ours.count("<option") == len(list(widget.choices))


def test_a_widget_with_templates_of_its_own_keeps_them():
    class Custom(widgets.Select):
        option_template_name = "django/forms/widgets/attrs.html"

    html = Custom(choices=[("a", "A")]).render("f", "a")
    assert "<option" not in html  # its own option template was used
