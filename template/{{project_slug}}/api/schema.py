"""What every operation of the OpenAPI schema shares: the JSON errors it can
answer, added by a drf-spectacular postprocessing hook (named in
SPECTACULAR_SETTINGS), and the 429 of every throttled view (the schema class).

Everything else is declared where it is implemented: each view's own schema with
@extend_schema, and what the token backend adds in tokens/schema.py.
"""

from drf_spectacular import openapi

THROTTLED = {
    "description": "Too many requests: retry after the seconds in Retry-After.",
    "headers": {"Retry-After": {"schema": {"type": "integer"}, "required": True}},
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, documenting 429 wherever a throttle applies."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None and self.view.get_throttles():
            operation["responses"].setdefault("429", THROTTLED)
        return operation


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
    return result
