import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.defaultfilters import date, pluralize
from django.utils import timezone
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe

from ..links import URLPattern
from ..models import Meeting, Readout

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
def facet_options(facet, options):
    """Values of a facet as checkboxes (radio buttons for a choice of one), each with its count.

    One tag for a facet's values, built as the charts are: the list offers
    170 of them, and a tag for each, with format_html escaping every part,
    took more than twice as long. The values and labels are escaped; the
    count is the facet's own number.
    """
    kind = "radio" if facet["single"] else "checkbox"
    name = conditional_escape(facet["name"])
    rows = []
    for option in options:
        value, label = conditional_escape(option["value"]), conditional_escape(option["label"])
        checked = " checked" if option["checked"] else ""
        rows.append(
            f'<li><label><input type="{kind}" name="{name}" value="{value}"{checked}>'
            f' {label} <span class="count">({int(option["count"])})</span></label></li>'
        )
    return mark_safe("".join(rows))


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


@register.simple_tag
def people_rows(people):
    """The people index's items: each person linked, with their country and
    how many readouts they take part in. Built in one tag, as the charts
    are: the index of a large archive names thousands of people."""
    person_url = URLPattern("readouts:person", "slug")
    return mark_safe(
        "".join(
            f'<li><a href="{escape(person_url(person.slug))}">{escape(person)}</a>'
            f' <span class="meta">{escape(person.country)}</span>'
            f' <span class="count">{int(person.count)} readout{pluralize(person.count)}</span></li>'
            for person in people
        )
    )


@register.simple_tag
def readout_items(readouts):
    """Readouts as the lists show them (`ReadoutQuerySet.list_items`): each
    title linked, its meeting, issuer and counterparts, and a search's snippet
    with the matched words marked. Written in one tag, not a template included
    for each of a page's twenty readouts: that took a quarter of a list's time."""
    page_url = URLPattern("readouts:detail", "slug")
    kinds = dict(Meeting.Kind.choices)  # get_kind_display() would make it for each readout
    return mark_safe("".join(readout_item(readout, page_url, kinds) for readout in readouts))


def readout_item(readout, page_url, kinds):
    meeting, url = readout.meeting, escape(page_url(readout.slug))
    place = meeting.place
    facts = [
        f'<time datetime="{meeting.date.isoformat()}">{escape(date(meeting.date, "j F Y"))}</time>',
        escape(kinds.get(meeting.kind, meeting.kind)),
        *([escape(place)] if place else []),
        escape(readout.issuer),
    ]
    if readout.translation_status != Readout.TranslationStatus.ORIGINAL:
        facts.append(
            f'<span class="badge">{escape(readout.get_translation_status_display())}</span>'
        )
    with_whom = ", ".join(escape(each.person) for each in meeting.counterparts)
    if with_whom:
        with_whom = f'<span class="meta">With {with_whom}</span>'
    snippet = ""
    if getattr(readout, "snippet", None):  # set by a search: views.add_snippets
        point = readout.snippet_point
        label = (
            f'<a href="{url}#{escape(point.anchor)}" class="snippet-label">'
            f"Point {escape(point.full_label or '¶')}</a>: "
            if point
            else ""
        )
        text = "".join(
            f"<mark>{escape(piece)}</mark>" if is_match else escape(piece)
            for piece, is_match in readout.snippet
        )
        snippet = f'\n  <p class="snippet">{label}{text}</p>\n  '
    return (
        '<li class="readout-item">\n'
        f'  <a class="readout-link" href="{url}">{escape(readout.title)}</a>\n'
        f'  <span class="meta">{" · ".join(facts)}</span>\n'
        f"  {with_whom}\n"
        f"  {snippet}\n"
        "</li>\n"
    )


@register.simple_tag
def sitemap_urls(urlset):
    """A sitemap's <url> elements, as Django's sitemap.xml template writes them
    (without the alternates of a translated site): a year's sitemap has
    thousands, and that template's loop took most of its 420 ms."""
    return mark_safe(
        "".join(
            f"<url><loc>{escape(url['location'])}</loc>"
            + (
                f"<lastmod>{timezone.localtime(url['lastmod']).date().isoformat()}</lastmod>"
                if url["lastmod"]
                else ""
            )
            + (f"<changefreq>{escape(url['changefreq'])}</changefreq>" if url["changefreq"] else "")
            + (f"<priority>{escape(url['priority'])}</priority>" if url["priority"] else "")
            + "</url>"
            for url in urlset
        )
    )
