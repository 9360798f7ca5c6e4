"""A real deployment: Debian's nginx, with a certificate made here, proxies HTTPS to
`leaflets serve`; Chromium (Selenium) opens a reviewer's invitation link, edits and approves a
Spanish string and sees the page change; a translator cannot approve; a revoked reviewer's
open page is signed out. Everything listens on 127.0.0.1, and both servers are stopped
whatever happens."""

from __future__ import annotations

import http.cookiejar
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from leaflets.i18n.po.catalog import read_catalog
from leaflets.studio import people
from leaflets.studio.people import Person
from leaflets.studio.store import Store
from tests.conftest import copy_project
from tests.studio.test_browser import CHROMIUM, CHROMIUM_FLAGS, DRIVER, box, image_src, ready, wait

pytestmark = pytest.mark.browser
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
START_S = 30.0
NGINX_CONF = """\
daemon off;
master_process off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {tmp}/cert.pem;
        ssl_certificate_key {tmp}/key.pem;
        location / {{
            proxy_pass http://127.0.0.1:{backend};
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_buffering off;
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} stopped: {process.stderr.read() if process.stderr else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"{what} did not listen on {port} within {START_S} s")


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.fail("needs Debian's nginx: `make setup` installs it")
    tmp = tmp_path_factory.mktemp("deploy")
    root = copy_project(tmp / "project")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", tmp / "key.pem", "-out", tmp / "cert.pem", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    port, backend = free_port(), free_port()
    public = f"https://127.0.0.1:{port}/"
    store = Store.of_project(root).create()
    links = {
        role: people.invitation_link(public, people.invite(store, person))
        for role, person in {
            "reviewer": Person("Ana Rivera", "reviewer", ("es",)),
            "translator": Person("Tijo", "translator", ("ht",)),
        }.items()
    }
    (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, port=port, backend=backend))
    serve = nginx = None
    try:
        serve = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve", "--no-open", "--port", str(backend),
             "--public-url", public, "--forwarded-allow-ips", "127.0.0.1"],
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        assert serve.stdout.readline() == f"Serving on {public}\n"
        listening(backend, serve, "leaflets serve")
        nginx = subprocess.Popen(
            [NGINX, "-e", str(tmp / "error.log"), "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        listening(port, nginx, "nginx")
        yield root, public, links, store
    finally:
        stop(nginx)
        stop(serve)


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="leaflets-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    # The test's own self-signed certificate.
    flags = (*CHROMIUM_FLAGS, "--ignore-certificate-errors", f"--user-data-dir={profile}")
    for flag in flags:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def https_client() -> urllib.request.OpenerDirector:
    """A script's client with a cookie jar, trusting the test's own certificate."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context),
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
    )


def post(client, url: str, body: dict, headers: dict) -> int:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"Content-Type": "application/json", **headers}
    )
    try:
        with client.open(request, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_reviewer_edits_and_approves_over_https_and_is_then_revoked(deployment, browser):
    root, public, links, store = deployment
    browser.get(links["reviewer"])
    wait(browser, lambda d: d.execute_script("return location.pathname") == "/")
    browser.get("about:blank")  # a new page load: from "/" the hash alone would not reload
    browser.get(public + "#es/card")
    wait(browser, ready, timeout=60)
    assert browser.find_element(By.ID, "who-name").text == "Ana Rivera"
    assert browser.execute_script("return location.protocol") == "https:"
    before = image_src(browser)
    wait(browser, lambda d: box(d, "Need help?").click() or True)
    area = browser.find_element(By.ID, "t0")
    area.clear()
    area.send_keys("¿Le hace falta ayuda?")
    browser.find_element(By.ID, "save").click()
    wait(browser, lambda d: image_src(d) != before and ready(d), timeout=60)
    po = root / "locales/es/LC_MESSAGES/messages.po"
    assert read_catalog(po).get("Need help?").string == "¿Le hace falta ayuda?"
    wait(browser, lambda d: d.find_element(By.ID, "approve").is_enabled())
    browser.find_element(By.ID, "approve").click()
    wait(browser, lambda d: d.find_element(By.ID, "m-review").text.startswith("approved by Ana"))
    assert 'reviewer = "Ana Rivera"' in (root / "locales/es/review.toml").read_text()
    wait(browser, lambda d: "Ana Rivera approved" in d.find_element(By.ID, "m-history").text)

    # The translator's session, as a script through the proxy: it may edit ht, not approve.
    translator = https_client()
    origin = {"Origin": public.rstrip("/")}
    token = links["translator"].split("#")[1]
    assert post(translator, public + "api/signin", {"invitation": token}, origin) == 200
    with translator.open(public + "api/session", timeout=30) as answer:
        session = json.load(answer)
    assert (session["name"], session["role"]) == ("Tijo", "translator")
    approve = {"messages": [{"id": "Need help?"}]}
    headers = {**origin, "X-Leaflets-Token": session["csrf"]}
    assert post(translator, public + "api/reviews/ht", approve, headers) == 403
    assert post(translator, public + "api/signin", {"invitation": token}, origin) == 403

    # Revoked: the open page is signed out through its event stream, and a request refused.
    people.revoke(store, "Ana Rivera")
    wait(browser, lambda d: "You are not signed in" in d.find_element(By.TAG_NAME, "body").text)
    status = browser.execute_script(
        "return fetch('/api/project', {credentials: 'same-origin'}).then((r) => r.status);"
    )
    assert status == 401
