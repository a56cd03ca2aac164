"""What the OpenAPI document says beyond each view's own decorators: the error responses every operation can give,
and the pagination header as it is sent. The document is a contract (tests/integration/test_api_contract.py)."""

from __future__ import annotations

from apispec import BasePlugin
from flask_smorest import Api
from flask_smorest.pagination import PaginationMetadataSchema
from marshmallow import Schema, fields
from werkzeug.routing import UnicodeConverter

from ..schemas.common import STORABLE

# Refused before any view runs (app/request_checks.py, the token check, the database being down): any operation.
EVERY_OPERATION = {
    400: "The body is not valid JSON, holds NaN or Infinity, or is nested too deeply",
    401: "No valid personal API token (Authorization: Bearer)",
    413: "The body is larger than the server accepts",
    422: "A field is invalid (see errors), or text holds a NUL byte or an unpaired surrogate",
    503: "The database is not available right now; nothing was saved (see Retry-After)",
}
# What naming a resource in the path adds: it may not exist (or belong to another tenant), or the caller's role may
# not allow this operation on it.
NAMED_RESOURCE = {
    403: "The caller's role does not allow this",
    404: "No such resource, or not one the caller may see",
}


class ErrorSchema(Schema):
    """The body of every API error (app/api/errors.py)."""

    code = fields.Integer(required=True, metadata={"description": "The HTTP status code"})
    status = fields.String(metadata={"description": "Its name"})
    message = fields.String(required=True, metadata={"description": "What is wrong, in words"})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={"description": "Messages by field: a list of messages, or fields nested in the same form"},
    )


def refused(blueprint, status: int, description: str):
    """Documents one more error response of an operation, in the shape of every error."""
    return blueprint.alt_response(status, schema=ErrorSchema, description=description)


class ClausewiseApi(Api):
    ERROR_SCHEMA = ErrorSchema
    # No catch-all "default" response: it would document every status code, so none could be undocumented.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _init_spec(self, **kwargs):
        super()._init_spec(**kwargs)
        self.ma_plugin.converter.add_attribute_function(any_value_but_null)
        self.ma_plugin.converter.add_attribute_function(object_sizes)
        self.ma_plugin.converter.add_attribute_function(storable_text)
        self.flask_plugin.register_converter(UnicodeConverter, storable_path_segment)

    def _register_responses(self):
        # Named before flask-smorest's responses use it, so that ContractPlugin can refer to it by name.
        self.spec.components.schema("Error", schema=ErrorSchema)
        super()._register_responses()

    def _register_pagination_header(self):
        # flask-smorest documents the header as an object, but a header is text: it sends the object as JSON.
        self.spec.components.schema("PaginationMetadata", schema=PaginationMetadataSchema)
        header = {
            "description": "Pagination metadata, as a JSON object",
            "schema": {
                "type": "string",
                "contentMediaType": "application/json",
                "contentSchema": {"$ref": "#/components/schemas/PaginationMetadata"},
            },
        }
        self.spec.components.header("PAGINATION", header)


def storable_path_segment(converter) -> dict:
    """`<name>` in a route: a non-empty segment that, like every text, holds no NUL."""
    return {"type": "string", "minLength": 1, "pattern": STORABLE}


class ContractPlugin(BasePlugin):
    """Adds the error responses of EVERY_OPERATION (and NAMED_RESOURCE, when the path names one) to every operation,
    and documents a schema's AT_LEAST_ONE_OF (fields of which a body must hold one) as anyOf."""

    def schema_helper(self, name, definition, **kwargs):
        schema = kwargs.get("schema")
        names = getattr(schema, "AT_LEAST_ONE_OF", ())
        return {"anyOf": [{"required": [field]} for field in names]} if names else None

    def operation_helper(self, path=None, operations=None, **kwargs):
        names_a_resource = "{" in (path or "")
        common = EVERY_OPERATION | (NAMED_RESOURCE if names_a_resource else {})
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            for status, description in common.items():
                responses.setdefault(str(status), _error_response(status, description))


def _error_response(status: int, description: str) -> dict:
    # A schema by name: apispec resolves it to a reference after the plugins have run.
    response = {"description": description, "content": {"application/json": {"schema": "Error"}}}
    if status == 503:
        response["headers"] = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}
    return response


# apispec attribute functions: what the marshmallow plugin leaves out of a field's JSON Schema.


def object_sizes(converter, field, ret, **kwargs) -> dict:
    """An apispec attribute function: validate.Length on a Dict counts its keys, which JSON Schema calls
    minProperties and maxProperties (apispec writes minLength and maxLength, which an object ignores)."""
    if not isinstance(field, fields.Mapping):
        return {}
    renamed = {"minLength": "minProperties", "maxLength": "maxProperties"}
    return {new: ret.pop(old) for old, new in renamed.items() if old in ret}


def storable_text(converter, field, ret, **kwargs) -> dict:
    """An apispec attribute function: a string without a pattern of its own is documented as STORABLE."""
    if isinstance(field, fields.String) and "pattern" not in ret:
        return {"pattern": STORABLE}
    return {}


def any_value_but_null(converter, field, **kwargs) -> dict:
    """An apispec attribute function: a field of no particular type that refuses null says so (apispec only
    documents null where it is allowed, which an untyped property does not need)."""
    if type(field) is fields.Raw and not field.allow_none:
        return {"not": {"type": "null"}}
    return {}
