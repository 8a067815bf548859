import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

# As json_script escapes: no "</script>" or "<!--" can close the element early.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """A schema.org <script type="application/ld+json">, which json_script cannot type."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        JSON_SCRIPT_ESCAPES
    )
    # Safe inside <script>: the characters that could end it are escaped above.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def duration(minutes):
    """90 → “1 hour 30 minutes”."""
    if not minutes:
        return ""
    hours, rest = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


@register.simple_tag
def facet_option(facet, option):
    """One value of a facet, as a checkbox (a radio button for a choice of one) with its count.

    A tag rather than an included template: the list offers hundreds of these.
    """
    return format_html(
        '<li><label><input type="{}" name="{}" value="{}"{}> {} <span class="count">({})</span>'
        "</label></li>",
        "radio" if facet["single"] else "checkbox",
        facet["name"],
        option["value"],
        mark_safe(" checked") if option["checked"] else "",
        option["label"],
        option["count"],
    )


# A chart has a bar and a table row for each month of the archive, hundreds
# of them: built in Python, they cost a fraction of what template loops did.
# The numbers are charts.bar_chart's own; only the month's name is escaped,
# where format_html escaped every number too and took four times as long.


@register.simple_tag
def chart_bars(chart):
    """The chart's bars as SVG rectangles, each titled with its month and count."""
    return mark_safe(
        "".join(
            f'<rect x="{float(bar["x"])}" y="{float(bar["y"])}" width="{float(bar["width"])}"'
            f' height="{float(bar["height"])}" class="bar">'
            f"<title>{escape(bar['month'])}: {int(bar['count'])}</title></rect>"
            for bar in chart["bars"]
        )
    )


@register.simple_tag
def chart_rows(chart):
    """The chart's numbers as table rows: a month and its count."""
    return mark_safe(
        "".join(
            f'<tr><th scope="row">{escape(month)}</th><td>{int(count)}</td></tr>'
            for month, count in chart["rows"]
        )
    )
