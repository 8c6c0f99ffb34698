"""What every operation of the OpenAPI schema shares: the JSON errors it can
answer, added by a drf-spectacular postprocessing hook (named in
SPECTACULAR_SETTINGS), and (the schema class) the 429 of every throttled view and
the strings every text input refuses; and the schema of a DELETE with a body.

Everything else is declared where it is implemented: each view's own schema with
@extend_schema, and what the token backend adds in tokens/schema.py.
"""

from drf_spectacular import openapi
from rest_framework import serializers

THROTTLED = {
    "description": "Too many requests: retry after the seconds in Retry-After.",
    "headers": {"Retry-After": {"schema": {"type": "integer"}, "required": True}},
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


# DRF's CharField refuses NUL characters (ProhibitNullCharactersValidator) and,
# unless blanks are allowed, a value that is only whitespace (stripped first).
# Where blanks are allowed, drf-spectacular adds "" as a second `oneOf` choice:
# NO_NUL must not match it too, or "" would match both and be refused.
# Whitespace is Python's (str.strip), spelled out: the regex engines that read a
# schema disagree on `\s` (Unicode's White_Space leaves out \x1c-\x1f, which
# Python strips).
WHITESPACE = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NO_NUL = r"^[^\x00]+$"
# A text query parameter (a django-filter CharFilter: Django's form field refuses
# NUL too) may be empty: `?search=` filters nothing out.
NO_NUL_OR_EMPTY = r"^[^\x00]*$"
NOT_BLANK = rf"^[^\x00]*[^\x00{WHITESPACE}][^\x00]*$"


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, documenting what DRF answers beyond a view's own
    responses (429 wherever a throttle applies, 404 for a page past the last, 400
    for a bad filter, 403 where a view checks CSRF itself) and the text every
    string input refuses."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        if self.view.get_throttles():
            responses.setdefault("429", THROTTLED)
        parameters = [p for p in operation.get("parameters", []) if p["in"] == "query"]
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if schema.get("type") == "string" and not {"format", "pattern", "enum"} & {*schema}:
                schema["pattern"] = NO_NUL_OR_EMPTY
            if schema.get("type") == "array":
                schema.setdefault("minItems", 1)  # `?ordering=` is refused (api.filters)
        query = {parameter["name"] for parameter in parameters}
        paginator = getattr(self.view, "paginator", None)
        if paginator is not None and getattr(paginator, "page_query_param", None) in query:
            responses.setdefault("404", error_response("Invalid page.", "Error"))
            if getattr(paginator, "page_size_query_param", None) in query:
                responses.setdefault("400", error_response("Invalid query.", "ValidationError"))
        if getattr(self.view, "filterset_class", None) and query:
            responses.setdefault("400", error_response("Invalid query.", "ValidationError"))
        if getattr(self.view, "checks_csrf", False):
            responses.setdefault("403", error_response("CSRF Failed.", "Error"))
        return operation

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        free_text = schema.get("type") == "string" and not {"format", "pattern", "enum"} & {*schema}
        if direction == "request" and isinstance(field, serializers.CharField) and free_text:
            blank_refused = field.trim_whitespace and not field.allow_blank
            schema["pattern"] = NOT_BLANK if blank_refused else NO_NUL
        return schema


def error_response(description, schema):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def document_errors(result, generator, request, public):
    """Postprocessing hook: add the error responses DRF gives, in their JSON shapes."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    }
    schemas["ValidationError"] = {
        "type": "object",
        "description": "Field names (or non_field_errors, or detail) mapped to messages.",
        "additionalProperties": {},
    }
    for path in result["paths"].values():
        for operation in path.values():
            responses = operation["responses"]
            if "requestBody" in operation:
                responses.setdefault("400", error_response("Invalid request.", "ValidationError"))
            security = operation.get("security", [])
            if security and {} not in security:
                responses.setdefault("401", error_response("Missing or bad token.", "Error"))
            if any(parameter["in"] == "path" for parameter in operation.get("parameters", [])):
                responses.setdefault("404", error_response("Not found.", "Error"))
    return result


class DeleteWithBodySchema(AutoSchema):
    """For the rare view whose DELETE takes a body (deleting the account asks for
    the password), opted into with `schema = DeleteWithBodySchema()`.

    drf-spectacular 0.30 documents request bodies of POST, PUT and PATCH only, and
    no public extension point reaches a DELETE's; this borrows its POST code for
    this view alone. Every other DELETE (a ModelViewSet's too) documents no body,
    so clients generated from the schema send none.
    """

    def _get_request_body(self, direction="request"):
        if self.method != "DELETE":
            return super()._get_request_body(direction)
        self.method = "POST"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"
