"""S20: the API keeps its published schema under fuzzing. Schemathesis draws requests from the
live OpenAPI schema (/api/schema/) for every operation, valid ones and ones that break it, and
sends them in-process to the application as members of several roles, an account with no
membership and an anonymous caller, over the demo's data. Any 5xx, undocumented status code or
content type, response that breaks its schema, or invalid request that is accepted fails the
test. Selected alone with ``-m schemathesis``.

The budget is a fixed number of examples per operation and mode, drawn from a fixed seed
(hypothesis ``derandomize``), with no deadline: the run is the same on every machine and day."""

import collections
import contextlib

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, strategies
from hypothesis import settings as budget
from rest_framework import serializers
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi import checks

from himaya.accounts.models import ApiToken, User
from himaya.core.api import StrictFieldsMixin
from himaya.demo import loader

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]

EXAMPLES = 6  # per operation and mode: ~1,200 requests for the ~100 operations
PERSONS = 20  # demo persons: every kind of record exists, in several organisations
ROLES = ["hotline", "police", "prosecutor", "caseworker", "shelter", "analyst", "linkage"]
CHECKS = [
    not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
]


@pytest.fixture
def callers(settings):
    settings.DEMO_MODE = True
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    loader.load(persons=PERSONS)
    outsider = User.objects.create_user("outsider", password=None)  # no membership at all
    tokens = {name: ApiToken.issue(User.objects.get(username=name), "s20")[1] for name in ROLES}
    tokens["outsider"] = ApiToken.issue(outsider, "s20")[1]
    tokens["admin"] = ApiToken.issue(User.objects.get(username="admin"), "s20")[1]
    # Responses are gzip-compressed for clients that accept it (settings: GZipMiddleware), and
    # schemathesis' WSGI transport asks for gzip without decoding it: the fuzzing asks for the
    # plain body (the compressed one is tested in tests/test_fixed_costs.py).
    plain = {"Accept-Encoding": "identity"}
    headers = {name: {**plain, "Authorization": f"Bearer {raw}"} for name, raw in tokens.items()}
    headers["anonymous"] = plain  # whatever credentials schemathesis makes up, or none
    return headers


@contextlib.contextmanager
def connection_kept():
    """Requests sent to the WSGI application in this process must not close the database
    connection when they end, as Django's test client arranges for its own: on PostgreSQL that
    would end the test's transaction after the first request. (The test client reconnects
    the signals after each of its requests, so this wraps the fuzzing alone.)"""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def live_schema(headers):
    response = Client(headers=headers).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = schemathesis.openapi.from_dict(response.json())
    schema.app = WSGIHandler()
    return schema


def fuzz(operation, mode, callers, tally):
    @budget(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=operation.as_strategy(generation_mode=mode),
        who=strategies.sampled_from(sorted(callers)),
    )
    def run(case, who):
        tally["cases"] += 1
        try:
            case.call_and_validate(headers=callers[who], checks=CHECKS)
        except BaseExceptionGroup as group:  # schemathesis' FailureGroup: one per check failed
            for failure in group.exceptions:
                tally["failures"].append((operation.label, mode.value, who, failure))

    run()


def test_schemathesis_finds_no_server_error_and_no_schema_violation(callers, figure):
    schema = live_schema(callers["analyst"])
    tally = {"cases": 0, "failures": []}
    operations = 0
    with connection_kept():
        for result in schema.get_all_operations():
            operation = result.ok()
            operations += 1
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                fuzz(operation, mode, callers, tally)
    server_errors = [f for f in tally["failures"] if f[3].__class__.__name__ == "ServerError"]
    violations = [f for f in tally["failures"] if f not in server_errors]
    assert operations > 90  # the whole API, not a schema that lost its paths
    kinds = collections.Counter(
        f"{label} [{mode}, {who}] {failure.__class__.__name__}: {str(failure).splitlines()[0]}"
        for label, mode, who, failure in tally["failures"]
    )
    assert not kinds, "\n".join(f"{n} × {line}" for line, n in kinds.most_common(40))
    figure(
        f"S20 schemathesis: {operations} operations, {tally['cases']} cases → "
        f"{len(server_errors)} server errors, {len(violations)} schema violations"
    )


def token_client(user):
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user, 's20')[1]}"})


def test_unknown_body_field_is_refused_and_named(users):
    client = token_client(users["alice"])
    before = client.get("/api/goals/").json()["count"]
    response = client.post(
        "/api/goals/",
        {"dossier": 1, "goal": "Housing", "golas": "typo"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["golas"]
    assert client.get("/api/goals/").json()["count"] == before


@pytest.mark.parametrize("page", ["", "0", "-1", "x", "1.5", "last", "١"])
def test_bad_page_is_a_400_that_names_it(users, page):
    response = token_client(users["ana"]).get("/api/organisations/", {"page": page})
    assert response.status_code == 400
    assert list(response.json()) == ["page"]


def test_page_past_the_end_is_a_404_in_json(users):
    client = token_client(users["ana"])
    assert client.get("/api/organisations/", {"page": 1}).status_code == 200
    response = client.get("/api/organisations/", {"page": 999})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_unrouted_api_address_is_a_json_404(users):
    response = token_client(users["ana"]).get("/api/persons/not-a-number/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_schema_declares_errors_optional_text_and_closed_bodies(users):
    raw = token_client(users["ana"]).get("/api/schema/", {"format": "json"}).json()
    goal = raw["paths"]["/api/goals/"]["post"]["responses"]
    assert {"201", "400", "401", "403", "404", "409", "415"} <= set(goal)
    detail = raw["paths"]["/api/goals/{id}/"]["get"]["responses"]
    assert {"200", "401", "403", "404"} <= set(detail)
    components = raw["components"]["schemas"]
    assert "goal" not in components["Goal"]["required"]  # hidden from readers without identity
    assert "guardian" not in components["Referral"]["required"]
    assert components["GoalCreateRequest"]["additionalProperties"] is False
    page = next(p for p in raw["paths"]["/api/goals/"]["get"]["parameters"] if p["name"] == "page")
    assert page["allowEmptyValue"] is False and page["schema"]["minimum"] == 1


def test_every_api_serializer_refuses_unknown_fields():
    import himaya.api_urls  # noqa: F401  (loads every app's API module)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    api = [
        cls
        for cls in subclasses(serializers.Serializer)
        if cls.__module__.startswith("himaya.") and "api" in cls.__module__
    ]
    assert len(api) > 50  # the walk saw the apps' serializers
    lax = [cls.__qualname__ for cls in api if not issubclass(cls, StrictFieldsMixin)]
    assert lax == []
