"""How the API shows the archive, and what editors may write through it.

Readers get what the public pages show; every queryset behind these
serializers comes from the viewsets in api.py, which apply the visibility
rules. Related objects are read from prefetched data only, so that a page
costs the same number of queries whatever its size.
"""

import copy
from functools import partial

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from .links import URLPattern
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


class ModelSerializer(serializers.ModelSerializer):
    """DRF's, with its fields made from the model once per class.

    DRF makes a ModelSerializer's fields from the model's description for
    every serializer; a readout's detail nests a dozen serializers, and making
    their fields cost an eighth of the request. The fields made are kept on the
    class, and each serializer gets copies of its own, as DRF copies the
    fields a class declares.
    """

    def get_fields(self):
        made = type(self).__dict__.get("_made_fields")
        if made is None:
            made = super().get_fields()
            type(self)._made_fields = made
        return copy.deepcopy(made)

    def nested(self, serializer_class):
        """One serializer of `serializer_class` for every object this one shows,
        with this one's context. Made for each object (a readout's points, one
        by one), each copied its fields again: most of a harvest page's time."""
        made = self.__dict__.setdefault("_nested", {})
        if serializer_class not in made:
            made[serializer_class] = serializer_class(context=self.context)
        return made[serializer_class]


def absolute(context, path):
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


class PageURLField(serializers.ReadOnlyField):
    """The object's public page, as an absolute URL."""

    def __init__(self, **kwargs):
        super().__init__(source="get_absolute_url", **kwargs)

    def to_representation(self, value):
        return absolute(self.context, value)


PageURLField = extend_schema_field(OpenApiTypes.URI)(PageURLField)


class SlugReference(serializers.SlugRelatedField):
    """Another object by its slug, as written by a client.

    Text holding a NUL character names nothing: it is refused here, as DRF's
    text fields refuse it, rather than sent to PostgreSQL, which cannot store
    or compare it (a 500 that schemathesis found).
    """

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


def point_url(context, readout_slug, key):
    """A point's stable URL: it survives edits and renumbering of the readout."""
    return absolute(context, reverse("readouts:point", args=[readout_slug, key]))


def administration_on(context, day):
    """The administration in office on `day`, from one query per request.

    Mirrors AdministrationQuerySet.in_office_on, which would cost a query per meeting.
    """
    if "administrations" not in context:
        context["administrations"] = list(
            Administration.objects.select_related("prime_minister").order_by("-ordinal")
        )
    for administration in context["administrations"]:
        ended = administration.ended_on
        if administration.started_on <= day and (ended is None or ended >= day):
            return administration
    return None


# Reference data


class CountrySerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:country-detail", lookup_field="code")
    html_url = PageURLField()

    class Meta:
        model = Country
        fields = ["code", "name", "url", "html_url"]


class TenureSerializer(ModelSerializer):
    country = serializers.CharField(source="country_id", read_only=True)

    class Meta:
        model = Tenure
        fields = ["title", "country", "started_on", "ended_on"]


class PersonSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail", lookup_field="slug")
    html_url = PageURLField()
    country = serializers.CharField(source="country_id", read_only=True)
    tenures = TenureSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "slug",
            "url",
            "html_url",
            "name_form",
            "family_name",
            "given_name",
            "honorific",
            "country",
            "tenures",
        ]


class PersonSummarySerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail", lookup_field="slug")

    class Meta:
        model = Person
        fields = ["slug", "url", "name_form"]


class TopicSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:topic-detail", lookup_field="slug")
    html_url = PageURLField()
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Topic
        fields = ["slug", "url", "html_url", "name", "parent", "description"]


class TopicSummarySerializer(ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name"]


class AdministrationSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:administration-detail", lookup_field="ordinal"
    )
    html_url = PageURLField()
    name = serializers.CharField(source="__str__", read_only=True)
    prime_minister = PersonSummarySerializer(read_only=True)

    class Meta:
        model = Administration
        fields = ["ordinal", "url", "html_url", "name", "prime_minister", "started_on", "ended_on"]


class AdministrationSummarySerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:administration-detail", lookup_field="ordinal"
    )
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Administration
        fields = ["ordinal", "url", "name"]


class OccasionSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:occasion-detail", lookup_field="slug")
    html_url = PageURLField()
    country = serializers.CharField(source="country_id", read_only=True, allow_null=True)

    class Meta:
        model = Occasion
        fields = ["slug", "url", "html_url", "name", "started_on", "ended_on", "city", "country"]


class OccasionSummarySerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:occasion-detail", lookup_field="slug")

    class Meta:
        model = Occasion
        fields = ["slug", "url", "name"]


class IssuerSerializer(ModelSerializer):
    country = serializers.CharField(source="country_id", read_only=True)

    class Meta:
        model = Issuer
        fields = ["slug", "name", "short_name", "country"]


# Meetings

NULLABLE_DATETIME = {"type": "string", "format": "date-time", "nullable": True}


class ParticipantSerializer(ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    honorific = serializers.CharField(source="person.honorific", read_only=True)
    country = serializers.CharField(source="country_id", read_only=True)

    class Meta:
        model = Participation
        fields = ["person", "honorific", "title", "country", "side"]


class ReadoutLinkSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:readout-detail", lookup_field="slug")
    html_url = PageURLField()

    class Meta:
        model = Readout
        fields = ["slug", "url", "html_url", "title", "language", "translation_status", "status"]


class MeetingSummarySerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:meeting-detail")
    country = serializers.CharField(source="country_id", read_only=True, allow_null=True)
    occasion = OccasionSummarySerializer(read_only=True, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "url", "date", "kind", "kind_display", "city", "country", "occasion"]


class MeetingSerializer(MeetingSummarySerializer):
    """The event: when (local and Japan time), where, on what occasion, who took part.

    `readouts` are the meeting's public readouts: one per government and language.
    """

    country = CountrySerializer(read_only=True, allow_null=True)
    place = serializers.CharField(read_only=True)
    starts_at = serializers.SerializerMethodField(help_text="Local time at the venue.")
    starts_at_japan_time = serializers.SerializerMethodField()
    administration = serializers.SerializerMethodField()
    participants = ParticipantSerializer(source="participations", many=True, read_only=True)
    readouts = ReadoutLinkSerializer(source="public_readouts", many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            *MeetingSummarySerializer.Meta.fields,
            "start_time",
            "time_zone",
            "starts_at",
            "starts_at_japan_time",
            "duration_minutes",
            "duration_approximate",
            "place",
            "location_text",
            "administration",
            "participants",
            "readouts",
        ]

    # Kept in the venue's (or Japan's) offset, not converted to the archive's UTC clock.
    @extend_schema_field(NULLABLE_DATETIME)
    def get_starts_at(self, meeting):
        return meeting.starts_at and meeting.starts_at.isoformat()

    @extend_schema_field(NULLABLE_DATETIME)
    def get_starts_at_japan_time(self, meeting):
        return meeting.starts_at_japan_time and meeting.starts_at_japan_time.isoformat()

    @extend_schema_field(AdministrationSummarySerializer(allow_null=True))
    def get_administration(self, meeting):
        administration = administration_on(self.context, meeting.date)
        if administration is None:
            return None
        return self.nested(AdministrationSummarySerializer).to_representation(administration)


# Points


class PointTreeSerializer(ModelSerializer):
    """A point as printed in its readout, with its sub-points."""

    url = serializers.SerializerMethodField()
    full_label = serializers.SerializerMethodField()
    topics = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField()

    class Meta:
        model = Point
        fields = ["key", "label", "full_label", "url", "text", "topics", "children"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, point):
        return point_url(self.context, point.readout.slug, point.key)

    def get_full_label(self, point) -> str:
        own = point.label.strip().rstrip(".")
        parent = getattr(point, "tree_parent", None)
        return f"{parent.label.strip().rstrip('.')}{own}" if parent else own

    def get_topics(self, point) -> list[str]:
        return [topic.slug for topic in point.topics.all()]

    @extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/PointTree"}})
    def get_children(self, point):
        return [self.to_representation(child) for child in getattr(point, "tree_children", [])]


class PointReadoutSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:readout-detail", lookup_field="slug")
    meeting_date = serializers.DateField(source="meeting.date", read_only=True)

    class Meta:
        model = Readout
        fields = ["slug", "url", "title", "language", "meeting_date"]


class PointSerializer(ModelSerializer):
    """A point across readouts, citable on its own."""

    api_url = serializers.HyperlinkedIdentityField(view_name="api:point-detail")
    url = serializers.SerializerMethodField()
    full_label = serializers.CharField(read_only=True)
    parent = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    readout = PointReadoutSerializer(read_only=True)

    class Meta:
        model = Point
        fields = [
            "id",
            "api_url",
            "key",
            "label",
            "full_label",
            "url",
            "text",
            "parent",
            "topics",
            "readout",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, point):
        return point_url(self.context, point.readout.slug, point.key)


# Annotations


class AnnotationSerializer(ModelSerializer):
    """An editor's note on an exact quote of a point (or of the lead, when `point` is null)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:annotation-detail")
    readout = SlugReference(slug_field="slug", queryset=Readout.objects.all())
    point = serializers.CharField(
        source="point.key",
        required=False,
        allow_null=True,
        help_text="The key of the annotated point; null for the lead paragraph.",
    )
    target = serializers.SerializerMethodField()
    body_html = serializers.CharField(read_only=True)

    class Meta:
        model = Annotation
        fields = [
            "id",
            "url",
            "readout",
            "point",
            "target",
            "exact",
            "prefix",
            "suffix",
            "kind",
            "body",
            "body_html",
            "visibility",
            "created_at",
            "updated_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        readouts = self.fields["readout"]
        # Editors annotate only readouts they can see.
        if request is not None and hasattr(readouts, "queryset"):
            readouts.queryset = Readout.objects.visible_to(request.user)

    @extend_schema_field(OpenApiTypes.URI)
    def get_target(self, annotation):
        """The annotated text's URL: the point's stable URL, or the readout for the lead."""
        return annotation_target(self.context, annotation)

    def validate(self, attrs):
        readout = attrs.get("readout") or getattr(self.instance, "readout", None)
        if "point" in attrs:
            key = (attrs.pop("point") or {}).get("key")
            attrs["point"] = None
            if key:
                attrs["point"] = readout.points.filter(key=key).first()
                if attrs["point"] is None:
                    raise serializers.ValidationError(
                        {"point": f"Readout “{readout.slug}” has no point with key “{key}”."}
                    )
        annotation = Annotation(**{**model_fields(self.instance), **attrs})
        try:
            annotation.clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(as_serializer_error(error)) from error
        return attrs


def model_fields(instance):
    if instance is None:
        return {}
    names = ["readout", "point", "exact", "prefix", "suffix", "kind", "body", "visibility"]
    return {name: getattr(instance, name) for name in names} | {"author": instance.author}


def as_serializer_error(error):
    return (
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )


def annotation_target(context, annotation):
    readout = annotation.readout
    if annotation.point_id:
        return point_url(context, readout.slug, annotation.point.key)
    return absolute(context, readout.get_absolute_url())


# The W3C Web Annotation Data Model: https://www.w3.org/TR/annotation-model/

WEB_ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"

MOTIVATIONS = {
    Annotation.Kind.TRANSLATION: "commenting",
    Annotation.Kind.CORRECTION: "editing",
    Annotation.Kind.CONTEXT: "describing",
    Annotation.Kind.CROSS_REFERENCE: "linking",
    Annotation.Kind.GLOSSARY: "describing",
}


class TextQuoteSelectorSerializer(serializers.Serializer):
    type = serializers.SerializerMethodField()
    exact = serializers.CharField()
    prefix = serializers.CharField()
    suffix = serializers.CharField()

    def get_type(self, annotation) -> str:
        return "TextQuoteSelector"


class WebAnnotationTargetSerializer(serializers.Serializer):
    source = serializers.SerializerMethodField()
    selector = TextQuoteSelectorSerializer(source="*")

    @extend_schema_field(OpenApiTypes.URI)
    def get_source(self, annotation):
        return annotation_target(self.context, annotation)


class WebAnnotationBodySerializer(serializers.Serializer):
    type = serializers.SerializerMethodField()
    value = serializers.CharField(source="body")
    format = serializers.SerializerMethodField()
    purpose = serializers.SerializerMethodField()

    def get_type(self, annotation) -> str:
        return "TextualBody"

    def get_format(self, annotation) -> str:
        return "text/markdown"

    def get_purpose(self, annotation) -> str:
        return MOTIVATIONS[annotation.kind]


class WebAnnotationSerializer(serializers.Serializer):
    """An annotation as W3C Web Annotation JSON-LD, for annotation clients such as Hypothesis."""

    id = serializers.SerializerMethodField()
    type = serializers.SerializerMethodField()
    motivation = serializers.SerializerMethodField()
    created = serializers.DateTimeField(source="created_at")
    modified = serializers.DateTimeField(source="updated_at")
    body = WebAnnotationBodySerializer(source="*")
    target = WebAnnotationTargetSerializer(source="*")

    def get_fields(self):
        # "@context" is not a Python name, so it cannot be declared above.
        return {"@context": JsonLdContextField(), **super().get_fields()}

    @extend_schema_field(OpenApiTypes.URI)
    def get_id(self, annotation):
        # The annotation's IRI, without the ?format= that asked for this rendering.
        return absolute(self.context, reverse("api:annotation-detail", args=[annotation.pk]))

    def get_type(self, annotation) -> str:
        return "Annotation"

    def get_motivation(self, annotation) -> str:
        return MOTIVATIONS[annotation.kind]


@extend_schema_field(OpenApiTypes.URI)
class JsonLdContextField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return WEB_ANNOTATION_CONTEXT


class AnnotationCollectionSerializer(serializers.Serializer):
    type = serializers.CharField()
    total = serializers.IntegerField()


@extend_schema_serializer(many=False)
class AnnotationPageSerializer(serializers.Serializer):
    """A page of Web Annotations, part of the collection the filters select."""

    type = serializers.CharField()
    partOf = AnnotationCollectionSerializer()  # noqa: N815 (the W3C's name)
    startIndex = serializers.IntegerField()  # noqa: N815
    next = serializers.URLField(allow_null=True)
    prev = serializers.URLField(allow_null=True)
    items = WebAnnotationSerializer(many=True)

    def get_fields(self):
        return {"@context": JsonLdContextField(), **super().get_fields()}


# Readouts


class PublicChangeSerializer(ModelSerializer):
    """A step of the public change history: never the editors' internal note."""

    class Meta:
        model = WorkflowStep
        fields = ["action", "at", "public_note"]


class ReadoutListSerializer(serializers.ListSerializer):
    """A page of readouts, each exactly as ReadoutSerializer has it (tested), built
    directly from the rows of `Readout.objects.summaries()`: a list is what the
    API serves most, and field-by-field serializing with a route resolved per
    link cost ten times the query."""

    def to_representation(self, data):
        rows = data.all() if hasattr(data, "all") else data
        absolute_url = partial(absolute, self.context)
        api_url = URLPattern("api:readout-detail", "slug", absolute_url)
        page_url = URLPattern("readouts:detail", "slug", absolute_url)
        meeting_url = URLPattern("api:meeting-detail", "pk", absolute_url)
        occasion_url = URLPattern("api:occasion-detail", "slug", absolute_url)
        kinds = dict(Meeting.Kind.choices)
        return [
            {
                "slug": row["slug"],
                "url": api_url(row["slug"]),
                "html_url": page_url(row["slug"]),
                "title": row["title"],
                "language": row["language"],
                "translation_status": row["translation_status"],
                "status": row["status"],
                "published_on": row["published_on"].isoformat(),
                "issuer": {
                    "slug": row["issuer__slug"],
                    "name": row["issuer__name"],
                    "short_name": row["issuer__short_name"],
                    "country": row["issuer__country_id"],
                },
                "meeting": {
                    "id": row["meeting_id"],
                    "url": meeting_url(row["meeting_id"]),
                    "date": row["meeting__date"].isoformat(),
                    "kind": row["meeting__kind"],
                    "kind_display": str(kinds.get(row["meeting__kind"], row["meeting__kind"])),
                    "city": row["meeting__city"],
                    "country": row["meeting__country_id"],
                    "occasion": None
                    if row["meeting__occasion__slug"] is None
                    else {
                        "slug": row["meeting__occasion__slug"],
                        "url": occasion_url(row["meeting__occasion__slug"]),
                        "name": row["meeting__occasion__name"],
                    },
                },
                "withdrawal_note": row["withdrawal_note"],
            }
            for row in rows
        ]


class ReadoutSerializer(ModelSerializer):
    """A readout in a list: enough to choose it and cite it."""

    url = serializers.HyperlinkedIdentityField(view_name="api:readout-detail", lookup_field="slug")
    html_url = PageURLField()
    issuer = IssuerSerializer(read_only=True)
    meeting = MeetingSummarySerializer(read_only=True)

    class Meta:
        model = Readout
        fields = [
            "slug",
            "url",
            "html_url",
            "title",
            "language",
            "translation_status",
            "status",
            "published_on",
            "issuer",
            "meeting",
            "withdrawal_note",
        ]
        list_serializer_class = ReadoutListSerializer


class ReadoutDetailSerializer(ReadoutSerializer):
    """A readout with its meeting, points tree, public annotations and topics."""

    meeting = MeetingSerializer(read_only=True)
    translation_of = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    points = serializers.SerializerMethodField()
    annotations = AnnotationSerializer(source="visible_annotations", many=True, read_only=True)
    topics = serializers.SerializerMethodField()
    other_readouts = serializers.SerializerMethodField()
    changes = PublicChangeSerializer(source="public_changes", many=True, read_only=True)

    class Meta:
        model = Readout
        fields = [
            *ReadoutSerializer.Meta.fields,
            "version",
            "lead",
            "source_url",
            "source_text",
            "translation_of",
            "points",
            "annotations",
            "topics",
            "other_readouts",
            "changes",
        ]

    @extend_schema_field(PointTreeSerializer(many=True))
    def get_points(self, readout):
        by_pk = {point.pk: point for point in readout.points.all()}
        roots = []
        for point in by_pk.values():
            point.tree_children = []
        for point in by_pk.values():
            parent = by_pk.get(point.parent_id)
            if parent is None:
                roots.append(point)
            else:
                point.tree_parent = parent
                parent.tree_children.append(point)
        tree = self.nested(PointTreeSerializer)
        return [tree.to_representation(root) for root in roots]

    @extend_schema_field(TopicSummarySerializer(many=True))
    def get_topics(self, readout):
        topics = {topic.pk: topic for point in readout.points.all() for topic in point.topics.all()}
        ordered = sorted(topics.values(), key=lambda topic: topic.name)
        return [self.nested(TopicSummarySerializer).to_representation(topic) for topic in ordered]

    @extend_schema_field(ReadoutLinkSerializer(many=True))
    def get_other_readouts(self, readout):
        others = [other for other in readout.meeting.public_readouts if other.pk != readout.pk]
        links = self.nested(ReadoutLinkSerializer)
        return [links.to_representation(other) for other in others]


class ReadoutWriteSerializer(ModelSerializer):
    """What an editor sends to create or change a readout; the workflow moves its status.

    A change must carry the `version` it was based on: a stale one is refused
    with 409 Conflict, as the admin refuses to overwrite a newer save.
    """

    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())
    issuer = SlugReference(slug_field="slug", queryset=Issuer.objects.all())
    translation_of = SlugReference(
        slug_field="slug", queryset=Readout.objects.all(), required=False, allow_null=True
    )
    version = serializers.IntegerField(
        required=False, help_text="Required when changing: the version you last read."
    )

    class Meta:
        model = Readout
        fields = [
            "title",
            "meeting",
            "issuer",
            "published_on",
            "language",
            "translation_status",
            "translation_of",
            "lead",
            "source_url",
            "source_text",
            "version",
        ]

    def validate(self, attrs):
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError(
                {"version": ["Send the version of the readout your change is based on."]}
            )
        current = {}
        if self.instance is not None:
            current = {name: getattr(self.instance, name) for name in self.Meta.fields}
        candidate = {**current, **attrs}
        candidate.pop("version", None)
        readout = Readout(pk=getattr(self.instance, "pk", None), **candidate)
        try:
            readout.clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(as_serializer_error(error)) from error
        return attrs


class WorkflowNoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Internal: for editors only."
    )
    version = serializers.IntegerField(
        required=False, help_text="When given, the step is refused (409) if the readout changed."
    )


class PublishSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when you publish a readout you wrote yourself. Internal.",
    )
    change_note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Shown in the public change history when republishing.",
    )
    version = serializers.IntegerField(
        required=False, help_text="When given, the step is refused (409) if the readout changed."
    )


class WithdrawSerializer(serializers.Serializer):
    public_explanation = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Shown to the public."
    )
    silently = serializers.BooleanField(
        required=False, default=False, help_text="Withdraw without notice: gone from public view."
    )
    version = serializers.IntegerField(
        required=False, help_text="When given, the step is refused (409) if the readout changed."
    )
