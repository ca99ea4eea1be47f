"""The shared form rendering (issue 15, item 17): no field cuts what is typed or pasted (no HTML
maxlength: data-maxlength for the page's counter instead), an over-long text is refused with
"at most N characters (you typed M)" and stays in the field, on every form, the public tip
form included."""

import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from himaya.core.templatetags.himaya_forms import too_long_message
from himaya.hotline.models import Report
from himaya.hotline.tests.test_public import public_client, tip_data
from himaya.people.models import Person
from himaya.people.tests.test_views import person_data

pytestmark = pytest.mark.django_db


def test_no_widget_renders_the_browsers_cutting_maxlength():
    class F(forms.Form):
        name = forms.CharField(max_length=100)
        text = forms.CharField(max_length=10000, widget=forms.Textarea)
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    html = str(F().as_div())
    assert "maxlength=" not in html.replace("data-maxlength=", "")
    assert 'data-maxlength="100"' in html and 'data-maxlength="10000"' in html
    assert 'data-too-long="At most 100 characters (you typed {typed})."' in html
    assert 'data-not-a-date="This is not a date: check the day, the month and the year."' in html


def test_the_message_agrees_with_the_number_in_arabic():
    with translation.override("ar"):
        assert too_long_message(100, 120) != too_long_message(1, 120)
    assert too_long_message(1, 3) == "At most 1 character (you typed 3)."


def test_a_pasted_22500_character_tip_is_refused_whole_and_kept(db):
    text = "Une longue déposition. " * 978 + "fin"  # 22,497 characters
    response = public_client().post(reverse("tips:report"), tip_data(narrative=text))
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert f"At most 10000 characters (you typed {len(text)})." in html
    textarea = re.search(r'<textarea name="narrative"[^>]*>(.*?)</textarea>', html, re.S)
    assert textarea and textarea.group(1).strip() == text  # nothing cut, nothing lost
    assert "maxlength=" not in textarea.group(0).replace("data-maxlength=", "")
    assert Report.objects.count() == 0


def test_an_over_long_name_is_refused_with_both_numbers_and_kept(users, login):
    client = login(users["alice"])
    name = "A" * 130
    response = client.post(reverse("people:create"), person_data(given_name_lat=name))
    html = response.content.decode()
    assert "At most 100 characters (you typed 130)." in html
    assert f'value="{name}"' in html
    # The error is the one the field's aria-describedby names.
    assert 'aria-describedby="id_given_name_lat_error"' in html
    assert 'id="id_given_name_lat_error"' in html
    assert Person.objects.count() == 0
