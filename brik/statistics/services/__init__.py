"""Publishing a report, and subscriptions to news of new reports (double opt-in).

publication: preview, render, store under a lock, e-mail subscribers after the
commit (the module's docstring tells the flow). subscriptions: the double
opt-in, its limits, and the e-mail to subscribers. Callers import from this
package (`from brik.statistics import services`).
"""

from brik.statistics.services.foreword import foreword_save
from brik.statistics.services.publication import (
    PUBLISHED_FORMATS,
    Publication,
    publication_preview,
    report_publish,
)
from brik.statistics.services.subscriptions import (
    ADDRESS_WINDOW,
    CLIENT_WINDOW,
    CONFIRM_MAX_AGE,
    LIMIT_SALT,
    MAILS_PER_ADDRESS,
    REQUESTS_PER_CLIENT,
    TOKEN_SALT,
    consent_text,
    notify_subscribers,
    subscription_cancel,
    subscription_confirm,
    subscription_request,
    subscription_token,
)

__all__ = [
    "ADDRESS_WINDOW",
    "CLIENT_WINDOW",
    "CONFIRM_MAX_AGE",
    "LIMIT_SALT",
    "MAILS_PER_ADDRESS",
    "PUBLISHED_FORMATS",
    "REQUESTS_PER_CLIENT",
    "TOKEN_SALT",
    "Publication",
    "consent_text",
    "foreword_save",
    "notify_subscribers",
    "publication_preview",
    "report_publish",
    "subscription_cancel",
    "subscription_confirm",
    "subscription_request",
    "subscription_token",
]
