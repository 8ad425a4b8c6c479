"""Unsaved rows and action-log entries, as the histories collect them for the writer."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.db.models.base import ModelState

# model -> (constant defaults by attname, callable defaults by attname, FK name -> attname)
_SHAPES: dict[type[models.Model], tuple[dict, dict, dict]] = {}


def _shape(model: type[models.Model]) -> tuple[dict, dict, dict]:
    if model not in _SHAPES:
        constants, factories, relations = {}, {}, {}
        for f in model._meta.concrete_fields:
            if f.is_relation:
                relations[f.name] = f.attname
                constants[f.attname] = None
            elif f.has_default() and callable(f.default):
                factories[f.attname] = f.default
            else:
                constants[f.attname] = f.get_default()
        _SHAPES[model] = (constants, factories, relations)
    return _SHAPES[model]


def make(model: type[models.Model], **values) -> models.Model:
    """An unsaved instance, like model(**values) without Model.__init__'s per-field work.

    Building a demo of 100,000 persons creates millions of rows; Django's
    constructor is the largest single cost. Related objects are stored the way
    Django caches them, so the writer can take their primary keys once known.
    """
    constants, factories, relations = _shape(model)
    obj = model.__new__(model)
    state = ModelState()
    obj._state = state
    data = obj.__dict__
    data.update(constants)
    for attname, factory in factories.items():
        data[attname] = factory()
    for name, value in values.items():
        attname = relations.get(name)
        if attname is None:
            data[name] = value
        elif isinstance(value, models.Model):
            data[attname] = value.pk
            state.fields_cache[name] = value
        else:
            data[attname] = value
    return obj


@dataclass(frozen=True, slots=True)
class Saved:
    """A row already written, named by its primary key alone: all the writer reads of
    a link's far end or of an entry's case (a model instance costs about 2 KB)."""

    pk: int


@dataclass(slots=True)
class AuditRecord:
    """An action-log entry, written once the object it names has its primary key."""

    at: datetime
    actor: object
    action: str
    obj: object
    case: object | None
    data: dict
    changes: dict = field(default_factory=dict)  # brik.audit.services.changes_since


@dataclass
class Rows:
    """Everything one batch of histories creates, by model, in creation order."""

    persons: list = field(default_factory=list)
    identities: list = field(default_factory=list)
    citizenships: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    referrals: list = field(default_factory=list)
    interviews: list = field(default_factory=list)
    interviewers: list = field(default_factory=list)  # (interview, user)
    assessments: list = field(default_factory=list)
    forms: list = field(default_factory=list)
    periods: list = field(default_factory=list)
    extensions: list = field(default_factory=list)
    supports: list = field(default_factory=list)
    returns: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    audit: list = field(default_factory=list)
