"""The caseworker's pages: My work, the case list, referrals and the case page.

Views are thin: they check who may come in (the access policy,
brik.accounts.permissions), validate the input with a form, call one service
or selector, and render. Reading a case page is recorded in the action log.
Every step on a case is one entry of STEPS, served by one view that works as
a plain POST form and, with HTMX, in place on the case page.

One module per group of pages (pages, referral, case_page, steps); this package
re-exports the views for the URLs.
"""

from brik.cases.views.case_page import case_action, case_detail, case_likely_same
from brik.cases.views.pages import (
    case_list,
    countries,
    home,
    languages,
    my_work,
    partner_referrals,
)
from brik.cases.views.referral import referral_create
from brik.cases.views.steps import STEPS, Step

__all__ = [
    "STEPS",
    "Step",
    "case_action",
    "case_detail",
    "case_likely_same",
    "case_list",
    "countries",
    "home",
    "languages",
    "my_work",
    "partner_referrals",
    "referral_create",
]
