"""How to cite a readout or one of its points: plain text and BibTeX."""

import re

from django.utils.text import slugify

BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")
BIBTEX_REPLACEMENTS = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def bibtex_escape(text):
    return BIBTEX_SPECIAL.sub(
        lambda found: BIBTEX_REPLACEMENTS.get(found.group(), "\\" + found.group()), text
    )


def bibtex_url(url):
    """URLs go into BibTeX verbatim, as biblatex reads them; only braces would break it."""
    return url.replace("{", "%7B").replace("}", "%7D")


def plain_citation(readout, url, point=None):
    parts = [f"{readout.issuer.name}. “{readout.title}”"]
    if point is not None:
        parts[0] += f", point {point.full_label or point.position}"
    parts.append(readout.published_on.strftime("%-d %B %Y"))
    if readout.translation_status != "original":
        parts.append(readout.get_translation_status_display())
    if readout.source_url:
        parts.append(f"Source: {readout.source_url}")
    parts.append(f"Readout archive: {url}")
    return ". ".join(parts) + "."


def bibtex_citation(readout, url, point=None):
    key = slugify(f"{readout.issuer.slug} {readout.published_on:%Y %m %d}").replace("-", "")
    notes = []
    if readout.translation_status != "original":
        notes.append(readout.get_translation_status_display())
    if point is not None:
        key += f"-{point.key}"
        notes.append(f"Point {point.full_label or point.position}")
    if readout.source_url:
        notes.append(f"Source: \\url{{{bibtex_url(readout.source_url)}}}")
    fields = [
        ("author", f"{{{bibtex_escape(readout.issuer.name)}}}"),
        ("title", f"{{{bibtex_escape(readout.title)}}}"),
        ("year", f"{readout.published_on:%Y}"),
        ("month", readout.published_on.strftime("%b").lower()),
        ("date", f"{readout.published_on:%Y-%m-%d}"),
        ("url", bibtex_url(url)),
    ]
    if notes:
        fields.append(("note", ". ".join(notes)))
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in fields
    )
    return f"@misc{{{key},\n{body}\n}}"
