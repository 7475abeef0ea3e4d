"""Item record schema shared by all item-prediction functions."""

from datetime import datetime, timezone

# Fields of one item record, in canonical order.
ITEM_FIELDS = ("item_id", "category", "price", "quantity", "timestamp")

# Columns produced by FeatureEngineering and consumed by Predictions.
# src/predictions/model.json lists the same columns in the same order.
FEATURE_COLUMNS = (
    "log_price",
    "price_zscore_in_category",
    "price_ratio_to_category_mean",
    "quantity_share_of_category",
    "qty_rolling_mean_3",
    "day_of_week",
    "hour",
    "is_weekend",
)


def parse_timestamp(value):
    """Parse an ISO-8601 timestamp into an aware UTC ``datetime``.

    Accepts ``datetime`` objects and strings such as ``2024-03-04T09:15:00Z``
    or ``2024-03-04T09:15:00+02:00``.  Naive values are taken to be UTC.
    Raises ``ValueError`` for anything else.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        parsed = datetime.fromisoformat(text)
    else:
        raise ValueError(f"timestamp must be an ISO-8601 string, got {type(value).__name__}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)
