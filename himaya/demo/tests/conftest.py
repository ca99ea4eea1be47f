import pytest
from django.db import connections
from pytest_django.plugin import blocking_manager_key


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (the backup drill commits, so that pg_dump sees its rows) ends with
    the test database emptied, code lists included, which the migrations loaded once for the
    whole run. Put them back at once, so that whatever test this worker runs next finds the
    database as the migrations left it, not only those asking for a serialized rollback."""
    yield
    marker = item.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction") or nextitem is None:
        return  # (no test follows: the test database is already gone)
    with item.config.stash[blocking_manager_key].unblock():
        connection = connections["default"]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            connection.creation.deserialize_db_from_string(contents)
