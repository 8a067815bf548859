from django import forms
from django.conf import settings

from .importing import KINDS
from .models import Issuer, Readout, validate_time_zone
from .parsing import ReadoutParseError, parse_readout, parse_readout_bytes


class ReadoutImportForm(forms.Form):
    """A readout's text, pasted or uploaded, with what the text cannot say."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 20, "cols": 90}),
        required=False,
        strip=False,
        help_text="Paste the readout as published, from its title to its last point.",
    )
    file = forms.FileField(
        required=False, help_text="Or upload it: a .txt file or the page saved as .html."
    )
    issuer = forms.ModelChoiceField(Issuer.objects.all())
    source_url = forms.URLField(max_length=500, required=False, assume_scheme="https")

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text", "")
        if not upload and not text.strip():
            raise forms.ValidationError("Paste the text of a readout or upload its file.")
        try:
            if upload:
                if upload.size > settings.READOUT_MAX_BYTES:
                    raise ReadoutParseError(
                        f"The file is larger than {settings.READOUT_MAX_BYTES:,} bytes."
                    )
                cleaned["parsed"] = parse_readout_bytes(
                    upload.read(), filename=upload.name, max_bytes=settings.READOUT_MAX_BYTES
                )
            else:
                cleaned["parsed"] = parse_readout(text, max_bytes=settings.READOUT_MAX_BYTES)
        except ReadoutParseError as error:
            raise forms.ValidationError(str(error), code="unparseable") from None
        return cleaned


class ReadoutCorrectionsForm(forms.Form):
    """The facts the parser found, for the editor to correct before the draft is made."""

    KIND_CHOICES = [("", "Unknown")] + [
        (label, label.capitalize())
        for label in [*KINDS, "trilateral summit meeting", "trilateral summit telephone talk"]
    ]

    source_text = forms.CharField(widget=forms.HiddenInput, strip=False)
    issuer = forms.ModelChoiceField(Issuer.objects.all(), widget=forms.HiddenInput)
    source_url = forms.URLField(
        max_length=500, required=False, widget=forms.HiddenInput, assume_scheme="https"
    )
    title = forms.CharField(max_length=400)
    date = forms.DateField()
    translation_status = forms.ChoiceField(
        choices=[("", "Original")] + Readout.TranslationStatus.choices[1:], required=False
    )
    kind = forms.ChoiceField(choices=KIND_CHOICES, required=False)
    start_time_local = forms.TimeField(required=False, label="Start (local time)")
    time_zone = forms.CharField(required=False, validators=[validate_time_zone])
    duration_minutes = forms.IntegerField(required=False, min_value=1, max_value=24 * 60)
    duration_approximate = forms.BooleanField(required=False)
    city = forms.CharField(required=False, max_length=100)
    country = forms.CharField(
        required=False, max_length=2, help_text="ISO 3166 code of the venue: KH, JP, US."
    )
    occasion = forms.CharField(required=False, max_length=200)

    CORRECTABLE = [
        "title",
        "date",
        "translation_status",
        "kind",
        "start_time_local",
        "time_zone",
        "duration_minutes",
        "duration_approximate",
        "city",
        "country",
        "occasion",
    ]

    @classmethod
    def for_parsed(cls, parsed, issuer, source_url):
        initial = {name: getattr(parsed, name) for name in cls.CORRECTABLE}
        initial.update(source_text=parsed.source_text, issuer=issuer, source_url=source_url)
        return cls(initial={k: v if v is not None else "" for k, v in initial.items()})

    def clean_country(self):
        return self.cleaned_data["country"].upper() or None

    def corrections(self):
        """The corrected facts, with empty answers as None as the parser gives them."""
        return {
            name: (
                self.cleaned_data[name]
                if self.cleaned_data[name] not in ("", None)
                else (False if name == "duration_approximate" else None)
            )
            for name in self.CORRECTABLE
        }
