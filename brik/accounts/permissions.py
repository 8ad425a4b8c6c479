"""Who may see and do what: the one access policy of Brik.

Every view, export and admin page asks this module, never the role directly:

- ``can(user, ability, obj=None)``: may this person do this, to this record?
  A role gives abilities (ROLE_ABILITIES); some abilities are narrowed per
  record (a partner sees only the cases their own organisation referred):
  each such RecordRule is written once and gives both the check of one
  record and the queryset filter (`cases_visible_to`).
- ``field_visible(user, model, field)`` and ``masked(user, obj)``: identity
  fields and narrative notes are readable only with the abilities that need
  them; everywhere else they are replaced by a mask.
- ``admin_allows(user, app_label, model_name)``: which admin pages a staff
  user may open (brik.accounts.models.User.has_perm asks it, so Django's
  admin obeys it for every model).
- ``two_factor_required(user)``: roles that can read identity fields, and
  everyone who can enter the admin, must pass a second factor.

Views use the decorator ``permission_required(ability)``: anonymous visitors
are sent to log in; a missing ability is 403, a record outside the person's
reach is 404 (both pages carry no data).

Longer than 400 lines on purpose: the whole policy (abilities, record rules,
fields, the admin, the second factor) is kept in one module so that no other
module needs to know a role.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from brik.core.choices import Role


class Ability(StrEnum):
    # Cases
    CASE_LIST = "case.list"  # the pseudonymised case list: codes and statistical fields
    CASE_VIEW = "case.view"  # the case page
    CASE_CHANGE = "case.change"  # the steps on a case
    CASE_EXPORT = "case.export"  # the data-subject access export
    PERSON_IDENTITY = "person.identity"  # names, aliases, date of birth, contact, documents
    CASE_NARRATIVES = "case.narratives"  # interview notes, observations, reasons, notes
    CASE_MY_WORK = "case.my_work"
    CASE_CONTACT = "case.contact"  # may be a case's contact person
    # The centre's case notes and the documents attached to a case (brik.casefiles).
    # Centre staff only: a partner never sees them (docs/casefiles.md).
    CASE_NOTES = "case.notes"  # read and write case notes
    CASE_ATTACHMENTS = "case.attachments"  # upload, download and delete attachments
    CASE_TEAM_LOAD = "case.team_load"  # My work shows each colleague's load (leads)
    # Referrals by partners
    REFERRAL_CREATE = "referral.create"
    # Refer on behalf of any organisation, and assign the contact person when referring
    REFERRAL_ANY_ORGANISATION = "referral.any_organisation"
    # A partner's own referrals: received, and with consent status and outcome
    REFERRAL_STATUS = "referral.status"
    # The work around the cases
    OUTREACH_LOG = "outreach.log"
    OUTREACH_LOG_ALL = "outreach.all"  # every organisation's outreach logs, not only one's own
    COOPERATION_VIEW = "cooperation.view"
    COOPERATION_CHANGE = "cooperation.change"
    # Statistics
    STATISTICS_INTERNAL = "statistics.internal"
    STATISTICS_PUBLISH = "statistics.publish"
    # The audit log
    AUDIT_SEARCH = "audit.search"
    # The admin (also needs is_staff)
    ADMIN_REFERENCE = "admin.reference"  # users, organisations, reference data, work records
    ADMIN_CASES = "admin.cases"  # the read-only case records
    ADMIN_AUDIT = "admin.audit"  # the read-only action log
    # Leads see who was given access to identities, until they acknowledge it.
    ACCESS_NOTICES = "account.access_notices"
    # Audit rows about case events (their details, and filtering on them).
    AUDIT_CASE_EVENTS = "audit.case_events"
    # Make and revoke the organisation's API tokens (brik.api), not only one's own.
    API_ORGANISATION_TOKEN = "api.organisation_token"  # noqa: S105 (an ability, not a secret)
    # Held by no role: authenticator secrets are read only by the login step.
    SECOND_FACTOR_KEY = "account.second_factor_key"
    # Held by no role: an attachment's file key is read only by the file store.
    ATTACHMENT_FILE_KEY = "case.attachment_file_key"
    # Held by no role: input kept across an ended session goes back only to its
    # author, by the login middleware (brik.accounts.middleware).
    KEPT_FORM = "account.kept_form"


ROLE_ABILITIES: dict[str, frozenset[Ability]] = {
    Role.CASEWORKER: frozenset(
        {
            Ability.CASE_LIST,
            Ability.CASE_VIEW,
            Ability.CASE_CHANGE,
            Ability.CASE_EXPORT,
            Ability.PERSON_IDENTITY,
            Ability.CASE_NARRATIVES,
            Ability.CASE_MY_WORK,
            Ability.CASE_CONTACT,
            Ability.CASE_NOTES,
            Ability.CASE_ATTACHMENTS,
            Ability.REFERRAL_CREATE,
            Ability.REFERRAL_ANY_ORGANISATION,
            Ability.OUTREACH_LOG,
            Ability.OUTREACH_LOG_ALL,
            Ability.COOPERATION_VIEW,
            Ability.COOPERATION_CHANGE,
            Ability.STATISTICS_INTERNAL,
            Ability.ADMIN_CASES,
        }
    ),
    Role.ANALYST: frozenset(
        {Ability.CASE_LIST, Ability.STATISTICS_INTERNAL, Ability.STATISTICS_PUBLISH}
    ),
    Role.REFERRER: frozenset({Ability.REFERRAL_CREATE, Ability.REFERRAL_STATUS}),
    Role.OUTREACH: frozenset(
        {Ability.REFERRAL_CREATE, Ability.REFERRAL_STATUS, Ability.OUTREACH_LOG}
    ),
    Role.ADMINISTRATOR: frozenset({Ability.ADMIN_REFERENCE, Ability.API_ORGANISATION_TOKEN}),
    Role.AUDITOR: frozenset({Ability.AUDIT_SEARCH, Ability.ADMIN_AUDIT, Ability.AUDIT_CASE_EVENTS}),
}
ROLE_ABILITIES[Role.LEAD] = ROLE_ABILITIES[Role.CASEWORKER] | {
    Ability.STATISTICS_PUBLISH,
    Ability.ACCESS_NOTICES,
    Ability.API_ORGANISATION_TOKEN,
    Ability.CASE_TEAM_LOAD,
}

# A superuser (made with createsuperuser, perhaps without a role) keeps the
# admin of reference data and the action log, but gains no case contents.
SUPERUSER_ABILITIES = frozenset({Ability.ADMIN_REFERENCE, Ability.ADMIN_AUDIT})
ADMIN_ABILITIES = frozenset({Ability.ADMIN_REFERENCE, Ability.ADMIN_CASES, Ability.ADMIN_AUDIT})

# Roles that read identity fields, and the administrators and auditors, log in
# with a second factor. So does anyone who can enter the admin.
TWO_FACTOR_ROLES = frozenset({Role.CASEWORKER, Role.LEAD, Role.ADMINISTRATOR, Role.AUDITOR})


def users_with(ability: Ability) -> QuerySet:
    """The active users whose role holds `ability` (e.g. who can be a contact person)."""
    from brik.accounts.models import User

    return User.objects.filter(role__in=roles_with(ability), is_active=True)


def roles_with(ability: Ability) -> tuple[str, ...]:
    """The roles that hold an ability, in the order of Role."""
    return tuple(role for role in Role.values if ability in ROLE_ABILITIES.get(role, ()))


def reads_identities(role: str) -> bool:
    """Does this role read who a person is? Giving it to someone is guarded (services)."""
    return Ability.PERSON_IDENTITY in ROLE_ABILITIES.get(role, frozenset())


def abilities(user) -> frozenset[Ability]:
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return frozenset()
    held = ROLE_ABILITIES.get(user.role, frozenset())
    if user.is_superuser:
        held |= SUPERUSER_ABILITIES
    if not user.is_staff:
        held -= ADMIN_ABILITIES
    return held


# --- records ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordRule:
    """An ability narrowed to the records of the user's own organisation.

    Written once, as the path from the record to an organisation, and used both
    ways: as a queryset filter (`q`) and as a check of one record (`check`, which
    follows the same path on the object). Holders of `unless` reach every record.
    """

    path: str  # e.g. "referral__referring_organisation"
    unless: Ability | None = None

    def reaches_all(self, user) -> bool:
        return self.unless is not None and self.unless in abilities(user)

    def q(self, user) -> Q:
        if self.reaches_all(user):
            return Q()
        if not user.organisation_id:
            return Q(pk__in=[])
        return Q(**{self.path: user.organisation_id})

    def check(self, user, obj: Model) -> bool:
        if self.reaches_all(user):
            return True
        *steps, last = self.path.split("__")
        target = obj
        for step in steps:
            try:
                target = getattr(target, step)
            except ObjectDoesNotExist:
                return False
            if target is None:
                return False
        return bool(user.organisation_id) and (
            getattr(target, f"{last}_id", None) == user.organisation_id
        )


# A partner sees where a case stands only for their own organisation's referrals.
CASE_REFERRED_BY_OWN_ORGANISATION = RecordRule("referral__referring_organisation")
# An NGO sees its own outreach logs; the centre sees everyone's.
OUTREACH_LOG_REACHABLE = RecordRule("organisation", unless=Ability.OUTREACH_LOG_ALL)

# Abilities narrowed per record. Abilities not listed reach every record of their kind.
OBJECT_RULES: dict[Ability, RecordRule] = {
    Ability.REFERRAL_STATUS: CASE_REFERRED_BY_OWN_ORGANISATION,
    Ability.OUTREACH_LOG: OUTREACH_LOG_REACHABLE,
}


def can(user, ability: Ability, obj: Model | None = None) -> bool:
    """May `user` use `ability` (on `obj`, when given)?"""
    if ability not in abilities(user):
        return False
    rule = OBJECT_RULES.get(ability)
    return obj is None or rule is None or rule.check(user, obj)


def require(user, ability: Ability, obj: Model | None = None) -> None:
    """Raise PermissionDenied (403) unless `user` may use `ability` (on `obj`)."""
    if not can(user, ability, obj):
        raise PermissionDenied


def referral_outcome_visible(user, case) -> bool:
    """May `user` see where `case` stands (its status and decision)?

    Centre staff and analysts, who reach every case, may. A partner may only
    for a referral of their own organisation, and only when the person
    consented to sharing their data: without consent the partner sees no more
    than that the referral was received.
    """
    if Ability.CASE_LIST in abilities(user):
        return True
    if not can(user, Ability.REFERRAL_STATUS, case):
        return False
    referral = getattr(case, "referral", None)
    return bool(referral is not None and referral.consent_to_share)


def sees_every_case(user) -> bool:
    """Whether cases_visible_to(user) is every case (centre staff and analysts): a
    caller may then leave out the subquery that would restrict to them."""
    return Ability.CASE_LIST in abilities(user)


def cases_visible_to(user) -> QuerySet:
    """Centre staff and analysts: every case; partners: their organisation's referrals."""
    from brik.cases.models import Case

    if sees_every_case(user):
        return Case.objects.all()
    if Ability.REFERRAL_STATUS in abilities(user):
        return Case.objects.filter(CASE_REFERRED_BY_OWN_ORGANISATION.q(user))
    return Case.objects.none()


def outreach_logs_visible_to(user) -> QuerySet:
    """Centre staff: every outreach log; an NGO: its own organisation's."""
    from brik.cooperation.models import OutreachLog

    if not can(user, Ability.OUTREACH_LOG):
        return OutreachLog.objects.none()
    return OutreachLog.objects.filter(OUTREACH_LOG_REACHABLE.q(user))


# --- fields -----------------------------------------------------------------------------

# Every encrypted field of every model is listed here with the ability that
# reads it (a test checks that none is missing).
PROTECTED_FIELDS: dict[str, dict[str, Ability]] = {
    "cases.personidentity": dict.fromkeys(
        (
            "given_names",
            "family_name",
            "aliases",
            "date_of_birth",
            "phone",
            "email",
            "address",
            "identity_documents",
        ),
        Ability.PERSON_IDENTITY,
    ),
    "cases.referral": {"observations": Ability.CASE_NARRATIVES},
    "cases.interview": {"notes": Ability.CASE_NARRATIVES},
    "cases.assessment": {"notes": Ability.CASE_NARRATIVES},
    "cases.case": {"closing_note": Ability.CASE_NARRATIVES},
    "cases.preparedreturn": dict.fromkeys(
        ("plan_notes", "follow_up_end_reason"), Ability.CASE_NARRATIVES
    ),
    "cases.screening": {"notes": Ability.CASE_NARRATIVES},
    "cases.amendment": {"reason": Ability.CASE_NARRATIVES},
    "cases.reopening": dict.fromkeys(("note", "previous_closing_note"), Ability.CASE_NARRATIVES),
    "cases.followup": {"notes": Ability.CASE_NARRATIVES},
    "cases.supportmeasure": {"note": Ability.CASE_NARRATIVES},
    "cases.reflectionextension": {"note": Ability.CASE_NARRATIVES},
    "accounts.authenticator": {"key": Ability.SECOND_FACTOR_KEY},
    "casefiles.casenote": {"text": Ability.CASE_NOTES},
    "casefiles.attachment": {
        "name": Ability.CASE_ATTACHMENTS,
        "description": Ability.CASE_ATTACHMENTS,
        "file_key": Ability.ATTACHMENT_FILE_KEY,
    },
    "accounts.keptform": {"data": Ability.KEPT_FORM},
}

MASK = _("(hidden)")


def protected_fields(model) -> dict[str, Ability]:
    return PROTECTED_FIELDS.get(model._meta.label_lower, {})


def field_visible(user, model, field: str) -> bool:
    ability = protected_fields(model).get(field)
    return ability is None or can(user, ability)


def hidden_fields(user, model) -> list[str]:
    """The protected fields of `model` that `user` may not read."""
    return [f for f, ability in protected_fields(model).items() if not can(user, ability)]


class Masked:
    """A record as `user` may see it: protected fields they cannot read show MASK."""

    def __init__(self, obj, hidden: list[str]):
        self._obj = obj
        self._hidden = frozenset(hidden)

    def __getattr__(self, name):
        if name in self._hidden:
            return MASK
        return getattr(self._obj, name)

    @property
    def full_name(self):
        return MASK if self._hidden & {"given_names", "family_name"} else self._obj.full_name

    def __bool__(self) -> bool:
        return True


def masked(user, obj):
    """`obj` itself when `user` may read all of it; otherwise a Masked view of it."""
    if obj is None:
        return None
    hidden = hidden_fields(user, type(obj))
    return Masked(obj, hidden) if hidden else obj


# --- the admin -------------------------------------------------------------------------

# Which ability opens each model in the admin; the admin classes themselves
# decide what may be changed (case records and the action log: nothing).
ADMIN_MODELS: dict[str, Ability] = {
    "accounts.user": Ability.ADMIN_REFERENCE,
    "accounts.organisation": Ability.ADMIN_REFERENCE,
    "auth.group": Ability.ADMIN_REFERENCE,
    "cooperation.actionplan": Ability.ADMIN_REFERENCE,
    "cooperation.initiative": Ability.ADMIN_REFERENCE,
    "cooperation.jointaction": Ability.ADMIN_REFERENCE,
    "cooperation.outreachlog": Ability.ADMIN_REFERENCE,
    "cooperation.prosecutioncase": Ability.ADMIN_REFERENCE,
    "statistics.publishedreport": Ability.ADMIN_REFERENCE,
    "statistics.subscription": Ability.ADMIN_REFERENCE,
    "statistics.historicalfigure": Ability.ADMIN_REFERENCE,
    "statistics.population": Ability.ADMIN_REFERENCE,
    "axes.accessattempt": Ability.ADMIN_REFERENCE,
    "axes.accesslog": Ability.ADMIN_REFERENCE,
    "axes.accessfailurelog": Ability.ADMIN_REFERENCE,
    "cases.person": Ability.ADMIN_CASES,
    "cases.case": Ability.ADMIN_CASES,
    "cases.referral": Ability.ADMIN_CASES,
    "cases.interview": Ability.ADMIN_CASES,
    "cases.assessment": Ability.ADMIN_CASES,
    "cases.reflectionperiod": Ability.ADMIN_CASES,
    "cases.supportmeasure": Ability.ADMIN_CASES,
    "cases.preparedreturn": Ability.ADMIN_CASES,
    "audit.actionlog": Ability.ADMIN_AUDIT,
}


def admin_allows(user, app_label: str, model_name: str) -> bool | None:
    """May `user` open this model in the admin? None for models the admin does not show."""
    ability = ADMIN_MODELS.get(f"{app_label}.{model_name}")
    if ability is None:
        return None
    return can(user, ability)


def admin_allows_app(user, app_label: str) -> bool:
    prefix = f"{app_label}."
    return any(can(user, a) for label, a in ADMIN_MODELS.items() if label.startswith(prefix))


def can_enter_admin(user) -> bool:
    return bool(abilities(user) & ADMIN_ABILITIES)


# --- two-factor ----------------------------------------------------------------------------


def two_factor_required(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.role in TWO_FACTOR_ROLES or user.is_staff or user.is_superuser


def is_verified(user) -> bool:
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


# --- for views -----------------------------------------------------------------------------


def permission_required(*needed: Ability) -> Callable:
    """Log in first (and pass the second factor where the role needs it); then only
    a user holding every ability in `needed` gets past, the others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            user = request.user
            if two_factor_required(user) and not is_verified(user):
                return redirect_to_two_factor(request)
            for ability in needed:
                require(user, ability)
            return view(request, *args, **kwargs)

        # A marker the authorisation matrix test reads; functions take attributes.
        wrapped.brik_abilities = needed  # type: ignore[attr-defined]
        return wrapped

    return decorator


def redirect_to_two_factor(request):
    from django.urls import reverse
    from django.utils.http import urlencode

    url = reverse("accounts:two_factor") + "?" + urlencode({"next": request.get_full_path()})
    if getattr(request, "htmx", False):
        from django_htmx.http import HttpResponseClientRedirect

        return HttpResponseClientRedirect(url)
    return redirect(url)
