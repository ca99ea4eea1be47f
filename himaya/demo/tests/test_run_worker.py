"""`himaya run`'s background worker (issue 17): started without the autoreloader, and stopped
with the server when the server is sent SIGTERM."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import load_command_class

from himaya.demo.management.commands import himaya_run

ROOT = Path(__file__).resolve().parents[3]

# A stand-in for `himaya run`: the real serve_with_worker, a server that waits, and a worker
# that prints its pid and waits (the real db_worker needs a database; the stopping is the same).
SCRIPT = """
import sys, time
import django
django.setup()
from himaya.demo.management.commands.himaya_run import serve_with_worker

def serve():
    print("serving", flush=True)
    time.sleep(120)

serve_with_worker(
    serve,
    [sys.executable, "-c", "import os, time; print(os.getpid(), flush=True); time.sleep(120)"],
)
"""


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_worker_runs_without_the_autoreloader():
    command = himaya_run.WORKER_COMMAND
    assert command[1:4] == ["-m", "django", "db_worker"]
    parser = load_command_class("django_tasks_db", "db_worker").create_parser("django", "db_worker")
    options = parser.parse_args(command[4:])
    assert options.reload is False
    assert options.interval == 1


def test_sigterm_to_the_server_stops_the_worker():
    server = subprocess.Popen(  # noqa: S603 -- our own interpreter and script
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    worker_pid = None
    try:
        lines = {server.stdout.readline().strip() for _ in range(2)}
        assert "serving" in lines, lines
        (worker_pid,) = (int(line) for line in lines if line.isdigit())
        assert alive(worker_pid)
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 128 + signal.SIGTERM
        # serve_with_worker reaps the worker before it returns: no waiting here.
        assert not alive(worker_pid)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        if worker_pid and alive(worker_pid):
            os.kill(worker_pid, signal.SIGKILL)


def test_the_worker_stops_when_the_server_ends_by_an_error():
    started = []

    def serve():
        started.append(True)
        raise RuntimeError("address already in use")

    worker_command = [sys.executable, "-c", "import time; time.sleep(120)"]
    real_popen = subprocess.Popen
    children = []

    def popen(*args, **kwargs):
        child = real_popen(*args, **kwargs)
        children.append(child)
        return child

    previous = signal.getsignal(signal.SIGTERM)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(himaya_run.subprocess, "Popen", popen)
        with pytest.raises(RuntimeError):
            himaya_run.serve_with_worker(serve, worker_command)
    assert started and len(children) == 1
    assert children[0].returncode == -signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is previous
