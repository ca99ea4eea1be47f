from django.conf import settings


def languages(request):
    """The language switch shows each language in its own name, whatever the page's language."""
    return {"language_choices": settings.LANGUAGES}
