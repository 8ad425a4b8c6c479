"""Dates as the services write them into messages, in the active language's format."""

import datetime as dt

from django.utils.formats import date_format


def shown(year: int, month: int, day: int) -> str:
    return date_format(dt.date(year, month, day))
