"""Shared helpers for the item-prediction functions.

This package ships in the ``core-data-science`` layer, so at runtime it lives
in ``/opt/python/item_common``.  It is pure Python on purpose (no pandas or
numpy imports) so importing it costs nothing at cold start.
"""

from .responses import BadRequest, error_response, json_response, parse_json_body, parse_records
from .schema import FEATURE_COLUMNS, ITEM_FIELDS, parse_timestamp

__version__ = "1.0.0"

__all__ = [
    "BadRequest",
    "FEATURE_COLUMNS",
    "ITEM_FIELDS",
    "error_response",
    "json_response",
    "parse_json_body",
    "parse_records",
    "parse_timestamp",
]
