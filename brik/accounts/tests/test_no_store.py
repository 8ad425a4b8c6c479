"""Every page sent to a logged-in person carries Cache-Control: no-store.

The pages are those of the authorisation matrix (every URL pattern of Brik),
each opened by someone who may open it.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from brik.accounts.tests import test_authorisation_matrix as matrix

world = matrix.world_each_test  # its tests take other fixtures of the cast too
clients = matrix.clients


def no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives


# Opens every page once (30-50 s on a busy 2-core machine, per pass): the header comes
# from a middleware and does not depend on the database, so this runs once, in CI's
# SQLite pass. The refusal and the public page below run on both databases.
@pytest.mark.slow
def test_every_page_for_a_logged_in_person_is_not_stored(world, clients):
    stored = []
    with translation.override("en"):
        for key, entry in sorted(matrix.PAGES.items()):
            allowed = [who for who in matrix.USERS if who in entry.allowed]
            if not allowed or entry.logs_out:
                continue  # nobody gets in, or the answer goes to someone logged out
            url = matrix._url(key, entry, world)
            for method in entry.methods:
                response = getattr(clients[allowed[0]], method.lower())(url)
                if not no_store(response):
                    stored.append(f"{method} {url}: {response.get('Cache-Control')!r}")
    assert not stored, "\n".join(stored)


def test_a_refusal_to_a_logged_in_person_is_not_stored_either(world, clients):
    response = clients["carol"].get(reverse("cases:detail", args=[world.case.pk]))

    assert response.status_code == 403
    assert no_store(response)


def test_the_published_statistics_stay_cacheable_for_anonymous_visitors(db):
    response = Client().get(reverse("statistics:public"))

    assert response.status_code == 200
    assert not no_store(response)
