from brik.cases.tests.views.conftest import (  # noqa: F401 (fixtures)
    alice_client,
    bob_client,
    departed_case,
    in_support_case,
)
