"""The REST API under /api/v1/, its OpenAPI schema at /api/schema/ and docs at /api/docs/.

Reading is public and goes through the models' visibility rules
(`Readout.objects.public()`, `.listed()`, `Annotation.objects.public()`...);
editors with the view permission also see drafts. Editors write under model
permissions, and readouts change status only through the workflow actions,
which call the same model methods as the admin.
"""

import csv
import hashlib
import json
from functools import partial

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F, Prefetch
from django.http import StreamingHttpResponse
from django.urls import include, path, re_path
from django.urls.converters import SlugConverter
from django.utils.cache import get_conditional_response, patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings

from . import caching, filters
from .models import (
    Administration,
    Annotation,
    Country,
    Meeting,
    Occasion,
    Participation,
    Person,
    Point,
    Readout,
    Topic,
    WorkflowStep,
)
from .pagination import ChosenFirstPagination, HarvestPagination, is_ranked
from .renderers import FastJSONRenderer, Rendered
from .schema import FILTERED_ACTIONS
from .serializers import (
    WEB_ANNOTATION_CONTEXT,
    AdministrationSerializer,
    AnnotationPageSerializer,
    AnnotationSerializer,
    CountrySerializer,
    MeetingSerializer,
    OccasionSerializer,
    PersonSerializer,
    PointSerializer,
    PublishSerializer,
    ReadoutDetailSerializer,
    ReadoutSerializer,
    ReadoutWriteSerializer,
    TopicSerializer,
    WebAnnotationSerializer,
    WithdrawSerializer,
    WorkflowNoteSerializer,
)
from .throttles import AnonymousExportThrottle

app_name = "api"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = (
        "Someone else saved this readout after the version you sent. Nothing was changed: "
        "read it again, then make your change on the new version."
    )
    default_code = "conflict"


class WebAnnotationRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


def can_preview(user, model_name):
    """Editors with the view permission read unpublished content through the API too."""
    return user.is_authenticated and user.has_perm(f"readouts.view_{model_name}")


def as_api_error(error):
    """A model's ValidationError as the API's JSON 400."""
    if hasattr(error, "error_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"non_field_errors": error.messages})


# Conditional GET


class ConditionalGetMixin:
    """An ETag of the body, and 304 when it is unchanged.

    No Last-Modified: a body changes with more than any one date says. A
    list changes when a readout leaves it or its meeting moves, a readout
    when a note on it is deleted or its issuer renamed; a client asking
    "modified since?" was answered 304 with the old body. The ETag changes
    exactly when the body does.

    Anonymous reads of lists and details are served from the cache until the
    archive changes (readouts/caching.py); editors always get fresh answers.
    """

    def list(self, request, *args, **kwargs):
        return self.cached(request, super().list, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self.cached(request, super().retrieve, *args, **kwargs)

    def cached(self, request, answer, *args, **kwargs):
        if request.user.is_authenticated or not caching.enabled():
            return answer(request, *args, **kwargs)

        renderer = request.accepted_renderer
        # Plain JSON is kept as written: reading back a page of nested data cost
        # more than the rest of a cached answer.
        as_json = isinstance(renderer, FastJSONRenderer) and not renderer.get_indent(
            request.accepted_media_type or "", {}
        )

        def body():
            data = answer(request, *args, **kwargs).data
            return bytes(renderer.render(data)) if as_json else data

        parts = ("api body", request.get_full_path(), renderer.format, as_json)
        data = caching.remember(parts, body)
        return Response(Rendered(data) if as_json else data)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != status.HTTP_200_OK
            or response.streaming
        ):
            return response
        # Editors may see more than the public: one's answer is no cache hit for another.
        patch_vary_headers(response, ["Authorization", "Cookie"])
        response.render()
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        response["ETag"] = etag
        return get_conditional_response(request, etag=etag, response=response)


class ReadOnlyViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    pass


# Readouts


class ReadoutPagination(ChosenFirstPagination):
    """Page numbers, and the facet counts asked for with `?facets=`."""

    def chooses_first(self, queryset):
        # A search's candidates are thousands; any other list's page is read
        # in its order from an index, and choosing it first costs a query.
        return is_ranked(queryset)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        facets = getattr(self.request, "facets", None)
        if facets is not None:
            response.data["facets"] = facets
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["facets"] = {
            "type": "object",
            "description": "Only with ?facets=: for each facet asked for, its values and counts.",
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["value", "label", "count"],
                    "properties": {
                        "value": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                        "label": {"type": "string"},
                        "count": {"type": "integer"},
                    },
                },
            },
        }
        return paginated


# A detail's key as the pages' URLs take it: anything else is no address, and
# a NUL byte, passed on to PostgreSQL, was an error there rather than a 404.
SLUG = SlugConverter.regex

FACETS_PARAMETER = OpenApiParameter(
    "facets",
    OpenApiTypes.STR,
    description="Comma-separated facets to count beside the list: "
    + ", ".join(filters.ReadoutFilter.FACETS),
)

# The API's own throttles, and the exports' own on top.
EXPORT_THROTTLES = [*api_settings.DEFAULT_THROTTLE_CLASSES, AnonymousExportThrottle]

EXPORT_COLUMNS = {
    "slug": "slug",
    "title": "title",
    "language": "language",
    "translation_status": "translation_status",
    "published_on": "published_on",
    "issuer": "issuer__slug",
    "meeting_date": "meeting__date",
    "meeting_kind": "meeting__kind",
    "city": "meeting__city",
    "country": "meeting__country_id",
    "occasion": "meeting__occasion__slug",
    "source_url": "source_url",
}


def spreadsheet_safe(value):
    """A CSV cell a spreadsheet will not run: text starting like a formula gets a quote."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


class Echo:
    """A file-like object that hands back what is written: csv.writer for streaming."""

    def write(self, value):
        return value


class ReadoutViewSet(
    ConditionalGetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Readouts: the public list and detail, export, harvesting, and editors' workflow."""

    queryset = Readout.objects.all()
    lookup_field = "slug"
    lookup_value_regex = SLUG
    filterset_class = filters.ReadoutFilter
    pagination_class = ReadoutPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        if self.action in FILTERED_ACTIONS and not can_preview(user, "readout"):
            readouts = Readout.objects.listed()  # published: public, and all lists show
        else:
            readouts = Readout.objects.visible_to(user)
        if self.action == "list":
            return readouts.summaries()
        readouts = readouts.with_meeting_facts()
        if self.action in ("export_csv", "export_jsonl"):
            return readouts
        return readouts.select_related("translation_of").prefetch_related(
            Prefetch(
                "points",
                queryset=Point.objects.order_by("position", "pk").prefetch_related("topics"),
            ),
            Prefetch(
                "annotations",
                queryset=self.annotations().select_related("point"),
                to_attr="visible_annotations",
            ),
            Prefetch(
                "meeting__participations",
                queryset=Participation.objects.select_related("person"),
            ),
            Prefetch(
                "meeting__readouts",
                queryset=Readout.objects.visible_to(user).order_by("language", "pk"),
                to_attr="public_readouts",
            ),
            Prefetch(
                "workflow_steps",
                queryset=WorkflowStep.objects.exclude(public_note=""),
                to_attr="public_changes",
            ),
        )

    def annotations(self):
        if can_preview(self.request.user, "annotation"):
            return Annotation.objects.all()
        return Annotation.objects.public()

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return ReadoutWriteSerializer
        if self.action == "list":
            return ReadoutSerializer
        return ReadoutDetailSerializer

    @extend_schema(parameters=[FACETS_PARAMETER])
    def list(self, request, *args, **kwargs):
        return self.cached(request, self.answer_list, *args, **kwargs)

    def answer_list(self, request, *args, **kwargs):
        """The list with its facets and total: all of it made only when not cached."""
        names = [
            name.strip()
            for value in request.query_params.getlist("facets")
            for name in value.split(",")
            if name.strip()
        ]
        unknown = [name for name in names if name not in filters.ReadoutFilter.FACETS]
        if unknown:
            raise ValidationError(
                {"facets": [f"“{name}” is not a facet this list counts." for name in unknown]}
            )
        filterset = filters.ReadoutFilter(
            request.query_params, queryset=self.get_queryset(), request=request
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors_by_parameter())
        if not can_preview(request.user, "readout"):
            # The public list is the listed readouts, whose totals are kept.
            request.known_total = partial(filters.known_total, filterset)
        page = self.paginate_queryset(filterset.qs)
        if names:
            # After the page: a search's keys are all read with it, to count among.
            keys = self.paginator.page.paginator.every_key
            request.facets = filters.facet_counts(filterset, names, keys=keys)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def filter_queryset(self, queryset):
        if self.action == "retrieve":
            return queryset  # one readout by its slug: the list's filters do not apply
        return super().filter_queryset(queryset)

    @extend_schema(responses={201: ReadoutDetailSerializer})
    def create(self, request, *args, **kwargs):
        writer = self.get_serializer(data=request.data)
        writer.is_valid(raise_exception=True)
        writer.validated_data.pop("version", None)
        readout = writer.save(created_by=request.user, status=Readout.Status.DRAFT)
        return Response(self.as_read(readout), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: ReadoutDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        readout = self.get_object()
        writer = self.get_serializer(readout, data=request.data, partial=True)
        writer.is_valid(raise_exception=True)
        with transaction.atomic():
            self.check_version(readout, writer.validated_data.pop("version"))
            readout = writer.save(version=F("version") + 1)
        return Response(self.as_read(readout))

    def as_read(self, readout):
        """The readout as a reader gets it, fresh from the database."""
        fresh = self.get_queryset().get(pk=readout.pk)
        return ReadoutDetailSerializer(fresh, context=self.get_serializer_context()).data

    def check_version(self, readout, version):
        current = (
            Readout.objects.select_for_update().values_list("version", flat=True).get(pk=readout.pk)
        )
        if version is not None and version != current:
            raise Conflict()

    def workflow_step(self, request, serializer_class, step):
        readout = self.get_object()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        arguments = dict(data.validated_data)
        try:
            with transaction.atomic():
                self.check_version(readout, arguments.pop("version", None))
                step(readout, **arguments)
        except DjangoValidationError as error:
            raise as_api_error(error) from error
        return Response(self.as_read(readout))

    @extend_schema(request=WorkflowNoteSerializer, responses={200: ReadoutDetailSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, slug=None):
        """Send a draft for review (Editors)."""
        return self.workflow_step(
            request,
            WorkflowNoteSerializer,
            lambda readout, note: readout.submit_for_review(request.user, note),
        )

    @extend_schema(request=WorkflowNoteSerializer, responses={200: ReadoutDetailSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_draft(self, request, slug=None):
        """Send a readout in review back to its author (Reviewers)."""
        return self.workflow_step(
            request,
            WorkflowNoteSerializer,
            lambda readout, note: readout.return_to_draft(request.user, note),
        )

    @extend_schema(request=PublishSerializer, responses={200: ReadoutDetailSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, slug=None):
        """Publish (Reviewers). Publishing a readout you wrote needs a `reason`."""
        return self.workflow_step(
            request,
            PublishSerializer,
            lambda readout, reason, change_note: readout.publish(request.user, reason, change_note),
        )

    @extend_schema(request=WithdrawSerializer, responses={200: ReadoutDetailSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, slug=None):
        """Withdraw with a public explanation, or `silently` (Reviewers)."""
        return self.workflow_step(
            request,
            WithdrawSerializer,
            lambda readout, public_explanation, silently: readout.withdraw(
                request.user, public_explanation, silently
            ),
        )

    @extend_schema(responses={200: ReadoutDetailSerializer(many=True)})
    @action(detail=False, pagination_class=HarvestPagination)
    def harvest(self, request):
        """Every readout with its points and annotations, oldest first, by cursor.

        Follow `next` until it is null. The position survives new readouts and
        edits, which page numbers do not; `sort` does not apply here.
        """
        readouts = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(readouts)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def perform_content_negotiation(self, request, force=False):
        # Exports answer in their own format whatever Accept says; errors are JSON.
        exporting = self.action in ("export_csv", "export_jsonl")
        return super().perform_content_negotiation(request, force=force or exporting)

    def export_rows(self):
        readouts = self.filter_queryset(self.get_queryset())
        rows = readouts.values(*EXPORT_COLUMNS.values())
        for row in rows.iterator(chunk_size=2000):
            yield {column: row[field] for column, field in EXPORT_COLUMNS.items()}

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    @action(detail=False, url_path="export/csv", throttle_classes=EXPORT_THROTTLES)
    def export_csv(self, request):
        """The filtered list as CSV, one readout a row, streamed."""
        rows = self.export_rows()
        first = next(rows, None)  # runs the query now, so that a bad filter is a 400

        def lines():
            writer = csv.writer(Echo())
            yield writer.writerow(EXPORT_COLUMNS)
            if first is not None:
                yield writer.writerow(map(spreadsheet_safe, first.values()))
                for row in rows:
                    yield writer.writerow(map(spreadsheet_safe, row.values()))

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="readouts.csv"'
        return response

    @extend_schema(responses={(200, "application/jsonl"): OpenApiTypes.STR})
    @action(detail=False, url_path="export/jsonl", throttle_classes=EXPORT_THROTTLES)
    def export_jsonl(self, request):
        """The filtered list as JSON Lines, one readout a line, streamed."""
        rows = self.export_rows()
        first = next(rows, None)

        def lines():
            if first is not None:
                yield json.dumps(first, default=str, ensure_ascii=False) + "\n"
                for row in rows:
                    yield json.dumps(row, default=str, ensure_ascii=False) + "\n"

        response = StreamingHttpResponse(lines(), content_type="application/jsonl; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="readouts.jsonl"'
        return response


# Meetings, points and the reference lists


class MeetingViewSet(ReadOnlyViewSet):
    """Meetings with at least one public readout: when, where, who, and their readouts."""

    queryset = Meeting.objects.all()
    serializer_class = MeetingSerializer
    filterset_class = filters.MeetingFilter

    def get_queryset(self):
        user = self.request.user
        meetings = Meeting.objects.all()
        if not can_preview(user, "readout"):
            meetings = meetings.with_public_readouts()
        return meetings.select_related("country", "occasion").prefetch_related(
            Prefetch("participations", queryset=Participation.objects.select_related("person")),
            Prefetch(
                "readouts",
                queryset=Readout.objects.visible_to(user).order_by("language", "pk"),
                to_attr="public_readouts",
            ),
        )


class PointViewSet(ReadOnlyViewSet):
    """Points across readouts: ?topic=north-korea&date_after=2020-01-01."""

    queryset = Point.objects.all()
    serializer_class = PointSerializer
    filterset_class = filters.PointFilter
    pagination_class = ChosenFirstPagination

    def get_queryset(self):
        user = self.request.user
        if can_preview(user, "readout"):
            points = Point.objects.filter(readout__in=Readout.objects.visible_to(user))
        else:
            points = Point.objects.public()
        return points.with_readouts().prefetch_related("topics")


class PersonViewSet(ReadOnlyViewSet):
    """People who took part in a meeting with a public readout, and prime ministers."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    filterset_class = filters.PersonFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self):
        return Person.objects.visible_to(self.request.user).prefetch_related("tenures")


class CountryViewSet(ReadOnlyViewSet):
    queryset = Country.objects.all()
    serializer_class = CountrySerializer
    filterset_class = filters.CountryFilter
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]+"


class TopicViewSet(ReadOnlyViewSet):
    """The topics points are tagged with; a topic's points include its subtopics'."""

    queryset = Topic.objects.select_related("parent")
    serializer_class = TopicSerializer
    filterset_class = filters.TopicFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG


class AdministrationViewSet(ReadOnlyViewSet):
    queryset = Administration.objects.select_related("prime_minister")
    serializer_class = AdministrationSerializer
    filterset_class = filters.AdministrationFilter
    lookup_field = "ordinal"
    lookup_value_regex = "[0-9]+"


class OccasionViewSet(ReadOnlyViewSet):
    """Summits and conferences during which meetings with public readouts took place."""

    queryset = Occasion.objects.all()
    serializer_class = OccasionSerializer
    filterset_class = filters.OccasionFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self):
        return Occasion.objects.visible_to(self.request.user)


# Annotations


class AnnotationViewSet(ConditionalGetMixin, viewsets.ModelViewSet):
    """Annotations on public readouts; also as W3C Web Annotations (Accept: application/ld+json)."""

    queryset = Annotation.objects.all()
    serializer_class = AnnotationSerializer
    filterset_class = filters.AnnotationFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_renderers(self):
        return [*super().get_renderers(), WebAnnotationRenderer()]

    def get_queryset(self):
        user = self.request.user
        if can_preview(user, "annotation"):
            annotations = Annotation.objects.filter(readout__in=Readout.objects.visible_to(user))
        else:
            annotations = Annotation.objects.public()
        return annotations.select_related("readout", "point")

    @property
    def as_web_annotations(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        return isinstance(renderer, WebAnnotationRenderer)

    @extend_schema(
        responses={
            200: AnnotationSerializer(many=True),
            (200, "application/ld+json"): AnnotationPageSerializer,
        }
    )
    def list(self, request, *args, **kwargs):
        if not self.as_web_annotations:
            return super().list(request, *args, **kwargs)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        paginator = self.paginator.page.paginator
        return Response(
            {
                "@context": WEB_ANNOTATION_CONTEXT,
                "type": "AnnotationPage",
                "partOf": {"type": "AnnotationCollection", "total": paginator.count},
                "startIndex": self.paginator.page.start_index() - 1 if paginator.count else 0,
                "next": self.paginator.get_next_link(),
                "prev": self.paginator.get_previous_link(),
                "items": WebAnnotationSerializer(
                    page, many=True, context=self.get_serializer_context()
                ).data,
            }
        )

    @extend_schema(
        responses={200: AnnotationSerializer, (200, "application/ld+json"): WebAnnotationSerializer}
    )
    def retrieve(self, request, *args, **kwargs):
        annotation = self.get_object()
        if self.as_web_annotations:
            context = self.get_serializer_context()
            return Response(WebAnnotationSerializer(annotation, context=context).data)
        return Response(self.get_serializer(annotation).data)

    def perform_create(self, serializer):
        serializer.save(author=self.request.user)


# No format suffixes (.json): the API negotiates formats by Accept header or ?format=.
router = DefaultRouter()
router.include_format_suffixes = False
router.register("readouts", ReadoutViewSet, basename="readout")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("points", PointViewSet, basename="point")
router.register("people", PersonViewSet, basename="person")
router.register("countries", CountryViewSet, basename="country")
router.register("topics", TopicViewSet, basename="topic")
router.register("administrations", AdministrationViewSet, basename="administration")
router.register("occasions", OccasionViewSet, basename="occasion")
router.register("annotations", AnnotationViewSet, basename="annotation")


@extend_schema(exclude=True)
@api_view(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@permission_classes([AllowAny])
def not_found(request, path=""):
    """Programs get a JSON 404 for any address under /api/ that names nothing."""
    raise NotFound()


urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^(?P<path>[\s\S]*)$", not_found),
]
