"""Every page a demo user can reach by following links works: no server error in Arabic or
French, for every role, on the full demo deployment."""

import re
from collections import deque

import pytest

from himaya.accounts.models import User
from himaya.conftest import verified_client
from himaya.demo import data

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/static/", "/accounts/logout", "/api/schema", "/sysadmin/")
PAGES_PER_USER = 40


def crawl(client, start="/"):
    """Breadth-first over the links of the pages, GET only, up to PAGES_PER_USER pages."""
    seen, queue, results = {start}, deque([start]), []
    while queue and len(results) < PAGES_PER_USER:
        url = queue.popleft()
        response = client.get(url)
        results.append((url, response.status_code))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for link in HREF.findall(response.content.decode()):
            link = link.replace("&amp;", "&")
            if link not in seen and not link.startswith(SKIP):
                seen.add(link)
                queue.append(link)
    return results


def test_every_role_browses_the_demo_without_errors(demo_database, figure):
    pages, errors = 0, []
    for index, (username, *_rest) in enumerate(data.DEMO_USERS):
        user = User.objects.get(username=username)
        user.preferred_language = "ar" if index % 2 == 0 else "fr"
        user.save(update_fields=["preferred_language"])
        results = crawl(verified_client(user))
        pages += len(results)
        errors += [(username, url, status) for url, status in results if status >= 500]
        assert len(results) >= 3, (username, results)
    figure(
        f"demo crawl: {pages} pages opened by {len(data.DEMO_USERS)} demo users in Arabic "
        f"and French → {len(errors)} server errors"
    )
    assert errors == []
