"""Building blocks every app's API shares: serializers that run the model's own validation, and
a page-number pagination without the full count (for the large tables)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class ModelCleanSerializer(serializers.ModelSerializer):
    """Runs the model's own validation (`full_clean`), so the API enforces the same rules as forms."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.instance or self.Meta.model()
        for name, value in attrs.items():
            if not self.fields[name].read_only:
                setattr(instance, name, value)
        try:
            # Uniqueness is checked by the serializer's own validators.
            instance.full_clean(validate_unique=False)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        return attrs


class NoCountPagination(PageNumberPagination):
    """`?page=N` pages without the `count`: a full `COUNT(*)` over a large table costs more than
    the page itself. One row past the page is fetched to know whether there is a next one; the
    answer is `{"next", "previous", "results"}`."""

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        try:
            self.number = int(request.query_params.get(self.page_query_param, 1))
        except (TypeError, ValueError):
            self.number = 0
        if self.number < 1:
            raise NotFound(_("页码无效。"))
        start = (self.number - 1) * page_size
        rows = list(queryset[start : start + page_size + 1])
        if not rows and self.number > 1:
            raise NotFound(_("页码无效。"))
        self.has_next = len(rows) > page_size
        return rows[:page_size]

    def get_next_link(self):
        if not self.has_next:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, self.number + 1)

    def get_previous_link(self):
        if self.number <= 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"].pop("count", None)
        schema["required"] = [name for name in schema.get("required", []) if name != "count"]
        return schema
