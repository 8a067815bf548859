"""Meetings per month, drawn as SVG bar charts by a template: no JavaScript.

`monthly_series` turns (month, count) rows into a series with every month in
the range, and `bar_chart` lays that series out in SVG coordinates.
"""

import datetime
import functools
from collections import defaultdict

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.dateformat import format as format_date
from django.utils.translation import get_language

from . import facets


@functools.lru_cache(maxsize=4096)
def month_name(month, language):
    """A month as the charts name it ("November 2022"), named once per process:
    a page of charts shows thousands of months, and naming one is dear."""
    return format_date(month, "F Y")


def month_range(first, last):
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


# What each grouping is counted by: the facet rows' name; and for a list of
# readouts other than all of them, a field of theirs and what it must meet.
# (In one filter, so that the country is a counterpart's.)
GROUPS = {
    "country": (
        "country",
        "meeting__participations__country",
        {"meeting__participations__side": "counterpart"},
    ),
    "topic": (facets.MEETING_TOPIC, "points__topics", {"points__topics__isnull": False}),
}


def meetings_per_month(readouts=None, group_by=None):
    """{group: {month: meetings}} over listed readouts; one group, None, without group_by.
    Countries and topics are named as the facets name them ("Economy > Trade").

    Over all listed readouts, this is read from the facet totals and rows
    (readouts/facets.py) rather than grouping every meeting's readouts with
    its counterparts or its points' topics.
    """
    if readouts is None and group_by is None:
        return {None: facets.meetings_per_month()}
    if readouts is None:
        by_value = facets.meetings_per_month_by(GROUPS[group_by][0])
    else:
        by_value = grouped_by_month(readouts, *(GROUPS[group_by][1:] if group_by else ()))
    if group_by is None:
        return by_value
    names = facets.vocabularies({group_by: {str(value) for value in by_value}})[group_by]
    return {names[str(value)][1]: series for value, series in by_value.items()}


def grouped_by_month(readouts, group=None, condition=None):
    """{value of `group`, or None: {month: meetings}} over the queryset
    `readouts`, narrowed to those meeting `condition`."""
    readouts = readouts.filter(**(condition or {}))
    fields = ["month", group] if group else ["month"]
    rows = (
        readouts.annotate(month=TruncMonth("meeting__date"))
        .values(*fields)
        .annotate(meetings=Count("meeting", distinct=True))
        .order_by(*fields)
    )
    series = defaultdict(dict)
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        series[row[group] if group else None][month] = row["meetings"]
    return dict(series)


def bar_chart(counts, first=None, last=None, width=720, height=120, label=""):
    """SVG geometry for one series of monthly counts, every month from first to last shown."""
    if not counts and (first is None or last is None):
        return None
    first = first or min(counts)
    last = last or max(counts)
    months = list(month_range(first, last))
    peak = max(counts.values(), default=0) or 1
    step = width / len(months)
    bars, ticks = [], []
    names = {month: month_name(month, get_language()) for month in {*months, *counts}}
    for index, month in enumerate(months):
        count = counts.get(month, 0)
        x = round(index * step, 2)
        if month.month == 1 or index == 0:
            ticks.append({"x": x, "label": month.year})
        if count:
            bar_height = round(count / peak * (height - 4), 2)
            bars.append(
                {
                    "x": x,
                    "y": round(height - bar_height, 2),
                    "width": max(round(step * 0.8, 2), 1),
                    "height": bar_height,
                    "month": names[month],
                    "count": count,
                }
            )
    # Label only every nth year when there are many, so the labels do not collide.
    every = max(1, round(len(ticks) / (width / 48)))
    for index, tick in enumerate(ticks):
        tick["show"] = index % every == 0
    total = sum(counts.values())
    busiest = max(counts.items(), key=lambda item: (item[1], item[0]), default=None)
    if peak <= 1:
        busiest = None  # every month had one meeting at most: no busiest month to name
    return {
        "label": label,
        "width": width,
        "height": height,
        "bars": bars,
        "ticks": ticks,
        "first": first,
        "last": last,
        "total": total,
        "peak": peak,
        "busiest": busiest,
        "rows": [(names[month], count) for month, count in sorted(counts.items())],
    }
