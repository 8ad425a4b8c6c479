"""Model fields whose values are encrypted in the database.

The database column is text holding "enc1:<Fernet token>"; Python code sees
the plain value. Encrypted values cannot be filtered on (the ciphertext is
randomised): search goes through a blind index field instead. Only `isnull`
is allowed as a lookup.
"""

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django import forms
from django.apps import apps
from django.core import validators
from django.core.exceptions import FieldError
from django.db import models

from brik.protection import crypto

if TYPE_CHECKING:
    # What the mixin is mixed into, so that super() calls are checked.
    _FieldBase = models.Field
else:
    _FieldBase = object


class EncryptedMixin(_FieldBase):
    """Encrypt on the way in, decrypt on the way out; empty values stay empty."""

    encrypted = True

    def get_internal_type(self) -> str:
        return "TextField"

    def to_plain_text(self, value) -> str:
        return "" if value is None else str(value)

    def from_plain_text(self, text: str):
        return text

    def get_prep_value(self, value):
        if value is None or value == "":
            return value
        return crypto.encrypt(self.to_plain_text(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return self.from_plain_text(crypto.decrypt(value))

    def from_db_values(self, values: Sequence[str | None]) -> list:
        """[from_db_value(value) for value in values], the values decrypted at once
        (crypto.decrypt_many: a page that shows many of them)."""
        plain = iter(crypto.decrypt_many([value for value in values if value]))
        return [self.from_plain_text(next(plain)) if value else value for value in values]

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.__class__.__name__} is encrypted and cannot be filtered with "
                f"'{lookup_name}'; use its blind index."
            )
        return super().get_lookup(lookup_name)


class EncryptedTextField(EncryptedMixin, models.TextField):
    pass


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A CharField in forms and validation (max_length counts plain characters)."""

    def db_type(self, connection):
        return models.TextField().db_type(connection)

    def cast_db_type(self, connection):
        return models.TextField().cast_db_type(connection)


class EncryptedEmailField(EncryptedCharField):
    default_validators = [validators.validate_email]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.EmailField, **kwargs})


class EncryptedDateField(EncryptedMixin, models.DateField):
    def db_type(self, connection):
        return models.TextField().db_type(connection)

    def cast_db_type(self, connection):
        return models.TextField().cast_db_type(connection)

    def to_plain_text(self, value) -> str:
        return self.to_python(value).isoformat()

    def from_plain_text(self, text: str):
        return dt.date.fromisoformat(text)

    def pre_save(self, model_instance, add):
        return getattr(model_instance, self.attname)

    def get_db_prep_value(self, value, connection, prepared=False):
        return self.get_prep_value(value)


def encrypted_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]


def concrete_column(field: models.Field) -> str:
    """A concrete field's column (Django types it optional, for fields without one)."""
    if field.column is None:
        raise FieldError(f"{field} has no database column")
    return field.column


def models_with_encrypted_fields() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if encrypted_fields(m)]
