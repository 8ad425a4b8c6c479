"""Moves live sessions, authenticator secrets and recovery codes to storage a copy cannot use.

- django-otp's TOTP devices become accounts.Authenticator rows (same person,
  name and state), their secret encrypted with BRIK_ENCRYPTION_KEYS.
- django-otp's static devices become accounts.RecoveryCodes; each code is kept
  only as its keyed digest.
- Django's sessions become accounts.Session rows under the digest of their
  key, with whose session it is. A session that was past the second factor
  names the moved device, so it stays past it: nobody is logged out.

The old rows are deleted, so nothing usable stays behind. Going back moves the
authenticators back; sessions and recovery codes exist only as digests then,
so they are dropped (everyone logs in again and makes new recovery codes).
"""

from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.db import migrations
from django.utils import timezone

from brik.accounts.digests import recovery_code_digest, session_key_digest

DEVICE_ID = "otp_device_id"  # django_otp.DEVICE_ID_SESSION_KEY
USER_ID = "_auth_user_id"  # django.contrib.auth.SESSION_KEY
TOTP_FIELDS = (
    "user_id",
    "name",
    "confirmed",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "created_at",
    "last_used_at",
    "key",
    "step",
    "t0",
    "digits",
    "tolerance",
    "drift",
    "last_t",
)
STATIC_FIELDS = (
    "user_id",
    "name",
    "confirmed",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "created_at",
    "last_used_at",
)


def _copy(source, target_model, fields):
    target = target_model(**{f: getattr(source, f) for f in fields})
    target.save()
    # created_at is auto_now_add: keep the original date.
    target_model.objects.filter(pk=target.pk).update(created_at=source.created_at)
    return target


def forwards(apps, schema_editor):
    moved = {}  # old persistent device id -> new one
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    Authenticator = apps.get_model("accounts", "Authenticator")
    for device in TOTPDevice.objects.order_by("pk"):
        new = _copy(device, Authenticator, TOTP_FIELDS)
        moved[f"otp_totp.totpdevice/{device.pk}"] = f"accounts.authenticator/{new.pk}"
    TOTPDevice.objects.all().delete()

    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    RecoveryCodes = apps.get_model("accounts", "RecoveryCodes")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    for device in StaticDevice.objects.order_by("pk"):
        new = _copy(device, RecoveryCodes, STATIC_FIELDS)
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=new, digest=recovery_code_digest(token))
            for token in StaticToken.objects.filter(device=device).values_list("token", flat=True)
        )
        moved[f"otp_static.staticdevice/{device.pk}"] = f"accounts.recoverycodes/{new.pk}"
    StaticToken.objects.all().delete()
    StaticDevice.objects.all().delete()

    OldSession = apps.get_model("sessions", "Session")
    Session = apps.get_model("accounts", "Session")
    store = DjangoSessionStore()
    for old in OldSession.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = store.decode(old.session_data)
        if not data:
            continue  # unreadable or empty: nothing to keep
        if DEVICE_ID in data:
            device = moved.get(data[DEVICE_ID])
            if device:
                data[DEVICE_ID] = device
            else:
                del data[DEVICE_ID]
        user_id = str(data.get(USER_ID, ""))
        Session.objects.create(
            session_key=session_key_digest(old.session_key),
            session_data=store.encode(data),
            expire_date=old.expire_date,
            user_id=int(user_id) if user_id.isdigit() else None,
        )
    OldSession.objects.all().delete()


def backwards(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    Authenticator = apps.get_model("accounts", "Authenticator")
    for device in Authenticator.objects.order_by("pk"):
        _copy(device, TOTPDevice, TOTP_FIELDS)
    Authenticator.objects.all().delete()
    apps.get_model("accounts", "RecoveryCodes").objects.all().delete()
    apps.get_model("accounts", "Session").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_sessions_and_second_factor_at_rest"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
