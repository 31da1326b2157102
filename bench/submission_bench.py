"""Submission benchmark: the full proposal round trip and the call page's throughput, against
gunicorn on SQLite, each compared with a bare Django view served the same way.

Run: .venv/bin/python bench/submission_bench.py [--runs 20] [--clients 8] [--seconds 10]
     [--workers 2] [--queries]

It builds a fresh SQLite database with the demo data in a temporary folder, starts gunicorn
(sync workers) on a free port of 127.0.0.1 with ``bench.bench_settings`` (Deep Dive's settings
with a bare view "bench/bare/" added to the URLs and a middleware that reports each request's
server time in a ``Server-Timing`` header), and measures with plain HTTP clients:

1. The submission round trip as a browser on its first visit makes it: the log-in page (and
   its one reload by timezone.js, which sets the time-zone cookie), the log-in, the dashboard
   it redirects to, the call page, the proposal form, a complete draft saved, the edit page it
   redirects to, the proposal submitted, the proposal page it redirects to, and every static
   file (CSS, JS) those pages reference, once. Repeated ``--runs`` times with a new browser
   (cookies, cache) and a new proposal each time; server time (sum of Server-Timing) and
   client wall time per round trip.
2. The server time of the bare view (sequential requests).
3. Throughput with ``--clients`` concurrent clients for ``--seconds`` each, of the public call
   page (anonymous) and of the bare view.

``--queries`` also counts the SQL queries of every request (slightly slower; for profiling).
Exits non-zero only when a request failed (status 400 or more, a wrong redirect, no answer);
missing a target is reported, never a failure. Every request goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-demo-password"
MEMBER = "member@example.org"
BROWSER_ZONE = "Europe/Zurich"
USER_AGENT = "deepdive-submission-bench/1"
MAX_LOGINS = 25  # allauth allows 30 log-ins a minute per IP address (ACCOUNT_RATE_LIMITS)
DESCRIPTION = (
    "This webinar presents how a workers' union on tea estates in Malawi identifies child "
    "labour and forced labour risks with its members and with the estates' management. The "
    "speakers explain the monitoring committees set up in twelve villages, the grievance "
    "mechanism open to seasonal workers, and the agreements negotiated with two buyers to "
    "share the cost of remediation. A researcher compares the results with those of a "
    "certification audit on the same estates and discusses what each method found and missed. "
    "The session closes with questions from participants and a short guide that other unions "
    "in agricultural supply chains can adapt to their own sector and country."
)


class Failure(Exception):
    """A request that did not answer as a browser expects."""


# --------------------------------------------------------------------------- HTML reading


class FormReader(HTMLParser):
    """The controls of every form of a page, with the values a browser would send by default,
    and the static files (stylesheets, scripts, images) the page references.

    Controls inside <template> are not part of the form (a browser does not send them)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.assets: list[str] = []
        self.links: list[str] = []
        self._form: dict | None = None
        self._template_depth = 0
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "link" and "stylesheet" in a.get("rel", "").split() and a.get("href"):
            self.assets.append(a["href"])
        elif tag in ("script", "img") and a.get("src"):
            self.assets.append(a["src"])
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "template":
            self._template_depth += 1
            return
        if self._template_depth:
            return
        if tag == "form":
            self._form = {"attrs": a, "fields": [], "buttons": []}
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "button", "reset", "file"):
                if kind == "submit" and name:
                    self._form["buttons"].append((name, a.get("value", "")))
                return
            if kind in ("checkbox", "radio"):
                self._form["fields"].append(
                    {
                        "name": name,
                        "kind": kind,
                        "value": a.get("value", "on"),
                        "checked": "checked" in a,
                    }
                )
            else:
                self._form["fields"].append(
                    {"name": name, "kind": kind, "value": a.get("value", "")}
                )
        elif tag == "button":
            if a.get("type", "submit").lower() == "submit" and name:
                self._form["buttons"].append((name, a.get("value", "")))
        elif tag == "select":
            self._select = {
                "name": name,
                "kind": "select",
                "multiple": "multiple" in a,
                "options": [],
            }
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
            self._select["options"].append(self._option)
        elif tag == "textarea":
            self._textarea = {"name": name, "kind": "textarea", "value": ""}
            self._form["fields"].append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "template":
            self._template_depth = max(0, self._template_depth - 1)
        elif self._template_depth:
            return
        elif tag == "form":
            self._form = None
        elif tag == "select":
            self._select = self._option = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        elif self._textarea is not None:
            self._textarea["value"] += data


def read_page(html: str) -> FormReader:
    reader = FormReader()
    reader.feed(html)
    reader.close()
    for form in reader.forms:  # an <option> without value= sends its text
        for f in form["fields"]:
            for option in f.get("options", []):
                if option["value"] is None:
                    option["value"] = option["text"].strip()
    return reader


def find_form(reader: FormReader, *, field_name: str | None = None, form_id: str | None = None):
    for form in reader.forms:
        if form_id and form["attrs"].get("id") == form_id:
            return form
        if field_name and any(f["name"] == field_name for f in form["fields"]):
            return form
    raise Failure(f"no form with {form_id or field_name} on the page")


def default_values(form: dict) -> dict[str, list[str]]:
    """What the browser sends if nothing is touched (without any submit button)."""
    values: dict[str, list[str]] = {}
    for f in form["fields"]:
        if not f["name"]:
            continue
        if f["kind"] in ("checkbox", "radio"):
            if f["checked"]:
                values.setdefault(f["name"], []).append(f["value"])
        elif f["kind"] == "select":
            chosen = [o["value"] for o in f["options"] if o["selected"]]
            if not chosen and not f["multiple"] and f["options"]:
                chosen = [f["options"][0]["value"]]
            values.setdefault(f["name"], []).extend(chosen)
        elif f["kind"] == "textarea":
            # The HTML parser drops the newline that follows <textarea>, like a browser.
            values.setdefault(f["name"], []).append(f["value"].replace("\r\n", "\n"))
        else:
            values.setdefault(f["name"], []).append(f["value"])
    return values


def choices(form: dict, name: str) -> list[str]:
    """The values a user can choose for ``name`` (checkbox values or select options)."""
    found = []
    for f in form["fields"]:
        if f["name"] != name:
            continue
        if f["kind"] == "select":
            found += [o["value"] for o in f["options"] if o["value"]]
        elif f["kind"] in ("checkbox", "radio"):
            found.append(f["value"])
    if not found:
        raise Failure(f"the form has no choice for {name}")
    return found


def encode(values: dict[str, list[str]]) -> bytes:
    return urlencode([(k, v) for k, vs in values.items() for v in vs]).encode()


# --------------------------------------------------------------------------- HTTP client


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    wall_ms: float
    server_ms: float
    queries: int | None
    db_ms: float | None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


def server_timing(headers) -> float:
    match = re.search(r"(?:^|,)\s*app;dur=([0-9.]+)", headers.get("Server-Timing", ""))
    if not match:
        raise Failure("no Server-Timing header in the answer")
    return float(match.group(1))


def db_timing(headers) -> float | None:
    match = re.search(r"(?:^|,)\s*db;dur=([0-9.]+)", headers.get("Server-Timing", ""))
    return float(match.group(1)) if match else None


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict | None = None,
    timeout: float = 30,
) -> Answer:
    """One request on a new connection (gunicorn's sync workers close every connection)."""
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    wall = (time.perf_counter() - start) * 1000
    if response.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    queries = response.headers.get("X-Bench-Queries")
    return Answer(
        response.status,
        response.headers,
        data,
        wall,
        server_timing(response.headers),
        int(queries) if queries is not None else None,
        db_timing(response.headers),
    )


@dataclass
class Step:
    label: str
    method: str
    path: str
    status: int
    wall_ms: float
    server_ms: float
    queries: int | None
    db_ms: float | None


@dataclass
class Browser:
    """A first-time visitor: its own cookies and cache; follows redirects by hand so that
    each request is timed on its own."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    cache: set[str] = field(default_factory=set)
    steps: list[Step] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _headers(self, referer: str | None) -> dict:
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
            "Accept-Language": "en",
            "Accept-Encoding": "gzip",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if referer:
            headers["Referer"] = urljoin(self.origin, referer)
        return headers

    def _keep_cookies(self, answer: Answer) -> None:
        for header in answer.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                expired = morsel["max-age"] == "0" or (
                    morsel["expires"] and "1970" in morsel["expires"]
                )
                if expired or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def _send(self, label, method, path, *, body=None, referer=None, expect=(200,)) -> Answer:
        headers = self._headers(referer)
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        answer = request(self.port, method, path, body=body, headers=headers)
        self.steps.append(
            Step(
                label,
                method,
                path,
                answer.status,
                answer.wall_ms,
                answer.server_ms,
                answer.queries,
                answer.db_ms,
            )
        )
        if answer.status not in expect:
            errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', answer.text, re.S)
            detail = "; ".join(re.sub(r"<[^>]+>", " ", e).strip() for e in errors)[:500]
            raise Failure(
                f"{label}: {method} {path} answered {answer.status}"
                f"{', expected ' + str(expect)} {detail}"
            )
        self._keep_cookies(answer)
        return answer

    def page(self, label: str, path: str, *, referer: str | None = None) -> FormReader:
        """GET a page, then the static files it references that are not in the cache."""
        answer = self._send(label, "GET", path, referer=referer)
        reader = read_page(answer.text)
        for asset in reader.assets:
            url = urlsplit(urljoin(path, asset))
            if url.scheme not in ("", "http") or (url.netloc and url.port != self.port):
                continue
            if url.path in self.cache:
                continue
            self.cache.add(url.path)
            self._send(f"static {url.path.rsplit('/', 1)[-1]}", "GET", url.path, referer=path)
        return reader

    def post(self, label: str, path: str, values: dict, *, referer: str) -> str:
        """POST a form; return where the answer redirects to (a 302 is expected)."""
        answer = self._send(
            label, "POST", path, body=encode(values), referer=referer, expect=(302, 303)
        )
        return urlsplit(urljoin(path, answer.location)).path


def round_trip(port: int, call_path: str, number: int) -> Browser:
    browser = Browser(port)
    login_path = "/accounts/login/"
    browser.page("GET login page", login_path, referer=call_path)
    # timezone.js: no time-zone cookie yet, so it sets one and reloads the page once.
    browser.cookies["deepdive_tz"] = BROWSER_ZONE
    reader = browser.page("GET login page (time-zone reload)", login_path)
    login = default_values(find_form(reader, field_name="login"))
    login.update(login=[MEMBER], password=[PASSWORD])
    next_path = browser.post("POST log-in", login_path, login, referer=login_path)
    browser.page("GET dashboard (redirect)", next_path, referer=login_path)

    reader = browser.page("GET call page", call_path, referer=next_path)
    propose = next((h for h in reader.links if h.endswith("/propose/")), None)
    if propose is None:
        raise Failure("the call page shows no link to propose to a signed-in member")
    propose_path = urlsplit(urljoin(call_path, propose)).path
    reader = browser.page("GET proposal form", propose_path, referer=call_path)
    form = find_form(reader, form_id="proposal-form")
    if ("action", "draft") not in form["buttons"] or ("action", "submit") not in form["buttons"]:
        raise Failure("the proposal form has no draft and submit buttons")
    values = default_values(form)
    if not values.get("creation_token", [""])[0]:
        raise Failure("the new proposal form has no creation_token")
    countries = choices(form, "countries")
    values.update(
        title=[f"Bench webinar {number} on unions and child labour on tea estates {time.time()}"],
        description=[DESCRIPTION],
        outcomes=choices(form, "outcomes")[:1],
        themes=choices(form, "themes")[:1],
        countries=["MW"] if "MW" in countries else countries[:1],
        language=["en"],
        preferred_months=["3"],
        **{
            "speakers-0-name": ["Grace Banda"],
            "speakers-0-organisation": ["Lake Malawi Tea Workers' Union"],
            "speakers-0-role": ["Organiser"],
            "speakers-0-gender": choices(form, "speakers-0-gender")[:1],
        },
        action=["draft"],
    )
    if values.get("speakers-TOTAL_FORMS") != ["1"]:
        raise Failure(f"unexpected speakers management form: {values}")
    edit_path = browser.post("POST draft", propose_path, values, referer=propose_path)
    if not re.fullmatch(r"/proposals/\d+/edit/", edit_path):
        raise Failure(f"saving the draft redirected to {edit_path}, not the edit page")

    reader = browser.page("GET edit page (redirect)", edit_path, referer=propose_path)
    values = default_values(find_form(reader, form_id="proposal-form"))
    if not values.get("version", [""])[0]:
        raise Failure("the edit page has no version")
    values["action"] = ["submit"]
    view_path = browser.post("POST submit", edit_path, values, referer=edit_path)
    if not re.fullmatch(r"/proposals/\d+/", view_path):
        raise Failure(f"submitting redirected to {view_path}, not the proposal's page")
    reader = browser.page("GET proposal page (redirect)", view_path, referer=edit_path)
    return browser


# --------------------------------------------------------------------------- measurements


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def sequential(port: int, path: str, count: int) -> list[Answer]:
    answers = []
    for _ in range(count):
        answer = request(port, "GET", path, headers={"Host": f"127.0.0.1:{port}"})
        if answer.status != 200:
            raise Failure(f"GET {path} answered {answer.status}")
        answers.append(answer)
    return answers


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of processes (Linux /proc), 0 where unreadable."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def server_pids(server: subprocess.Popen) -> list[int]:
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    except OSError:
        children = []
    return [server.pid, *map(int, children)]


def throughput(port: int, path: str, clients: int, seconds: float, pids: list[int]) -> dict:
    """``clients`` threads each GET ``path`` in a loop (a new connection each time) for
    ``seconds``; returns the rate of successful requests, their latencies, and the CPU used by
    the server's processes and by this (client) process, in cores."""
    lock = threading.Lock()
    done: list[tuple[float, float]] = []
    failures: list[str] = []
    start_gate = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client():
        mine, bad = [], []
        start_gate.wait()
        while time.perf_counter() < deadline[0]:
            try:
                answer = request(port, "GET", path, headers={"Host": f"127.0.0.1:{port}"})
            except OSError as error:
                bad.append(repr(error))
                continue
            if answer.status != 200:
                bad.append(f"status {answer.status}")
            else:
                mine.append((answer.wall_ms, answer.server_ms))
        with lock:
            done.extend(mine)
            failures.extend(bad)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    server_cpu, client_cpu = cpu_seconds(pids), time.process_time()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start_gate.wait()
    for t in threads:
        t.join(timeout=seconds + 60)
    elapsed = time.perf_counter() - began
    server_cpu = (cpu_seconds(pids) - server_cpu) / elapsed
    client_cpu = (time.process_time() - client_cpu) / elapsed
    if failures:
        raise Failure(f"{len(failures)} failed requests to {path}, e.g. {failures[0]}")
    return {
        "rps": len(done) / elapsed,
        "count": len(done),
        "wall_median": statistics.median(w for w, _ in done),
        "wall_p95": percentile([w for w, _ in done], 0.95),
        "server_median": statistics.median(s for _, s in done),
        "server_cpu": server_cpu,
        "client_cpu": client_cpu,
    }


# --------------------------------------------------------------------------- set-up, server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env: dict) -> str:
    """Migrate, collect the static files and load the demo, in-process; return the call
    page's path."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from deepdive.demo.operations import load_demo
    from deepdive.series.models import Call

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_demo(password=PASSWORD)
    call = (
        Call.objects.select_related("series")
        .exclude(slug="first-round-reviewed")
        .get(series__slug="supply-chains-deep-dive")
    )
    path = f"/series/{call.series.slug}/calls/{call.slug}/"
    connections.close_all()
    return path


def start_server(env: dict, port: int, workers: int, log) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "deepdive.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_until_up(server: subprocess.Popen, port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise Failure(f"gunicorn stopped at start (exit {server.returncode})")
        try:
            if request(port, "GET", "/bench/bare/", timeout=5).status == 200:
                return
        except (OSError, Failure):
            pass
        time.sleep(0.2)
    raise Failure("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


# --------------------------------------------------------------------------- report


def report_round_trips(browsers: list[Browser], bare_server_median: float) -> None:
    server = [sum(s.server_ms for s in b.steps) for b in browsers]
    wall = [sum(s.wall_ms for s in b.steps) for b in browsers]
    requests = {len(b.steps) for b in browsers}
    print(
        f"\nSubmission round trip ({len(browsers)} runs, "
        f"{'/'.join(map(str, sorted(requests)))} requests each)"
    )
    print(
        f"  {'step (median of the runs)':40} {'server ms':>10} {'client ms':>10} "
        f"{'queries':>8} {'SQL ms':>7}"
    )
    labels = list(dict.fromkeys(s.label for b in browsers for s in b.steps))
    for label in labels:
        rows = [s for b in browsers for s in b.steps if s.label == label]
        queries = [s.queries for s in rows if s.queries is not None]
        db = [s.db_ms for s in rows if s.db_ms is not None]
        print(
            f"  {label:40} {statistics.median(s.server_ms for s in rows):10.1f} "
            f"{statistics.median(s.wall_ms for s in rows):10.1f} "
            f"{f'{statistics.median(queries):g}' if queries else '':>8} "
            f"{f'{statistics.median(db):.1f}' if db else '':>7}"
        )
    total_queries = [
        sum(s.queries for s in b.steps)
        for b in browsers
        if all(s.queries is not None for s in b.steps)
    ]
    print(
        f"  {'total, server time (sum of Server-Timing)':40} median "
        f"{statistics.median(server):.1f} ms, p95 {percentile(server, 0.95):.1f} ms"
    )
    print(
        f"  {'total, client wall time':40} median "
        f"{statistics.median(wall):.1f} ms, p95 {percentile(wall, 0.95):.1f} ms"
    )
    without_login = [
        sum(s.server_ms for s in b.steps if s.label != "POST log-in") for b in browsers
    ]
    print(
        f"  {'total server time without POST log-in':40} median "
        f"{statistics.median(without_login):.1f} ms"
    )
    if total_queries:
        total_db = [sum(s.db_ms or 0 for s in b.steps) for b in browsers]
        print(
            f"  {'SQL queries per round trip':40} median {statistics.median(total_queries):g}, "
            f"SQL time median {statistics.median(total_db):.1f} ms"
        )
    ratio = statistics.median(server) / bare_server_median
    print(
        f"  median server time / bare view's median server time: {ratio:.0f}x "
        f"(bare: {bare_server_median:.2f} ms)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="round trips (at most 25)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=10, help="duration of each rate test")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--queries", action="store_true", help="count SQL queries too")
    args = parser.parse_args()
    if not 1 <= args.runs <= MAX_LOGINS:
        parser.error(f"--runs must be 1 to {MAX_LOGINS} (allauth's log-in rate limit)")
    if not 1 <= args.clients <= 64 or not 0 < args.seconds <= 60:
        parser.error("--clients must be 1 to 64 and --seconds at most 60")

    var = tempfile.mkdtemp(prefix="deepdive-submission-bench-")
    env = {
        **os.environ,
        "DEEPDIVE_VAR": var,
        "DEEPDIVE_HOME": str(ROOT),
        "DEEPDIVE_ALLOWED_HOSTS": "127.0.0.1",
        "DEEPDIVE_DEMO_PASSWORD": PASSWORD,
        "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
        ),
    }
    env.pop("DEEPDIVE_DATABASE_URL", None)  # always SQLite in the temporary folder
    env.pop("DEEPDIVE_DEBUG", None)
    env.pop("DEEPDIVE_TESTING", None)
    if args.queries:
        env["DEEPDIVE_BENCH_QUERIES"] = "1"
    server = None
    log_path = Path(var) / "gunicorn.log"
    try:
        started = time.perf_counter()
        call_path = prepare(env)
        print(
            f"Set-up (migrate, collectstatic, demo) in {time.perf_counter() - started:.1f} s; "
            f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, SQLite, gunicorn "
            f"{args.workers} sync workers{', counting SQL queries' if args.queries else ''}"
        )
        port = free_port()
        with open(log_path, "w") as log:
            server = start_server(env, port, args.workers, log)
        wait_until_up(server, port)

        # Warm-up (not counted): one round trip, and a second of each rate test.
        round_trip(port, call_path, 0)
        browsers = [round_trip(port, call_path, n) for n in range(1, args.runs + 1)]

        bare = sequential(port, "/bench/bare/", 200)
        bare_server = statistics.median(a.server_ms for a in bare)
        call_sequential = sequential(port, call_path, 50)
        report_round_trips(browsers, bare_server)

        pids = server_pids(server)
        throughput(port, "/bench/bare/", args.clients, 1, pids)
        throughput(port, call_path, args.clients, 1, pids)
        bare_rate = throughput(port, "/bench/bare/", args.clients, args.seconds, pids)
        call_rate = throughput(port, call_path, args.clients, args.seconds, pids)
        call_queries = call_sequential[-1].queries
        print(
            f"\nThroughput ({args.clients} concurrent clients, {args.seconds:g} s each, "
            "a new connection per request)"
        )
        print(
            f"  {'page':22} {'req/s':>8} {'client median':>14} {'client p95':>11} "
            f"{'server median':>14} {'alone':>8} {'CPU server':>11} {'client':>7}"
        )
        for name, rate, alone in (
            ("bare view", bare_rate, bare),
            ("call page (anonymous)", call_rate, call_sequential),
        ):
            print(
                f"  {name:22} {rate['rps']:8.0f} {rate['wall_median']:11.1f} ms "
                f"{rate['wall_p95']:8.1f} ms {rate['server_median']:11.2f} ms "
                f"{statistics.median(a.server_ms for a in alone):5.2f} ms "
                f"{rate['server_cpu']:11.2f} {rate['client_cpu']:7.2f}"
            )
        ratio = call_rate["rps"] / bare_rate["rps"]
        print(
            f"  call page / bare view throughput: {ratio:.2f}"
            + (f"; call page SQL queries: {call_queries}" if call_queries is not None else "")
        )
        print(
            "  (alone: median server time of sequential requests, 200 bare, 50 call page;\n"
            "   CPU: cores used by gunicorn's processes and by this client process, of "
            f"{os.cpu_count()})"
        )

        server_total = statistics.median(sum(s.server_ms for s in b.steps) for b in browsers)
        print(
            "\nAims: call page >= 0.5x bare throughput: "
            f"{'met' if ratio >= 0.5 else 'MISSED'} ({ratio:.2f}); "
            f"submission < 150 ms server time: "
            f"{'met' if server_total < 150 else 'MISSED'} ({server_total:.0f} ms median)"
        )
        return 0
    except Failure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            stop_server(server)
            errors = log_path.read_text() if log_path.exists() else ""
            if errors.strip():
                print(f"\ngunicorn's log:\n{errors[-3000:]}", file=sys.stderr)
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
