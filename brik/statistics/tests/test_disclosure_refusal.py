"""Publishing refuses while the audit finds a hidden cell too narrowly protected, and the
audit knows the relations between tables (outside the module of published years, whose
world would be visible here)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from brik.core import choices
from brik.statistics import audit, exports, services
from brik.statistics.models import PublishedRelease, PublishedReport
from brik.statistics.tables import PRIMARY, TOTAL


@pytest.fixture
def quick_pdf(monkeypatch):
    """The PDF is tested in test_report_build; these tests are about the audit."""
    monkeypatch.setattr(exports, "render_pdf", lambda report: b"%PDF-1.7 (not rendered here)")


def publish(actor, year: int):
    preview = services.publication_preview(year=year)
    return services.report_publish(
        actor=actor,
        year=year,
        confirmation=preview.confirmation,
        form_token="r" * 32,
        base_url="http://testserver/",
    )


def test_publishing_refuses_while_a_hidden_cell_is_too_narrow(history, bob, quick_pdf, settings):
    for day in range(1, 8):
        history.decide(decided_on=dt.date(2021, 3, day))
    history.decide(decided_on=dt.date(2021, 4, 1), gender=choices.Gender.MAN)
    # A "<5" cell can never be 4 wide: the range cannot be met.
    settings.BRIK_DISCLOSURE_MIN_WIDTH = 4
    preview = services.publication_preview(year=2021)
    assert preview.refused
    with pytest.raises(ValidationError) as error:
        publish(bob, 2021)
    assert error.value.code == "disclosure"
    assert not PublishedRelease.objects.exists()
    assert not PublishedReport.objects.exists()


def test_the_audit_knows_relations_between_tables(db):
    """A Eurostat form group counts the persons with at least one of its forms, so it is
    at most their sum: with 6 in the labour group, forced labour and begging ("<5"
    each) hold at least 6 together, and forced labour is at least 2. From the forms
    table alone it could be 1."""
    from brik.statistics.tables import Column, Row, Table

    def table(slug, row_dim, rows, total):
        return Table(
            slug=slug,
            title=slug,
            columns=[Column(2021, "2021")],
            rows=[Row(key, key, [v], [m]) for key, v, m in rows],
            total=Row(TOTAL, "Total", [total], [""]),
            note="",
            measure="identified",
            row_dim=row_dim,
            additive=False,
        )

    forms = table(
        "forms",
        "form",
        [
            ("forced_labour", 3, PRIMARY),
            ("begging", 3, PRIMARY),
            ("slavery_like", 0, ""),
            ("sexual", 9, ""),
        ],
        12,
    )
    groups = table("eurostat_forms", "eurostat_form", [("LAB_EXP", 6, ""), ("SEX_EXP", 9, "")], 12)
    found = {i.key[1][0][1]: i for i in audit.audit_tables([forms, groups], 5)}
    assert (found["forced_labour"].low, found["forced_labour"].high) == (2, 4)
    alone = {i.key[1][0][1]: i for i in audit.audit_tables([forms], 5)}
    assert (alone["forced_labour"].low, alone["forced_labour"].high) == (1, 4)
