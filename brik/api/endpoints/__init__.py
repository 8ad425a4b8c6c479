"""The partner API, /api/v1/ (django-ninja, OpenAPI 3 at /api/v1/openapi.json)."""

from django.contrib.auth.decorators import login_required

from brik.api.endpoints import cases, referrals, statistics
from brik.api.endpoints.core import BrikAPI, TokenAuth, TokenRateThrottle, install_handlers

api = BrikAPI(
    title="Brik partner API",
    version="1",
    description=(
        "Referrals from partners, cases for the centre's staff, and statistics. "
        "Authenticate with an API token made on the web page Account → API tokens: "
        "`Authorization: Bearer brik_…`. Errors are problem+json (RFC 9457); every POST "
        "takes an Idempotency-Key."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=[TokenRateThrottle()],
    # The interactive documentation only for people logged in to the web app.
    docs_decorator=login_required,
)
install_handlers(api)
api.add_router("", referrals.router)
api.add_router("", cases.router)
api.add_router("", statistics.router)
