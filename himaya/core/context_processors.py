from django.conf import settings

SHORT = {"ar": "عربي", "fr": "FR", "en": "EN"}


def languages(request):
    """The language switch shows each language in its own name, whatever the page's language."""
    return {
        "language_choices": settings.LANGUAGES,
        # The staff frame's switch on a phone: each language's name is too wide beside the
        # bell and the menu button, so a short one stands in (the full name is its title).
        "language_buttons": [
            (code, name, SHORT.get(code, code.upper())) for code, name in settings.LANGUAGES
        ],
    }
