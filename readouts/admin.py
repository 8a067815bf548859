import dataclasses

from axes.admin import AccessAttemptAdmin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from .forms import ReadoutCorrectionsForm, ReadoutImportForm
from .importing import import_readout
from .middleware import could_be_a_key
from .models import (
    Administration,
    Annotation,
    Country,
    Issuer,
    Meeting,
    Occasion,
    Participation,
    Person,
    Point,
    Readout,
    Tenure,
    Topic,
    WorkflowStep,
)
from .parsing import ReadoutParseError, parse_readout
from .search import text_contains_all

admin.site.site_header = "Readout archive: editors"
admin.site.site_title = "Readout archive"
admin.site.index_title = "Editorial work"


class KeysOnly:
    """An autocomplete widget that shows again only values that can be keys.

    A form refuses a value that can be no key ("abc" for a meeting) and is
    shown again with it; Django's autocomplete widget then looked the value
    up to label it, and raised.
    """

    def optgroups(self, name, value, attr=None):
        key = self.field.remote_field.get_related_field()
        return super().optgroups(name, [v for v in value if could_be_a_key(key, v)], attr)


class KeysOnlySelect(KeysOnly, AutocompleteSelect):
    pass


class KeysOnlySelectMultiple(KeysOnly, AutocompleteSelectMultiple):
    pass


class AutocompleteKeysOnly:
    """For a model admin or inline: its autocomplete fields use `KeysOnly` widgets."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeysOnlySelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeysOnlySelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ArchiveSearch:
    """For a model admin of readouts or points: the search box is the archive's
    own search, through its indexes. Django's icontains over titles, leads and
    points read every one of them: 4-5 s in 90,000 readouts.

    An autocomplete box is asked as an editor types, with words half typed,
    which a search of words would not find: it looks for them in `typed_field`.
    """

    search_help_text = "Words, “a phrase”, -exclusions: read as the public search reads them."

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        if request.resolver_match.view_name == "admin:autocomplete":
            return queryset.filter(text_contains_all(search_term, self.typed_field)), False
        return queryset.search(search_term), False


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class TenureInline(AutocompleteKeysOnly, admin.TabularInline):
    model = Tenure
    extra = 0
    autocomplete_fields = ["country"]


@admin.register(Person)
class PersonAdmin(AutocompleteKeysOnly, VersionAdmin):
    list_display = ["name_form", "family_name", "given_name", "country"]
    list_filter = ["country"]
    list_select_related = ["country"]
    search_fields = ["name_form", "family_name", "given_name"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name_form"]}
    inlines = [TenureInline]


@admin.register(Administration)
class AdministrationAdmin(AutocompleteKeysOnly, VersionAdmin):
    list_display = ["__str__", "started_on", "ended_on"]
    list_select_related = ["prime_minister"]
    search_fields = ["prime_minister__name_form", "prime_minister__family_name"]
    autocomplete_fields = ["prime_minister"]


@admin.register(Occasion)
class OccasionAdmin(AutocompleteKeysOnly, VersionAdmin):
    list_display = ["name", "started_on", "ended_on", "city", "country"]
    list_select_related = ["country"]
    search_fields = ["name", "city"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "started_on"


@admin.register(Topic)
class TopicAdmin(AutocompleteKeysOnly, VersionAdmin):
    list_display = ["__str__", "slug"]
    list_select_related = ["parent"]
    search_fields = ["name", "parent__name"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Issuer)
class IssuerAdmin(AutocompleteKeysOnly, admin.ModelAdmin):
    list_display = ["name", "short_name", "country"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["country"]


class ParticipationInline(AutocompleteKeysOnly, admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["person", "country"]
    fields = ["position", "person", "title", "country", "side"]


@admin.register(Meeting)
class MeetingAdmin(AutocompleteKeysOnly, VersionAdmin):
    list_display = ["date", "kind", "place_display", "occasion", "readout_count"]
    list_filter = ["kind", "country", "duration_approximate"]
    list_select_related = ["country", "occasion"]
    search_fields = [
        "participations__person__name_form",
        "city",
        "occasion__name",
        "readouts__title",
    ]
    autocomplete_fields = ["country", "occasion"]
    date_hierarchy = "date"
    readonly_fields = ["japan_time"]
    inlines = [ParticipationInline]
    fieldsets = [
        (None, {"fields": ["kind", "occasion"]}),
        (
            "When",
            {
                "fields": [
                    "date",
                    ("start_time", "time_zone"),
                    "japan_time",
                    ("duration_minutes", "duration_approximate"),
                ]
            },
        ),
        ("Where", {"fields": [("city", "country"), "location_text"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(readout_total=Count("readouts"))

    @admin.display(description="Place")
    def place_display(self, meeting):
        return meeting.place

    @admin.display(description="Readouts", ordering="readout_total")
    def readout_count(self, meeting):
        return meeting.readout_total

    @admin.display(description="Japan time")
    def japan_time(self, meeting):
        japan = meeting.starts_at_japan_time
        return f"{japan:%H:%M} JST" if japan else "—"


class ChoicesOnceMixin:
    """Inline rows share their choice lists: one query per field, not one per row.

    Each inline form gets its own copy of a choice field, which would query its
    choices again for every row of a long readout.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(field, forms.ModelChoiceField):
            choices = list(field.choices)
            field.choices = choices
            widget = getattr(field.widget, "widget", None)  # behind the admin's +/edit links
            if widget is not None:
                widget.choices = choices
        return field


class PointInline(ChoicesOnceMixin, admin.TabularInline):
    model = Point
    fk_name = "readout"
    extra = 0
    fields = ["position", "nesting", "label", "parent", "text", "translates", "topics"]
    readonly_fields = ["nesting"]
    ordering = ["position", "pk"]

    @admin.display(description="")
    def nesting(self, point):
        if not point.pk:
            return ""
        indent = "\u2003\u2003└ " if point.parent_id else ""
        return format_html("{}<a id='{}'>{}</a>", indent, point.anchor, point.full_label or "¶")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent").prefetch_related("topics")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A point's parent and the point it translates are offered from the
        # readout being edited and from its original, not from every point.
        readout = getattr(request, "_readout_being_edited", None)
        if db_field.name == "parent":
            kwargs["queryset"] = Point.objects.filter(readout=readout, parent__isnull=True)
        if db_field.name == "translates":
            original = readout.translation_of_id if readout else None
            kwargs["queryset"] = Point.objects.filter(readout_id=original)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AnnotationInline(ChoicesOnceMixin, admin.StackedInline):
    model = Annotation
    extra = 0
    fields = [("point", "kind", "visibility"), "exact", ("prefix", "suffix"), "body", "author"]
    readonly_fields = ["author"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "point")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "point":
            readout = getattr(request, "_readout_being_edited", None)
            kwargs["queryset"] = Point.objects.filter(readout=readout).select_related("parent")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class WorkflowStepInline(admin.TabularInline):
    model = WorkflowStep
    extra = 0
    can_delete = False
    fields = ["at", "action", "actor", "note", "public_note"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False


class ReadoutForm(forms.ModelForm):
    """The readout change form, refusing to overwrite a newer save.

    The version the editor loaded travels with the form; if the readout was
    saved since, the save is refused and nothing is overwritten.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    source_url = forms.URLField(max_length=500, required=False, assume_scheme="https")
    change_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Public: what changed and why. Needed when you change a published readout.",
    )

    class Meta:
        model = Readout
        fields = [
            "title",
            "slug",
            "meeting",
            "issuer",
            "published_on",
            "language",
            "translation_status",
            "translation_of",
            "lead",
            "source_url",
            "source_text",
            "withdrawal_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = (
                Readout.objects.select_for_update()
                .values_list("version", flat=True)
                .get(pk=self.instance.pk)
            )
            if self.instance.is_public and self.has_changed() and not cleaned.get("change_note"):
                self.add_error(
                    "change_note", "This readout is public: say what you changed, for its readers."
                )
            if cleaned.get("loaded_version") != current:
                raise ValidationError(
                    "Someone else saved this readout after you opened it. Your changes were "
                    "not saved, so that theirs are not overwritten: reload the page to see "
                    "their version, then make your changes again.",
                    code="conflict",
                )
        return cleaned

    def save(self, commit=True):
        if self.instance.pk:
            self.instance.version = self.cleaned_data["loaded_version"] + 1
        return super().save(commit)


class WorkflowForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="For editors. When you publish your own readout, the reason goes here.",
    )
    public_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Shown to the public: a change note when republishing, the explanation when "
        "withdrawing.",
    )


@admin.register(Readout)
class ReadoutAdmin(ArchiveSearch, AutocompleteKeysOnly, VersionAdmin):
    form = ReadoutForm
    typed_field = "title"
    change_list_template = "admin/readouts/readout/change_list.html"
    list_display = ["title", "meeting_date", "issuer", "language", "translation_status", "status"]
    list_filter = ["status", "translation_status", "language", "issuer", "meeting__kind"]
    list_select_related = ["meeting", "issuer"]
    search_fields = ["title", "lead", "points__text"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["meeting", "translation_of"]
    readonly_fields = ["status", "published_by", "published_at", "created_by", "workflow_links"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PointInline, AnnotationInline, WorkflowStepInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "meeting", "issuer", "published_on"]}),
        ("Language", {"fields": [("language", "translation_status"), "translation_of"]}),
        ("Text", {"fields": ["lead", "source_url", "source_text"]}),
        (
            "Editorial state",
            {
                "fields": [
                    "workflow_links",
                    ("status", "created_by"),
                    ("published_by", "published_at"),
                    "withdrawal_note",
                    "change_note",
                    "loaded_version",
                ]
            },
        ),
    ]

    actions = ["submit_selected", "publish_selected"]

    WORKFLOW_ACTIONS = {
        "submit": ("Submit for review", "submit_for_review"),
        "return": ("Return to draft", "return_to_draft"),
        "publish": ("Publish", "publish"),
        "withdraw": ("Withdraw", "withdraw"),
        "withdraw-silently": ("Withdraw without notice", "withdraw"),
    }

    def has_publish_permission(self, request):
        return request.user.has_perm("readouts.publish_readout")

    def has_submit_permission(self, request):
        return request.user.has_perm("readouts.submit_readout")

    @admin.action(description="Submit the selected drafts for review", permissions=["submit"])
    def submit_selected(self, request, readouts):
        self.take_step(request, readouts, "submit_for_review")

    @admin.action(description="Publish the selected readouts", permissions=["publish"])
    def publish_selected(self, request, readouts):
        self.take_step(request, readouts, "publish")

    def take_step(self, request, readouts, method):
        """Take one workflow step for each readout; each refusal is reported, not hidden."""
        done = 0
        for readout in readouts:
            try:
                getattr(readout, method)(request.user)
            except (PermissionDenied, ValidationError) as refusal:
                reason = " ".join(getattr(refusal, "messages", [str(refusal)]))
                messages.warning(request, f"“{readout}”: {reason}")
            else:
                done += 1
        if done:
            messages.success(request, f"{done} readout(s) done.")

    @admin.display(description="Meeting date", ordering="meeting__date")
    def meeting_date(self, readout):
        return readout.meeting.date

    @admin.display(description="Workflow")
    def workflow_links(self, readout):
        if not readout.pk:
            return "Save the draft first."
        links = [
            format_html(
                '<a class="button" href="{}">{}</a>',
                reverse("admin:readouts_readout_workflow", args=[readout.pk, action]),
                label,
            )
            for action, (label, _) in self.WORKFLOW_ACTIONS.items()
        ]
        return format_html(" ".join(["{}"] * len(links)), *links)

    def get_form(self, request, obj=None, **kwargs):
        request._readout_being_edited = obj
        return super().get_form(request, obj, **kwargs)

    def get_formsets_with_inlines(self, request, obj=None):
        request._readout_being_edited = obj
        return super().get_formsets_with_inlines(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        readout = form.instance
        changed = form.has_changed() or any(formset.has_changed() for formset in formsets)
        if change and readout.is_public and changed:
            readout.record_change(
                request.user, form.cleaned_data["change_note"] or "Points or notes revised."
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is Annotation:
            for annotation in formset.save(commit=False):
                if not annotation.author_id:
                    annotation.author = request.user
                annotation.save()
            for annotation in formset.deleted_objects:
                annotation.delete()
            return
        super().save_formset(request, form, formset, change)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="readouts_readout_import",
            ),
            path(
                "<int:pk>/workflow/<slug:action>/",
                self.admin_site.admin_view(self.workflow_view),
                name="readouts_readout_workflow",
            ),
            *super().get_urls(),
        ]

    def workflow_view(self, request, pk, action):
        """Confirm one workflow step, with its note, then take it."""
        readout = get_object_or_404(Readout, pk=pk)
        if action not in self.WORKFLOW_ACTIONS:
            raise PermissionDenied
        label, method = self.WORKFLOW_ACTIONS[action]
        form = WorkflowForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            note, public_note = form.cleaned_data["note"], form.cleaned_data["public_note"]
            step = getattr(readout, method)
            try:
                if method == "publish":
                    step(request.user, reason=note, change_note=public_note)
                elif method == "withdraw":
                    step(request.user, public_note, silently=action == "withdraw-silently")
                else:
                    step(request.user, note)
            except PermissionDenied as refusal:
                messages.error(request, f"{label}: {refusal}")
            except ValidationError as refusal:
                form.add_error(None, refusal)
            else:
                messages.success(request, f"{label}: done for “{readout}”.")
                return redirect("admin:readouts_readout_change", readout.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": readout,
            "title": f"{label}: {readout}",
            "form": form,
            "action_label": label,
        }
        return TemplateResponse(request, "admin/readouts/readout/workflow.html", context)

    def import_view(self, request):
        """Paste or upload a readout, check what was parsed, correct it, make the draft."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import a readout from its text",
        }
        if request.method == "POST" and "confirm" in request.POST:
            corrections = ReadoutCorrectionsForm(request.POST)
            try:
                parsed = parse_readout(request.POST.get("source_text", ""))
            except ReadoutParseError as error:
                messages.error(request, f"The text could not be read again: {error}")
                return redirect("admin:readouts_readout_import")
            if corrections.is_valid():
                data = corrections.cleaned_data
                parsed = dataclasses.replace(parsed, **corrections.corrections())
                result = import_readout(
                    parsed, user=request.user, issuer=data["issuer"], source_url=data["source_url"]
                )
                verb = "Imported" if result.created else "Updated from the new text"
                messages.success(request, f"{verb}: “{result.readout}”, a draft.")
                return redirect("admin:readouts_readout_change", result.readout.pk)
            return TemplateResponse(
                request,
                "admin/readouts/readout/import_preview.html",
                {**context, "parsed": parsed, "form": corrections},
            )
        form = ReadoutImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            parsed = form.cleaned_data["parsed"]
            corrections = ReadoutCorrectionsForm.for_parsed(
                parsed, form.cleaned_data["issuer"], form.cleaned_data["source_url"]
            )
            return TemplateResponse(
                request,
                "admin/readouts/readout/import_preview.html",
                {**context, "parsed": parsed, "form": corrections},
            )
        return TemplateResponse(
            request, "admin/readouts/readout/import.html", {**context, "form": form}
        )


@admin.register(Point)
class PointAdmin(ArchiveSearch, AutocompleteKeysOnly, VersionAdmin):
    """Points across readouts: find every point that says something, tag topics."""

    list_display = ["__str__", "readout", "label"]
    list_filter = ["topics", "readout__language", "readout__status"]
    list_select_related = ["readout", "parent"]
    search_fields = ["text"]
    typed_field = "text"
    autocomplete_fields = ["readout", "topics"]
    raw_id_fields = ["parent", "translates"]
    readonly_fields = ["key"]


@admin.register(Participation)
class ParticipationAdmin(AutocompleteKeysOnly, admin.ModelAdmin):
    list_display = ["person", "title", "country", "side", "meeting"]
    list_filter = ["side", "country"]
    list_select_related = ["person", "country", "meeting"]
    search_fields = ["person__name_form", "title"]
    autocomplete_fields = ["person", "country", "meeting"]


@admin.register(Tenure)
class TenureAdmin(AutocompleteKeysOnly, admin.ModelAdmin):
    list_display = ["person", "title", "started_on", "ended_on"]
    list_select_related = ["person"]
    search_fields = ["person__name_form", "title"]
    autocomplete_fields = ["person", "country"]


@admin.register(Annotation)
class AnnotationAdmin(AutocompleteKeysOnly, VersionAdmin):
    list_display = ["exact", "kind", "visibility", "readout", "author", "updated_at"]
    list_filter = ["kind", "visibility"]
    list_select_related = ["readout", "author"]
    search_fields = ["exact", "body", "readout__title"]
    autocomplete_fields = ["readout"]
    readonly_fields = ["author"]

    def save_model(self, request, obj, form, change):
        if not obj.author_id:
            obj.author = request.user
        super().save_model(request, obj, form, change)


# django-axes's own admin, with its one action mended.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginAttemptAdmin(AccessAttemptAdmin):
    @admin.action(description="Clean up expired attempts")
    def cleanup_expired_attempts(self, request, queryset):
        # django-axes reads the request's time from an attribute it sets on
        # login attempts only: without it, the action raised.
        AxesProxyHandler.update_request(request)
        return super().cleanup_expired_attempts(request, queryset)
