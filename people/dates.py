"""Dates known to the day or only to the month, as sources give them."""

import calendar
import datetime

from django.db import models
from django.utils.formats import date_format


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month (approximate)"


def first_of_month(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def last_of_month(value: datetime.date) -> datetime.date:
    return value.replace(day=calendar.monthrange(value.year, value.month)[1])


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    """A date as precisely as it is known: "22 September 2021" or "November 2017"."""
    if value is None:
        return ""
    if precision == DatePrecision.MONTH:
        return date_format(value, "F Y")
    return date_format(value, "j F Y")
