"""Every route of the URLconf, with sample arguments, for walks over the whole site."""

import re
import uuid

from django.urls import URLPattern, URLResolver, get_resolver

CONVERTER_SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": str(uuid.uuid4())}


def _route_text(pattern):
    text = str(pattern.pattern)
    if hasattr(pattern.pattern, "_route"):
        return re.sub(
            r"<(?:(\w+):)?\w+>", lambda m: CONVERTER_SAMPLES.get(m.group(1) or "str", "x"), text
        )
    # Regex patterns (the admin's): take the first alternative of each group.
    text = text.lstrip("^").rstrip("$").replace("\\Z", "")
    text = re.sub(r"\(\?P<\w+>([^)|]*)(\|[^)]*)?\)", lambda m: m.group(1).strip("\\") or "1", text)
    text = re.sub(r"\[\^/\]\+|\.\+|\.\*|\\d\+|\[0-9\]\+", "1", text)
    return text.replace("\\", "").replace("?", "")


def all_routes(resolver=None, prefix="/", namespace=""):
    """(name, sample path) for every leaf of the URLconf."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        part = _route_text(pattern)
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from all_routes(pattern, prefix + part, full_ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or "?"
            yield (f"{namespace}:{name}" if namespace else name), prefix + part


def search(client, url, data):
    """A list search as the browser does it: POST the words, follow to the tokenised URL."""
    response = client.post(url, data)
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"])
