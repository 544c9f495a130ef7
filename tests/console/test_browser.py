"""The operators' console in a real browser (issue 15): Debian's Chromium driven by Selenium through
``chromium-driver``, headless, against a gateway served on loopback with the embedded native ledger.

The source 1000 is the identity tests' fake adapter (tests/identity/fake_adapter.py): the console needs tenants, not a
ledger, and seeding the native demo company would double the test's time. One browser session for the module, one
story: sign in with a TOTP code, register each kind of app (the secret shown
once), rotate, revoke, restore, delete a connection (the partner's next call answers 401), set an expiry and watch
the token request fail after it (the identity clock moved forward, no sleeping), read and export the activity log.
Screenshots of every page go to ``tests/console/screenshots/`` (git-ignored; the main ones are copied by hand into
``docs/console/``).

Without Chromium the module is skipped, except in CI (``CI=true``), where the Makefile's test recipe installs
``chromium chromium-driver`` and a missing browser is a failure.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import socket
import threading
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from aiohttp import web

from adapters import registry
from gateway.app import create_app
from gateway.appkeys import DB, IDENTITY
from gateway.console import operators
from gateway.settings import load_settings
from gateway.store import activity
from gateway.store.crypto import SecretBox
from tests.identity.fake_adapter import TENANT_B

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
EMAIL, PASSWORD = "ops@example.com", "operator password 1"

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs {CHROMIUM} and {CHROMEDRIVER} (make test installs chromium chromium-driver)",
                    pytrace=False)
    pytest.skip("Chromium and chromium-driver are not installed", allow_module_level=True)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


class Served:
    """A gateway on 127.0.0.1 in a thread of its own, with its event loop."""

    def __init__(self, data_dir: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.app = create_app(load_settings(data_dir=data_dir, port=self.port))
        self.loop = asyncio.new_event_loop()
        self.runner = web.AppRunner(self.app)
        self.loop.run_until_complete(self.runner.setup())
        self.loop.run_until_complete(web.TCPSite(self.runner, "127.0.0.1", self.port).start())
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.port}"
        self.clock = self.app[IDENTITY].clock

    def run(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=30)

    def stop(self) -> None:
        async def shutdown() -> None:  # on the server's loop: every task ends there, none in this thread
            await self.runner.cleanup()
            rest = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in rest:
                task.cancel()
            await asyncio.gather(*rest, return_exceptions=True)
            await self.loop.shutdown_asyncgens()

        self.run(shutdown())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(registry.ADAPTERS, "1000", "tests.identity.fake_adapter:FakeAdapter")
        served = Served(tmp_path_factory.mktemp("console") / "data")
        yield served
        served.stop()


@pytest.fixture(scope="module")
def totp(served) -> pyotp.TOTP:
    box = SecretBox.from_data_dir(served.app[IDENTITY].settings.data_dir)
    uri = served.run(operators.create_operator(served.app[DB], box, email=EMAIL, password=PASSWORD,
                                               now=served.clock.now()))
    return pyotp.TOTP(parse_qs(urlsplit(uri).query)["secret"][0])


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,900", "--no-first-run", "--disable-extensions"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    SCREENSHOTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()


def fresh_code(served: Served, totp: pyotp.TOTP) -> str:
    """A code of the next 30-second step: each code is accepted once, so the identity clock moves on first."""
    served.clock.advance(30)
    return totp.at(served.clock.time())


def token_request(served: Served, client_id: str, secret: str) -> tuple[int, dict]:
    """``client_credentials`` at ``/1000/connect/token`` with HTTP Basic (as a partner's backend does)."""
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    request = urllib.request.Request(f"{served.base}/1000/connect/token", method="POST",
                                     data=b"grant_type=client_credentials",
                                     headers={"Authorization": f"Basic {basic}",
                                              "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def api_call(served: Served, access_token: str, path: str = "/connections") -> int:
    """A partner's call with its bearer token: Xero's ``GET /connections`` by default."""
    request = urllib.request.Request(f"{served.base}/1000{path}",
                                     headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def submit(driver, button) -> None:
    """Click a form's button and wait for the next page (bounded: 15 s)."""
    page = driver.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(page))


def shot(driver, name: str) -> None:
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def row(driver, client_id: str):
    return driver.find_element(By.CSS_SELECTOR, f'#apps tr[data-client-id="{client_id}"]')


def manage(driver, client_id: str, action: str, *, code: str | None = None) -> None:
    """Open the app's Manage panel and submit one of its forms (with a TOTP code for sensitive actions)."""
    tr = row(driver, client_id)
    if action != "restore":
        tr.find_element(By.TAG_NAME, "summary").click()
    form = tr.find_element(By.CSS_SELECTOR, f'form[action$="/{action}"]')
    if code is not None:
        form.find_element(By.NAME, "totp").send_keys(code)
    submit(driver, form.find_element(By.TAG_NAME, "button"))


def create(driver, served: Served, *, name: str, kind: str, redirect: str = "", tenant: str = "",
           expires: str = "", scopes: tuple[str, ...] = ()) -> dict[str, str | None]:
    driver.get(f"{served.base}/admin/apps")
    form = driver.find_element(By.ID, "create-app")
    form.find_element(By.NAME, "name").send_keys(name)
    form.find_element(By.CSS_SELECTOR, f'select[name="kind"] option[value="{kind}"]').click()
    if redirect:
        form.find_element(By.NAME, "redirect_uris").send_keys(redirect)
    if tenant:
        form.find_element(By.CSS_SELECTOR, 'select[name="code"] option[value="1000"]').click()
        form.find_element(By.NAME, "tenant_id").send_keys(tenant)
    if expires:
        driver.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "expires"), expires)
    for scope in scopes:
        checkbox = form.find_element(By.CSS_SELECTOR, f'input[name="scope"][value="{scope}"]')
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", checkbox)
        checkbox.click()
    submit(driver, form.find_element(By.CSS_SELECTOR, "button.primary"))
    shown = driver.find_element(By.ID, "shown")
    secrets_shown = shown.find_elements(By.ID, "shown-secret")
    return {"client_id": shown.find_element(By.ID, "shown-client-id").text,
            "client_secret": secrets_shown[0].text if secrets_shown else None}


def test_the_console_in_chromium(served, totp, browser):
    driver, base = browser, served.base

    # sign-in: a wrong code is refused, then password + TOTP
    driver.get(f"{base}/admin")
    assert driver.current_url.endswith("/admin/sign-in")
    shot(driver, "sign-in")
    for code in ("000000", totp.at(served.clock.time())):
        form = driver.find_element(By.ID, "sign-in")
        form.find_element(By.NAME, "email").send_keys(EMAIL)
        form.find_element(By.NAME, "password").send_keys(PASSWORD)
        form.find_element(By.NAME, "totp").send_keys(code)
        submit(driver, form.find_element(By.TAG_NAME, "button"))
    assert driver.current_url.endswith("/admin/apps"), driver.page_source[:500]

    # each kind of app; a secret is shown once
    web_app = create(driver, served, name="Books Online", kind="web", redirect="https://books.example/callback")
    assert web_app["client_secret"] and len(web_app["client_secret"]) >= 32
    shot(driver, "apps-secret-shown")
    public = create(driver, served, name="Desktop Sync", kind="public", redirect="http://localhost:5000/cb")
    assert public["client_secret"] is None
    custom = create(driver, served, name="Payroll Bridge", kind="custom_connection", tenant=TENANT_B,
                    scopes=("accounting.transactions", "accounting.settings.read"))
    driver.get(f"{base}/admin/apps")
    assert web_app["client_secret"] not in driver.page_source and custom["client_secret"] not in driver.page_source
    kinds = {tr.get_attribute("data-client-id"): tr.find_element(By.CSS_SELECTOR, '[data-label="Kind"]').text
             for tr in driver.find_elements(By.CSS_SELECTOR, "#apps tbody tr")}
    assert kinds == {web_app["client_id"]: "OAuth web app", public["client_id"]: "Public app (PKCE)",
                     custom["client_id"]: "Custom connection"}
    assert row(driver, custom["client_id"]).find_element(By.CSS_SELECTOR, '[data-label="Permissions"]').text == \
        "accounting.transactions accounting.settings.read"

    # rotate: the old secret stops working, the new one is shown once; a reused code is refused
    status, _ = token_request(served, custom["client_id"], custom["client_secret"])
    assert status == 200
    used = fresh_code(served, totp)
    manage(driver, custom["client_id"], "rotate", code=used)
    rotated = driver.find_element(By.ID, "shown-secret").text
    assert rotated != custom["client_secret"]
    assert token_request(served, custom["client_id"], custom["client_secret"])[0] == 401
    status, token = token_request(served, custom["client_id"], rotated)
    assert status == 200 and token["scope"].split() == ["accounting.transactions", "accounting.settings.read"]
    manage(driver, web_app["client_id"], "revoke", code=used)
    assert "needs a new code" in driver.find_element(By.CSS_SELECTOR, ".flash.error").text

    # revoke and restore
    manage(driver, web_app["client_id"], "revoke", code=fresh_code(served, totp))
    assert row(driver, web_app["client_id"]).get_attribute("data-status") == "revoked"
    manage(driver, web_app["client_id"], "restore")
    assert row(driver, web_app["client_id"]).get_attribute("data-status") == "active"
    shot(driver, "apps")

    # connections: the partner's calls work until the operator deletes its connection
    assert api_call(served, token["access_token"]) == 200
    assert api_call(served, token["access_token"], "/api.xro/2.0/Organisation") not in (401, 403)  # authorised
    driver.get(f"{base}/admin/connections")
    [conn] = driver.find_elements(By.CSS_SELECTOR, "#connections tbody tr[data-connection-id]")
    assert conn.get_attribute("data-client-id") == custom["client_id"] and TENANT_B in conn.text
    shot(driver, "connections")
    conn.find_element(By.NAME, "totp").send_keys(fresh_code(served, totp))
    submit(driver, conn.find_element(By.TAG_NAME, "button"))
    assert driver.find_elements(By.CSS_SELECTOR, "#connections tbody tr[data-connection-id]") == []
    assert api_call(served, token["access_token"]) == 401
    assert api_call(served, token["access_token"], "/api.xro/2.0/Organisation") == 401

    # expiry: set from the console (end of tomorrow, UTC); after it the token request fails with a clear reason
    tomorrow = (served.clock.now() + timedelta(days=1)).date().isoformat()
    expiring = create(driver, served, name="Trial Integration", kind="custom_connection", tenant=TENANT_B)
    driver.get(f"{base}/admin/apps")
    tr = row(driver, expiring["client_id"])
    tr.find_element(By.TAG_NAME, "summary").click()
    form = tr.find_element(By.CSS_SELECTOR, 'form[action$="/expiry"]')
    driver.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "expires"), tomorrow)
    submit(driver, form.find_element(By.TAG_NAME, "button"))
    assert tomorrow in row(driver, expiring["client_id"]).find_element(By.CSS_SELECTOR, '[data-label="Expiry"]').text
    assert token_request(served, expiring["client_id"], expiring["client_secret"])[0] == 200
    served.clock.advance(2 * 86400)
    status, body = token_request(served, expiring["client_id"], expiring["client_secret"])
    assert status == 401 and body["error"] == "invalid_client" and "expired" in body["error_description"]
    driver.get(f"{base}/admin/apps")
    assert row(driver, expiring["client_id"]).get_attribute("data-status") == "expired"

    # sources and the activity log
    driver.get(f"{base}/admin/sources")
    assert driver.find_element(By.ID, "connectors") and driver.find_element(By.ID, "set-source")
    shot(driver, "sources")
    driver.get(f"{base}/admin/activity")
    kinds_seen = {tr.get_attribute("data-kind") for tr in driver.find_elements(By.CSS_SELECTOR, "#activity tr")}
    assert {"sign_in_failed", "operator_signed_in", "app_created", "app_rotated", "app_revoked", "app_restored",
            "connection_deleted", "app_expiry_set", "app_expired", "token_exchange_failed"} <= kinds_seen
    shot(driver, "activity")
    driver.find_element(By.CSS_SELECTOR, 'select[name="kind"] option[value="connection_deleted"]').click()
    submit(driver, driver.find_element(By.CSS_SELECTOR, "#filters button.primary"))
    assert {tr.get_attribute("data-kind") for tr in driver.find_elements(By.CSS_SELECTOR, "#activity tbody tr")} \
        == {"connection_deleted"}
    assert "kind=connection_deleted" in driver.find_element(By.ID, "csv").get_attribute("href")

    # the same pages on a phone
    driver.set_window_size(390, 844)
    driver.get(f"{base}/admin/apps")
    shot(driver, "apps-phone")
    driver.set_window_size(1280, 900)

    rows = served.run(activity.query(served.app[DB]))
    exported = activity.to_csv(rows)
    for secret in (web_app["client_secret"], custom["client_secret"], rotated, token["access_token"],
                   totp.secret, PASSWORD):
        assert secret not in exported
    print("\nactivity log written by the browser test:\n" + exported)
    if os.environ.get("CONSOLE_DOCS_SCREENSHOTS"):  # refresh docs/console/ by hand: make the run write them
        docs = Path(__file__).resolve().parents[2] / "docs" / "console"
        docs.mkdir(exist_ok=True)
        for name in ("sign-in", "apps", "apps-secret-shown", "connections", "sources", "activity", "apps-phone"):
            shutil.copy(SCREENSHOTS / f"{name}.png", docs / f"{name}.png")
