import pytest

from brik.cases.tests.views.conftest import login


@pytest.fixture
def bob_client(bob):
    return login(bob)


@pytest.fixture
def erin_client(erin):
    return login(erin)


@pytest.fixture
def dave_client(dave):
    return login(dave)
