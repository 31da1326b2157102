"""The README's multi-process deployment, for real: ``waitress-serve`` started exactly as
"Beyond one machine" says, with production settings, behind a (pretended) reverse proxy on
the same machine that terminates TLS."""

import http.client
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "deepdive.example.org"


def documented_command() -> list[str]:
    """The ``waitress-serve`` command of the README's "Beyond one machine"."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Beyond one machine", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S) + re.findall(r"`([^`\n]+)`", section)
    command = next(b for b in blocks if "waitress-serve" in b)
    return shlex.split(command.replace("\\\n", " "))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def on_port(command: list[str], port: int) -> list[str]:
    """``command`` with the README's port replaced by ``port`` and the virtualenv's program."""
    command = [str(BIN / "waitress-serve") if c.endswith("waitress-serve") else c for c in command]
    for i, arg in enumerate(command):
        if arg in ("--listen", "--port"):
            host = command[i + 1].rpartition(":")[0]
            command[i + 1] = f"{host}:{port}" if arg == "--listen" else str(port)
        elif arg.startswith(("--listen=", "--port=")):
            name, value = arg.split("=", 1)
            host = value.rpartition(":")[0]
            command[i] = f"{name}={host}:{port}" if name == "--listen" else f"{name}={port}"
    return command


@pytest.fixture(scope="module")
def production_env(tmp_path_factory):
    """Production settings on a fresh SQLite database, migrated, static files collected."""
    var = tmp_path_factory.mktemp("var")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DEEPDIVE_", "DJANGO_")) and k != "PORT"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="deepdive.settings",
        DEEPDIVE_ALLOWED_HOSTS=HOST,
        DEEPDIVE_SECRET_KEY="a-production-like-secret-key-" + "x" * 40,
        DEEPDIVE_VAR=str(var),
        DEEPDIVE_DATABASE_URL=f"sqlite:///{var / 'deepdive.sqlite3'}",
        DEEPDIVE_EMAIL_URL="console://",
    )
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [str(BIN / "deepdive"), *step, "-v0"],
            env=env,
            cwd=var,
            check=True,
            timeout=300,
            capture_output=True,
        )
    return env


def serve(command: list[str], port: int, env: dict):
    """Start the server; wait (at most 30 s) until it accepts connections."""
    log = open(Path(env["DEEPDIVE_VAR"]) / f"waitress-{port}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        command, env=env, cwd=env["DEEPDIVE_VAR"], stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.close()
            pytest.fail(f"waitress-serve stopped: {Path(log.name).read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, log
        except OSError:
            time.sleep(0.2)
    process.kill()
    pytest.fail("waitress-serve did not start within 30 s")


def stop(process, log) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    log.close()


def get(port: int, headers: dict[str, str]) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/", headers={"Host": HOST, **headers})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.fixture
def server(production_env):
    """Run a command on a free port; every server started is stopped at the end."""
    started = []

    def start(command: list[str]) -> int:
        port = free_port()
        started.append(serve(on_port(command, port), port, production_env))
        return port

    yield start
    for process, log in started:
        stop(process, log)


PROXIED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"}


def test_the_documented_command_serves_the_proxied_https_request(server):
    port = server(documented_command())
    response = get(port, PROXIED)
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security", "").startswith("max-age=")
    # A request that did not come through TLS is sent there.
    response = get(port, {"X-Forwarded-For": "203.0.113.5"})
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/"


def test_the_documented_command_trusts_only_the_named_proxy(server):
    command = documented_command()
    assert "--trusted-proxy" in command
    # The same command naming another machine as the proxy: our request's headers are dropped.
    command[command.index("--trusted-proxy") + 1] = "192.0.2.1"
    port = server(command)
    response = get(port, PROXIED)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/"
