"""DataValidation function: POST /validate

Body: ``{"items": [{"item_id", "category", "price", "quantity", "timestamp"}, ...]}``

* Record-level checks with a pydantic v2 model (types, price > 0,
  quantity >= 0, ISO-8601 timestamp).
* Dataset-level checks with pandas: duplicate ``item_id`` values, null counts
  per field and price outliers (Tukey fences, 1.5 x IQR).

Returns 200 with the validation report, or 400 when the body is not JSON.
With ``?persist=true`` the valid records are also written to the DynamoDB
table named by ``TABLE_NAME`` (boto3 is imported lazily, only then).
"""

import logging
import os
from datetime import datetime
from decimal import Decimal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from item_common import ITEM_FIELDS, BadRequest, error_response, json_response, parse_records

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))

IQR_FACTOR = 1.5
MIN_VALUES_FOR_IQR = 4


class ItemRecord(BaseModel):
    """One item record as accepted by the API."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    item_id: str = Field(min_length=1)
    category: str = Field(min_length=1)
    price: float = Field(gt=0, allow_inf_nan=False)
    quantity: int = Field(ge=0)
    timestamp: datetime


def _schema_reasons(error):
    reasons = []
    for err in error.errors():
        field = ".".join(str(part) for part in err["loc"]) or "record"
        reasons.append({"field": field, "type": err["type"], "message": err["msg"]})
    return reasons


def _raw_frame(records):
    """All records as a DataFrame with exactly the ITEM_FIELDS columns."""
    rows = [r if isinstance(r, dict) else {} for r in records]
    frame = pd.DataFrame(rows, columns=list(ITEM_FIELDS))
    # Treat blank strings as missing, like pydantic does after stripping.
    return frame.apply(lambda col: col.map(lambda v: None if isinstance(v, str) and not v.strip() else v))


def _duplicate_reasons(frame):
    """Return ({row index: reason} for every repeat of an item_id, sorted duplicated ids)."""
    ids = frame["item_id"]
    comparable = ids.map(lambda v: v.strip() if isinstance(v, str) else None)
    present = comparable.notna()
    dup_mask = comparable.duplicated(keep="first") & present
    first_seen = comparable[present & ~dup_mask]
    first_index = pd.Series(first_seen.index, index=first_seen.values)
    reasons = {}
    for idx, item_id in comparable[dup_mask].items():
        reasons[int(idx)] = {
            "field": "item_id",
            "type": "duplicate",
            "message": f"duplicate item_id {item_id!r} (first seen at index {int(first_index[item_id])})",
        }
    return reasons, sorted(set(comparable[dup_mask]))


def _price_outliers(valid):
    """Tukey fences on the prices of valid records; returns (bounds, outlier rows)."""
    if len(valid) < MIN_VALUES_FOR_IQR:
        return None, []
    prices = pd.Series([rec.price for _, rec in valid], index=[idx for idx, _ in valid], dtype="float64")
    q1, q3 = prices.quantile(0.25), prices.quantile(0.75)
    iqr = q3 - q1
    lower, upper = q1 - IQR_FACTOR * iqr, q3 + IQR_FACTOR * iqr
    mask = (prices < lower) | (prices > upper)
    by_index = dict(valid)
    outliers = [
        {"index": int(idx), "item_id": by_index[idx].item_id, "price": float(price)}
        for idx, price in prices[mask].items()
    ]
    bounds = {"q1": float(q1), "q3": float(q3), "iqr": float(iqr), "lower": float(lower), "upper": float(upper)}
    return bounds, outliers


def validate_records(records):
    """Validate a list of raw records and return the report dict."""
    frame = _raw_frame(records)
    duplicates, duplicate_ids = _duplicate_reasons(frame)

    valid, invalid = [], []
    for idx, raw in enumerate(records):
        reasons = []
        record = None
        try:
            record = ItemRecord.model_validate(raw)
        except ValidationError as exc:
            reasons.extend(_schema_reasons(exc))
        if idx in duplicates:
            reasons.append(duplicates[idx])
        if reasons:
            item_id = raw.get("item_id") if isinstance(raw, dict) else None
            invalid.append({"index": idx, "item_id": item_id, "reasons": reasons})
        else:
            valid.append((idx, record))

    bounds, outliers = _price_outliers(valid)
    null_counts = {field: int(count) for field, count in frame.isna().sum().items()}

    report = {
        "total": len(records),
        "valid_count": len(valid),
        "invalid_count": len(invalid),
        "invalid": invalid,
        "null_counts": null_counts,
        "duplicate_item_ids": duplicate_ids,
        "price_bounds": bounds,
        "warnings": {"price_outliers": outliers},
    }
    return report, [record for _, record in valid]


def _get_table():
    import boto3  # lazy: only needed when persisting

    return boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def persist_records(records):
    """Write validated records to DynamoDB (floats as Decimal, as DynamoDB requires)."""
    table = _get_table()
    with table.batch_writer(overwrite_by_pkeys=["item_id"]) as batch:
        for rec in records:
            batch.put_item(
                Item={
                    "item_id": rec.item_id,
                    "category": rec.category,
                    "price": Decimal(str(rec.price)),
                    "quantity": rec.quantity,
                    "timestamp": rec.timestamp.isoformat(),
                }
            )
    return len(records)


def _wants_persist(event):
    params = event.get("queryStringParameters") or {}
    return str(params.get("persist", "")).lower() in ("1", "true", "yes")


def lambda_handler(event, context):
    try:
        records = parse_records(event)
    except BadRequest as exc:
        logger.info("rejecting request: %s", exc)
        return error_response(400, str(exc))

    report, valid_records = validate_records(records)
    logger.info("validated %d records: %d valid, %d invalid", report["total"], report["valid_count"], report["invalid_count"])

    if _wants_persist(event) and valid_records:
        report["persisted"] = persist_records(valid_records)
    return json_response(200, report)
