"""The demo screenings (himaya/demo/screening.py), loaded through the actions in the run's demo
deployment (himaya/conftest.py): campaigns, about 150 screenings of every result, dossiers
opened from some, some attached to existing dossiers, two drafts for the demo police officer."""

import re

import pytest

from himaya.demo.models import DemoRun
from himaya.screening.models import Campaign, Screening

pytestmark = pytest.mark.django_db


def test_demo_screenings(demo_database, figure):
    run = DemoRun.objects.get()
    anchor, counts = run.anchor, run.counts
    part = {k: v for k, v in counts.items() if "screening" in k or k == "campaigns"}
    figure(f"demo screenings: {part}")
    assert counts["campaigns"] == Campaign.objects.count() == 7
    assert 130 <= counts["screenings"] <= 170
    assert counts["screening_drafts"] == 2
    submitted = Screening.objects.filter(status="submitted")
    assert set(submitted.values_list("recommendation", flat=True)) == {"strong", "possible", "none"}
    assert set(submitted.values_list("questionnaire__code", flat=True)) == {
        "adult_labour",
        "adult_sexual",
        "child",
    }
    assert counts["dossiers_from_screenings"] >= 5
    assert counts["screenings_linked"] >= 1
    assert submitted.filter(dossier__isnull=False).count() == (
        counts["dossiers_from_screenings"] + counts["screenings_linked"]
    )
    drafts = Screening.objects.filter(status="draft")
    assert {s.screener.username for s in drafts} == {"police"}
    days = submitted.values_list("screened_on", flat=True)
    assert (anchor - min(days)).days > 600 and max(days) <= anchor
    assert Campaign.objects.filter(status="closed").exists()
    assert Campaign.objects.filter(status="active").exists()


def test_every_role_browses_the_screening_pages_of_the_demo(demo_database, figure):
    """Breadth-first over the links of the screening section, GET only, in Arabic and French,
    for each demo role: no server error."""
    from collections import deque

    from himaya.accounts.models import User
    from himaya.conftest import verified_client
    from himaya.demo import data

    pages, errors = 0, []
    for index, (username, *_rest) in enumerate(data.DEMO_USERS):
        user = User.objects.get(username=username)
        user.preferred_language = "ar" if index % 2 == 0 else "fr"
        user.save(update_fields=["preferred_language"])
        client = verified_client(user)
        seen = {"/screening/", "/screening/campaigns/", "/screening/questionnaires/"}
        queue = deque(sorted(seen))
        opened = 0
        while queue and opened < 30:
            url = queue.popleft()
            response = client.get(url)
            opened += 1
            if response.status_code >= 500:
                errors.append((username, url, response.status_code))
            if response.status_code != 200:
                continue
            for link in re.findall(r'href="(/screening/[^"#]*)"', response.content.decode()):
                link = link.replace("&amp;", "&")
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
        pages += opened
    figure(
        f"demo screening crawl: {pages} pages by {len(data.DEMO_USERS)} roles"
        f" → {len(errors)} server errors"
    )
    assert errors == []
    assert pages > 100
