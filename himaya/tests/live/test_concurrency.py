"""No lost updates under real concurrency (R1): parallel saves of one record against a running
server, each from the same stale version, on SQLite and on PostgreSQL."""

import json
import threading
import urllib.error
import urllib.request

from .conftest import API_TOKEN

WRITERS = 8


def call(server, method, path, body=None):
    request = urllib.request.Request(
        server + path,
        method=method,
        data=json.dumps(body).encode() if body else None,
        headers={"Authorization": f"Bearer {API_TOKEN}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_parallel_stale_saves_conflict_instead_of_overwriting(server, figure):
    status, persons = call(server, "GET", "/api/persons/")
    assert status == 200
    person = next(p for p in persons["results"] if p["given_name_lat"] == "Salma")
    path, version = f"/api/persons/{person['id']}/", person["version"]
    barrier = threading.Barrier(WRITERS)
    results = {}

    def save(i):
        barrier.wait()
        results[i] = call(
            server, "PATCH", path, {"version": version, "family_name_lat": f"Writer{i}"}
        )

    threads = [threading.Thread(target=save, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(status for status, _body in results.values())
    winners = [i for i, (status, _body) in results.items() if status == 200]
    _status, final = call(server, "GET", path)
    overwritten = len(winners) != 1 or final["family_name_lat"] != f"Writer{winners[0]}"
    figure(
        f"R1: {WRITERS} parallel saves from one stale version → {statuses.count(200)} saved, "
        f"{statuses.count(409)} refused with 409, {int(overwritten)} silent overwrites"
    )
    assert statuses == [200] + [409] * (WRITERS - 1)
    assert final["version"] == version + 1 and not overwritten
