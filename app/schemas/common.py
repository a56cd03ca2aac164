"""Fields and validators several schemas share, each written so that the OpenAPI document generated from it says
exactly what the server accepts (tests/integration/test_api_contract.py holds the two to each other)."""

from __future__ import annotations

import numbers
import sys

from marshmallow import fields, validate

# What str.strip() removes, which is what the services strip from a name before refusing an empty one. Spelled out
# as \\uXXXX because `\\s` means other characters in Python than in the JSON Schema (ECMA-262) pattern language.
_WHITESPACE = "".join(f"\\u{ord(c):04x}" for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


# Text without NUL, which app/request_checks.py refuses everywhere (PostgreSQL cannot store it). Every string the API
# takes is documented with it; the unpaired surrogates that check also refuses are not characters JSON Schema knows.
STORABLE = "^[^\\u0000]*$"


def non_blank(max_length: int, error: str = "must not be empty or only spaces") -> list[validate.Validator]:
    """Text with something other than whitespace in it (and no NUL), of at most `max_length` characters."""
    return [
        validate.Length(max=max_length),
        validate.Length(min=1, error=error),
        validate.Regexp(f"^[^\\u0000]*[^\\u0000{_WHITESPACE}][^\\u0000]*$", error=error),
    ]


def email_address() -> fields.String:
    """An email address as accounts.normalise_email takes it: an @ that is neither the first nor the last character
    once surrounding whitespace is stripped, at most 254 characters. Not `format: email`, which generators and
    validators each read their own way (some take 0@0.a, marshmallow's Email does not)."""
    space = f"[{_WHITESPACE}]*"
    edge = f"[^@\\u0000{_WHITESPACE}]"
    return fields.String(
        required=True,
        validate=[
            validate.Length(max=254),
            validate.Regexp(f"^{space}{edge}[^\\u0000]*@[^\\u0000]*{edge}{space}$", error="expected an email address"),
        ],
        metadata={"description": "An email address"},
    )


class WholeNumber(fields.Integer):
    """An integer as JSON Schema means it: 3 and 3.0, never "3" or true (which marshmallow's Integer takes)."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _validated(self, value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


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
