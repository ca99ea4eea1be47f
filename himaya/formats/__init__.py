"""Django's date formats per language (settings.FORMAT_MODULE_PATH), for what Django formats by
itself: the admin, form fields, a ``|date`` filter. Pages and exports format dates through Babel
(``mdate`` / ``mdatetime``, core/templatetags/himaya.py: ar-MA and fr-MA, Moroccan month names);
these keep Django's own output in the same shape, day first and 24-hour, never the US
month/day/year with AM/PM that Django falls back to when a language has no format module."""
