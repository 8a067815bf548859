"""Who may do what through the API."""

from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissionsOrAnonReadOnly


class ModelPermissionsOrReadOnly(DjangoModelPermissionsOrAnonReadOnly):
    """Reading is open to all (the viewsets decide what each reader sees); writing takes
    the model permission.

    As DRF's DjangoModelPermissionsOrAnonReadOnly decides, without building the
    view's queryset to find its model on every read, which asks for no permission:
    that cost a cached answer more than the answer.
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().has_permission(request, view)
