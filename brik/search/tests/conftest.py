# The browser tests' chromium (brik/cases/tests/browser/conftest.py).
from brik.cases.tests.browser.conftest import browser  # noqa: F401
