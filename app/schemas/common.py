"""Fields and validators several schemas share, each written so that the OpenAPI document generated from it says
exactly what the server accepts (tests/integration/test_api_contract.py holds the two to each other)."""

from __future__ import annotations

import numbers

from marshmallow import fields, validate

# What str.strip() removes, which is what the services strip from a name before refusing an empty one. Spelled out
# as \\uXXXX because `\\s` means other characters in Python than in the JSON Schema (ECMA-262) pattern language.
# All of them are below U+3001 (the last is the ideographic space), so the search stops there.
LAST_WHITESPACE = 0x3000
_WHITESPACE = "".join(f"\\u{ord(c):04x}" for c in map(chr, range(LAST_WHITESPACE + 1)) if c.isspace())


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
