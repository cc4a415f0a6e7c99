"""The OpenAPI schema says what the API really answers (a drf-spectacular postprocessing hook).

- Fields that are null when the row has no value (`NULLABLE`: the user who locked, submitted or
  triggered, the name of an optional kindergarten or sub-district) are declared `nullable`.
- Choice fields stored blank when unset (`BLANKABLE`) accept "" (and null) beside their enum.
- Every operation documents its error answers: 403 (not signed in, or not allowed), 404 (a row
  outside the caller's scope, or none) on paths with an id and (a page past the end) on lists, 400 (field errors) on writes and on
  lists with filters, and 413 (a body over the limit, common.limits) on writes.

`tests/test_api_schemathesis.py` runs schemathesis over the result.
"""

from __future__ import annotations

from typing import Any

NULLABLE = frozenset({"locked_by", "submitted_by", "triggered_by", "kindergarten_name", "subdistrict_name"})
BLANKABLE = frozenset({"grade", "penalty_kind", "population_basis"})

ERROR = {
    "type": "object",
    "description": "`detail` for 403/404; field name → list of messages for 400.",
    "additionalProperties": True,
    "properties": {"detail": {"type": "string"}},
}
WRITES = {"post", "put", "patch"}


def _widen_enum(prop: dict[str, Any]) -> dict[str, Any]:
    if "oneOf" in prop:
        refs = {item.get("$ref") for item in prop["oneOf"]}
        for extra in ("#/components/schemas/BlankEnum", "#/components/schemas/NullEnum"):
            if extra not in refs:
                prop["oneOf"].append({"$ref": extra})
        return prop
    keep = {k: v for k, v in prop.items() if k in {"readOnly", "writeOnly", "description", "title", "default"}}
    inner = {k: v for k, v in prop.items() if k not in keep}
    if list(inner) == ["allOf"] and len(inner["allOf"]) == 1:
        inner = inner["allOf"][0]
    if "enum" in inner and "" not in inner["enum"]:
        inner = {**inner, "enum": [*inner["enum"], "", None], "nullable": True}
        return {**keep, **inner}
    return {
        **keep,
        "oneOf": [inner, {"$ref": "#/components/schemas/BlankEnum"}, {"$ref": "#/components/schemas/NullEnum"}],
    }


# Endpoints with a throttle of their own (accounts.token_views: the token endpoint, like the login).
THROTTLED = {"/api/token/"}


def document_errors_and_nullables(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("BlankEnum", {"enum": [""]})
    schemas.setdefault("NullEnum", {"enum": [None]})
    schemas.setdefault("Error", ERROR)
    for component in schemas.values():
        for name, prop in (component.get("properties") or {}).items():
            if name in NULLABLE:
                if "$ref" in prop or "allOf" in prop:
                    ref = {"$ref": prop.pop("$ref")} if "$ref" in prop else prop.pop("allOf")[0]
                    prop["allOf"] = [ref]
                prop["nullable"] = True
            if name in BLANKABLE:
                component["properties"][name] = _widen_enum(prop)

    error = {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for path, operations in (result.get("paths") or {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            wanted = {"401": "No token, or an invalid or expired one.", "403": "Not signed in, or not allowed."}
            if path in THROTTLED:
                wanted["429"] = "Too many requests from this address: try again later."
            if "{" in path:
                wanted["404"] = "Not found, or outside the caller's scope."
            elif any(p.get("name") == "page" for p in operation.get("parameters", [])):
                wanted["404"] = "No such page of the list."
            if method in WRITES or any(p.get("in") == "query" for p in operation.get("parameters", [])):
                wanted["400"] = "Invalid input: the errors by field."
            if method in WRITES:
                wanted["413"] = "Request body over the limit."
            for code, description in wanted.items():
                responses.setdefault(code, {**error, "description": description})
    return result
