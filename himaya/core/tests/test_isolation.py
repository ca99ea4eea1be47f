"""What Himaya puts inside its own sentences keeps its order in the other script: <bdi> in a
page (the isolate characters are removed from every page, core/templating.py), CSS escapes in
a PDF margin."""

from django.template import engines

from himaya.core.bidi import html_sentence, isolate, isolate_plain
from himaya.core.pdf import css_string


def test_a_page_keeps_the_isolation_as_markup():
    sentence = html_sentence("Dossier %(ref)s for <%(who)s>", ref=isolate("HMY-1"), who="<b>")
    page = engines["django"].from_string("{{ s }}").render({"s": sentence})
    assert page == 'Dossier <bdi dir="auto">HMY-1</bdi> for &lt;&lt;b&gt;&gt;'


def test_a_pdf_margin_keeps_the_isolation_as_css_escapes():
    css = css_string("طبع من طرف " + isolate_plain("Amina") + "\r\n\f" + '"</style>')
    assert "\u2068" not in css and "\\2068 Amina\\2069 " in css
    assert "\r" not in css and "\f" not in css and "\n" not in css
    assert css.endswith('\\"\\3c /style\\3e "')
    page = engines["django"].from_string("{{ c|safe }}").render({"c": css})
    assert page == css  # nothing for the page's bidi filter to remove
