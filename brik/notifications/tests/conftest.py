# Playwright's browser, for the browser test (brik.cases.tests.browser).
from brik.cases.tests.browser.conftest import browser  # noqa: F401
from brik.cases.tests.views.conftest import (  # noqa: F401 (fixtures)
    alice_client,
    bob_client,
    in_support_case,
)
