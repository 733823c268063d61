"""OpenAPI schema generation shared by every app."""

from drf_spectacular.openapi import AutoSchema


class ActionAwareAutoSchema(AutoSchema):
    """A POST action on a record (``/members/{id}/transfer/``, ``/requests/{id}/resolve/``,
    ...) takes its own small input serializer but answers with the record itself, as the
    viewset's main (or ``output_serializer_class``) serializer shows it. Describe it so, so
    that clients and the schema fuzzing see the real response shape."""

    def get_response_serializers(self):
        view = self.view
        action = getattr(view, "action", None)
        if self.method == "POST" and getattr(view, "detail", False) and action not in (None, "create"):
            output = getattr(view, "output_serializer_class", None) or type(view).serializer_class
            if output is not None:
                return output
        return super().get_response_serializers()
