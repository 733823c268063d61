"""Real-browser fixtures: Debian Chromium driven by Playwright (never ``playwright install``).

Skips (or fails under ``REQUIRE_SERVICES=1``) when Chromium is missing.
"""

import os
import shutil

import pytest

from tests.conftest import skip_or_fail

# The Playwright sync API runs an event loop in this thread; Django's async-safety check would
# otherwise refuse the ORM calls of the test itself.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not (os.path.exists(path) or shutil.which(path)):
        skip_or_fail(f"chromium not found at {path}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("python playwright package missing")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A page with a phone-sized viewport (390×844)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
