import pytest


@pytest.fixture(autouse=True)
def _service_tests(fast_passwords, english):
    """Every service test: quick users, messages in English."""
