"""Marshmallow schemas of the JSON API, one module per resource; they check input shape and document output."""
