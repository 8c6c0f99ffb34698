"""The JSON errors every operation can answer, added to the OpenAPI schema by a
drf-spectacular postprocessing hook (named in SPECTACULAR_SETTINGS).

Everything else is declared where it is implemented: each view's own schema with
@extend_schema, and what the token backend adds in tokens/schema.py.
"""


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
