"""The workers' shared cache (HIMAYA_CACHE_URL: Redis, through django-redis): what one process
keeps, another reads; a Redis that does not answer is a cache miss, never an error page."""

import os
import socket
import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from himaya.environment import shared_cache
from himaya.tests.test_hardening import manage

REDIS = ("127.0.0.1", 6379)


def redis_answers():
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


def in_a_process(code, cache_url):
    """Run ``code`` in a process of its own, as a gunicorn worker would be, with the cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIMAYA_")}
    env["HIMAYA_CACHE_URL"] = cache_url
    done = manage("shell", "--no-imports", "-c", code, env=env)
    assert done.returncode == 0, done.stderr
    return (done.stdout.strip().splitlines() or [""])[-1]


@pytest.mark.skipif(not redis_answers(), reason="no Redis server on 127.0.0.1:6379")
def test_what_one_worker_keeps_another_reads():
    url = f"redis://{REDIS[0]}:{REDIS[1]}/15"
    key = f"test-shared-{uuid.uuid4().hex}"
    get = f"from django.core.cache import cache; print(repr(cache.get({key!r})))"
    assert in_a_process(get, url) == "None"
    in_a_process(f"from django.core.cache import cache; cache.set({key!r}, 'حماية', 60)", url)
    assert in_a_process(get, url) == repr("حماية")
    in_a_process(f"from django.core.cache import cache; cache.delete({key!r})", url)


@pytest.mark.django_db
def test_a_redis_that_does_not_answer_is_a_cache_miss_not_an_error(settings, users, login):
    # Nothing listens on port 9 here: every cache call fails to connect.
    settings.CACHES = {
        "default": shared_cache("redis://127.0.0.1:9/0", settings.DATABASES["default"])
    }
    cache.set("figure", 7)
    assert cache.get("figure") is None
    assert Client().get(reverse("public_stats:index")).status_code == 200
    page = login(users["ana"]).get(reverse("home"))
    assert page.status_code == 200 and page.context["commission_so_far"]
