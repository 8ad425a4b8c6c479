"""Creating and changing organisations and users.

The admin, the demo generator and any import call these, so that the rules
about which role belongs in which kind of organisation hold everywhere and
every change is in the action log. A refused step raises ValidationError and
changes nothing. The `validate_*` functions are the same rules without the
write, for forms that want to show the refusal next to the field.
"""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from brik.accounts.models import Organisation, User
from brik.audit.services import log_action
from brik.core.choices import OrganisationType, Region, Role
from brik.core.countries import REPORTING_COUNTRY, validate_country_code

# Which kinds of organisation a role may be held in; a role not listed here
# (analyst, administrator) may be held in any organisation.
ROLE_ORGANISATION_TYPES: dict[str, frozenset[str]] = {
    Role.CASEWORKER: frozenset({OrganisationType.CENTRE}),
    Role.LEAD: frozenset({OrganisationType.CENTRE}),
    Role.OUTREACH: frozenset({OrganisationType.NGO}),
    Role.REFERRER: frozenset(
        {
            OrganisationType.POLICE,
            OrganisationType.TAX,
            OrganisationType.LABOUR,
            OrganisationType.IMMIGRATION,
            OrganisationType.MUNICIPALITY,
            OrganisationType.HEALTH,
            OrganisationType.OTHER,
        }
    ),
}

ORGANISATION_FIELDS = ("name", "short_name", "type", "country", "region", "is_active")
USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "organisation",
    "role",
    "is_active",
    "is_staff",
    "is_superuser",
)


# --- rules ---------------------------------------------------------------------------


def validate_user_role(*, organisation: Organisation | None, role: str) -> None:
    """Refuse a role that does not fit the user's organisation."""
    if role and role not in Role.values:
        raise ValidationError(_("Unknown role."), code="invalid_choice")
    if role and organisation is None:
        raise ValidationError(
            _("A user with a role must belong to an organisation."), code="organisation_required"
        )
    allowed = ROLE_ORGANISATION_TYPES.get(role)
    if allowed is not None and organisation.type not in allowed:
        raise ValidationError(
            _("The role “%(role)s” cannot be held in “%(organisation)s” (%(type)s)."),
            code="role_organisation_mismatch",
            params={
                "role": Role(role).label,
                "organisation": organisation.name,
                "type": OrganisationType(organisation.type).label,
            },
        )


def validate_user(
    *,
    username: str,
    organisation: Organisation | None,
    role: str,
    current: User | None = None,
) -> None:
    """Every rule for a new user (current=None) or a changed one."""
    if not username.strip():
        raise ValidationError(_("The user needs a username."), code="username_required")
    User.username_validator(username)
    same = User.objects.filter(username__iexact=username.strip())
    if current is not None:
        same = same.exclude(pk=current.pk)
    if same.exists():
        raise ValidationError(
            _("The username “%(username)s” is taken."),
            code="duplicate_username",
            params={"username": username.strip()},
        )
    validate_user_role(organisation=organisation, role=role)
    joins = organisation is not None and (
        current is None or current.organisation_id != organisation.pk
    )
    if joins and not organisation.is_active:
        raise ValidationError(
            _("“%(organisation)s” is no longer active; users cannot join it."),
            code="organisation_inactive",
            params={"organisation": organisation.name},
        )


def validate_organisation(
    *,
    name: str,
    type: str,
    country: str,
    region: str,
    current: Organisation | None = None,
) -> None:
    """Every rule for a new organisation (current=None) or a changed one."""
    if not name.strip():
        raise ValidationError(_("The organisation needs a name."), code="name_required")
    if type not in OrganisationType.values:
        raise ValidationError(_("Unknown type of organisation."), code="invalid_choice")
    validate_country_code(country)
    if region and region not in Region.values:
        raise ValidationError(_("Unknown region."), code="invalid_choice")
    if region and country != REPORTING_COUNTRY:
        raise ValidationError(
            _("Only organisations in Denmark have a Danish region."), code="region_abroad"
        )
    if type == OrganisationType.POLICE and country == REPORTING_COUNTRY and not region:
        raise ValidationError(
            _("Choose the region the police district covers."), code="region_required"
        )
    same_name = Organisation.objects.filter(name__iexact=name.strip())
    if current is not None:
        same_name = same_name.exclude(pk=current.pk)
    if same_name.exists():
        raise ValidationError(
            _("An organisation named “%(name)s” already exists."),
            code="duplicate_name",
            params={"name": name.strip()},
        )
    if current is not None and type != current.type:
        # Its users' roles must still fit the new type.
        probe = Organisation(name=name.strip(), type=type)
        for role in current.users.exclude(role="").values_list("role", flat=True).distinct():
            validate_user_role(organisation=probe, role=role)


# --- organisations -------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    actor,
    name: str,
    type: str,
    short_name: str = "",
    country: str = REPORTING_COUNTRY,
    region: str = "",
    is_active: bool = True,
) -> Organisation:
    validate_organisation(name=name, type=type, country=country, region=region)
    organisation = Organisation(
        name=name.strip(),
        short_name=short_name.strip(),
        type=type,
        country=country,
        region=region,
        is_active=is_active,
    )
    organisation.full_clean(validate_unique=False)
    organisation.save()
    log_action(
        actor=actor,
        action="brik.organisation.created",
        obj=organisation,
        data={"name": organisation.name, "type": type, "country": country, "region": region},
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, **changes: Any) -> Organisation:
    """Change an organisation; a new type must still fit its users' roles."""
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValueError(f"Not fields of an organisation: {', '.join(sorted(unknown))}")
    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
    new = {f: changes.get(f, getattr(current, f)) for f in ORGANISATION_FIELDS}
    new["name"] = new["name"].strip()
    new["short_name"] = new["short_name"].strip()
    validate_organisation(
        name=new["name"],
        type=new["type"],
        country=new["country"],
        region=new["region"],
        current=current,
    )
    changed = {f: [getattr(current, f), v] for f, v in new.items() if getattr(current, f) != v}
    for field, value in new.items():
        setattr(organisation, field, value)
    if not changed:
        return organisation
    organisation.full_clean(validate_unique=False)
    organisation.save(update_fields=[*changed, "updated_at"])
    log_action(
        actor=actor, action="brik.organisation.changed", obj=organisation, data={"changed": changed}
    )
    return organisation


# --- users ----------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    organisation: Organisation | None,
    role: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_active: bool = True,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create a user; without a password the account cannot log in until one is set."""
    username = username.strip()
    validate_user(username=username, organisation=organisation, role=role)
    user = User(
        username=username,
        organisation=organisation,
        role=role,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=User.objects.normalize_email(email.strip()),
        is_active=is_active,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password", "organisation"], validate_unique=False)
    user.save()
    log_action(
        actor=actor,
        action="brik.user.created",
        obj=user,
        data={
            "username": username,
            "organisation": organisation,
            "role": role,
            "is_staff": is_staff,
            "is_superuser": is_superuser,
            "password_login": password is not None,
        },
    )
    return user


@transaction.atomic
def user_update(*, actor, user: User, **changes: Any) -> User:
    """Change a user's name, organisation, role or access; passwords have their own step."""
    unknown = set(changes) - set(USER_FIELDS)
    if unknown:
        raise ValueError(f"Not fields a user update may change: {', '.join(sorted(unknown))}")
    current = User.objects.select_for_update().get(pk=user.pk)
    new = {f: changes.get(f, getattr(current, f)) for f in USER_FIELDS}
    new["username"] = new["username"].strip()
    validate_user(
        username=new["username"],
        organisation=new["organisation"],
        role=new["role"],
        current=current,
    )
    changed = {f: [getattr(current, f), v] for f, v in new.items() if getattr(current, f) != v}
    for field, value in new.items():
        setattr(user, field, value)
    if not changed:
        return user
    user.full_clean(exclude=["password", "organisation"], validate_unique=False)
    user.save(update_fields=list(changed))
    log_action(actor=actor, action="brik.user.changed", obj=user, data={"changed": changed})
    return user


@transaction.atomic
def user_set_access(*, actor, user: User, groups=None, user_permissions=None) -> User:
    """Set a user's groups and individual permissions, recording what was added and removed."""
    data = {}
    for name, wanted in (("groups", groups), ("user_permissions", user_permissions)):
        if wanted is None:
            continue
        manager = getattr(user, name)
        before = set(manager.values_list("pk", flat=True))
        after = {obj.pk for obj in wanted}
        if before != after:
            manager.set(wanted)
            data[name] = {"added": sorted(after - before), "removed": sorted(before - after)}
    if data:
        log_action(actor=actor, action="brik.user.access_changed", obj=user, data=data)
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str | None) -> User:
    """Set a new password, or with None switch password login off."""
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.save(update_fields=["password"])
    log_action(
        actor=actor,
        action="brik.user.password_set",
        obj=user,
        data={"password_login": password is not None},
    )
    return user
