from typing import Any

from django.db import models

from brik.audit.models import ActionLog


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def log_action(
    *, actor, action: str, obj: models.Model, case=None, data: dict | None = None
) -> ActionLog:
    """Record one step. Call inside the service's transaction."""
    return ActionLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        organisation=getattr(actor, "organisation", None),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        case=case,
        data=_jsonable(data or {}),
    )
