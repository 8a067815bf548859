from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView

from .models import Administration, Country, Occasion, Person, Point, Readout, Topic


class HomeView(ListView):
    template_name = "readouts/home.html"
    context_object_name = "latest"

    def get_queryset(self):
        return Readout.objects.listed().with_meeting_facts()[:10]


class ReadoutListView(ListView):
    template_name = "readouts/readout_list.html"
    context_object_name = "readouts"
    paginate_by = 20
    heading = "All readouts"

    def get_queryset(self):
        return Readout.objects.listed().with_meeting_facts()

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, **kwargs)


class ReadoutDetailView(DetailView):
    """A readout as printed. Editors may preview what the public cannot see."""

    template_name = "readouts/readout_detail.html"
    context_object_name = "readout"

    def get_queryset(self):
        return (
            Readout.objects.visible_to(self.request.user)
            .with_meeting_facts()
            .prefetch_related("points__children")
        )


def point_redirect(request, slug, key):
    readout = get_object_or_404(Readout.objects.visible_to(request.user), slug=slug)
    point = get_object_or_404(Point, readout=readout, key=key)
    return redirect(f"{readout.get_absolute_url()}#{point.anchor}")


class BrowseView(ReadoutListView):
    """A list of readouts narrowed to one country, person, topic..."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)


class CountryView(BrowseView):
    def get_queryset(self):
        self.subject = get_object_or_404(Country, code=self.kwargs["code"].upper())
        self.heading = f"Readouts of meetings with {self.subject}"
        return super().get_queryset().for_country(self.subject.code)


class PersonView(BrowseView):
    def get_queryset(self):
        self.subject = get_object_or_404(Person, slug=self.kwargs["slug"])
        self.heading = f"Readouts of meetings with {self.subject}"
        return super().get_queryset().filter(meeting__participants=self.subject).distinct()


class AdministrationView(BrowseView):
    def get_queryset(self):
        self.subject = get_object_or_404(Administration, ordinal=self.kwargs["ordinal"])
        self.heading = f"Readouts of the {self.subject}"
        return super().get_queryset().filter(meeting__in=self.subject.meetings)


class OccasionView(BrowseView):
    def get_queryset(self):
        self.subject = get_object_or_404(Occasion, slug=self.kwargs["slug"])
        self.heading = f"Readouts of meetings at the {self.subject}"
        return super().get_queryset().filter(meeting__occasion=self.subject)


class TopicView(BrowseView):
    def get_queryset(self):
        self.subject = get_object_or_404(Topic, slug=self.kwargs["slug"])
        self.heading = f"Readouts on {self.subject}"
        return super().get_queryset().filter(points__topics=self.subject).distinct()
