"""API Gateway (REST, proxy integration) request/response helpers."""

import base64
import json
import math
from datetime import date, datetime

DEFAULT_HEADERS = {
    "Content-Type": "application/json",
    "Access-Control-Allow-Origin": "*",
}


class BadRequest(ValueError):
    """The request cannot be processed; becomes an HTTP 400 response."""


def _to_jsonable(value):
    """Convert numpy/pandas scalars, datetimes and NaN into plain JSON values."""
    if isinstance(value, dict):
        return {str(k): _to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        # numpy scalar (np.float64, np.int64, np.bool_ ...): no numpy import needed
        try:
            value = value.item()
        except (TypeError, ValueError):
            pass
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def json_response(status_code, body, headers=None):
    """Build an API Gateway proxy response with a JSON body."""
    merged = dict(DEFAULT_HEADERS)
    if headers:
        merged.update(headers)
    return {
        "statusCode": int(status_code),
        "headers": merged,
        "body": json.dumps(_to_jsonable(body), allow_nan=False),
    }


def error_response(status_code, message, **details):
    """Build a JSON error response: ``{"error": message, ...details}``."""
    return json_response(status_code, {"error": message, **details})


def parse_json_body(event):
    """Return the decoded JSON body of an API Gateway proxy event.

    Raises ``BadRequest`` when the body is missing or is not valid JSON.
    """
    if not isinstance(event, dict):
        raise BadRequest("event must be an API Gateway proxy event object")
    body = event.get("body")
    if body is None or body == "":
        raise BadRequest("request body is empty")
    if isinstance(body, (dict, list)):  # already decoded (direct invocation)
        return body
    if event.get("isBase64Encoded"):
        try:
            body = base64.b64decode(body).decode("utf-8")
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequest(f"body is not valid base64-encoded UTF-8: {exc}") from None
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None


def parse_records(event, keys=("items",)):
    """Return the list of records in the JSON body.

    The body may be a JSON object holding the list under one of ``keys``
    (e.g. ``{"items": [...]}``) or a bare JSON list.
    """
    if isinstance(keys, str):
        keys = (keys,)
    payload = parse_json_body(event)
    if isinstance(payload, dict):
        key = next((k for k in keys if k in payload), None)
        if key is None:
            wanted = " or ".join(f'"{k}"' for k in keys)
            raise BadRequest(f"body must be a JSON object with a {wanted} list")
        payload = payload[key]
        if not isinstance(payload, list):
            raise BadRequest(f'"{key}" must be a JSON list of records')
    elif not isinstance(payload, list):
        raise BadRequest("body must be a JSON object or a JSON list")
    return payload
