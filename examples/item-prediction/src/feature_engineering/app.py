"""FeatureEngineering function: POST /features

Body: ``{"items": [...]}`` with validated item records (see DataValidation).
Returns one feature row per item, in input order:

* ``log_price``                     natural log of the price
* ``price_zscore_in_category``      (price - category mean) / category std
                                    (population std; 0 when the std is 0)
* ``price_ratio_to_category_mean``  price / category mean price
* ``quantity_share_of_category``    quantity / total quantity of the category
* ``qty_rolling_mean_3``            mean quantity of this and the previous two
                                    items of the category, ordered by time
* ``day_of_week`` (Monday=0), ``hour``, ``is_weekend``  from the UTC timestamp
* ``revenue``                       price * quantity (informational)
"""

import logging
import os

import numpy as np
import pandas as pd

from item_common import FEATURE_COLUMNS, ITEM_FIELDS, BadRequest, error_response, json_response, parse_records, parse_timestamp

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))

ROLLING_WINDOW = 3
OUTPUT_COLUMNS = ["item_id", "category", "timestamp", *FEATURE_COLUMNS, "revenue"]


def _items_frame(records):
    """Build a typed DataFrame from records; raise BadRequest if unusable."""
    if not records:
        raise BadRequest('"items" must contain at least one record')
    if not all(isinstance(r, dict) for r in records):
        raise BadRequest("every item must be a JSON object")
    missing = sorted({f for r in records for f in ITEM_FIELDS if r.get(f) is None})
    if missing:
        raise BadRequest(f"items are missing required fields: {', '.join(missing)}")

    frame = pd.DataFrame(records, columns=list(ITEM_FIELDS))
    frame["item_id"] = frame["item_id"].astype(str)
    frame["category"] = frame["category"].astype(str)
    frame["price"] = pd.to_numeric(frame["price"], errors="coerce")
    frame["quantity"] = pd.to_numeric(frame["quantity"], errors="coerce")

    bad_price = frame["price"].isna() | ~(frame["price"] > 0) | ~np.isfinite(frame["price"])
    bad_qty = frame["quantity"].isna() | (frame["quantity"] < 0)
    if bad_price.any() or bad_qty.any():
        ids = frame.loc[bad_price | bad_qty, "item_id"].tolist()
        raise BadRequest(f"price must be > 0 and quantity >= 0 (offending item_id: {', '.join(ids)})")

    try:
        stamps = [parse_timestamp(v) for v in frame["timestamp"]]
    except ValueError as exc:
        raise BadRequest(f"invalid timestamp: {exc}") from None
    frame["timestamp"] = pd.to_datetime(stamps, utc=True)
    frame["quantity"] = frame["quantity"].astype("float64")
    return frame


def compute_features(frame):
    """Add the feature columns to ``frame`` (index order is preserved)."""
    out = frame.copy()
    price = out["price"]
    by_cat = out.groupby("category", sort=False)

    cat_mean = by_cat["price"].transform("mean")
    # population standard deviation (ddof=0), computed explicitly so the
    # result does not depend on pandas' ddof defaults
    cat_std = np.sqrt(((price - cat_mean) ** 2).groupby(out["category"], sort=False).transform("mean"))
    safe_std = cat_std.where(cat_std > 0)
    out["log_price"] = np.log(price)
    out["price_zscore_in_category"] = ((price - cat_mean) / safe_std).fillna(0.0)
    out["price_ratio_to_category_mean"] = price / cat_mean

    cat_qty = by_cat["quantity"].transform("sum")
    out["quantity_share_of_category"] = (out["quantity"] / cat_qty.where(cat_qty > 0)).fillna(0.0)

    # chronological rolling mean within each category; ties broken by item_id
    ordered = out.sort_values(["category", "timestamp", "item_id"], kind="mergesort")
    rolling = ordered.groupby("category", sort=False)["quantity"].transform(
        lambda s: s.rolling(ROLLING_WINDOW, min_periods=1).mean()
    )
    out["qty_rolling_mean_3"] = rolling.reindex(out.index)

    out["day_of_week"] = out["timestamp"].dt.dayofweek.astype("int64")
    out["hour"] = out["timestamp"].dt.hour.astype("int64")
    out["is_weekend"] = (out["day_of_week"] >= 5).astype("int64")
    out["revenue"] = price * out["quantity"]
    return out


def features_to_records(features):
    table = features[OUTPUT_COLUMNS].copy()
    table["timestamp"] = [ts.isoformat() for ts in table["timestamp"]]
    return table.to_dict(orient="records")


def lambda_handler(event, context):
    try:
        records = parse_records(event)
        frame = _items_frame(records)
    except BadRequest as exc:
        logger.info("rejecting request: %s", exc)
        return error_response(400, str(exc))

    features = compute_features(frame)
    logger.info("computed %d feature rows over %d categories", len(features), features["category"].nunique())
    return json_response(
        200,
        {
            "count": len(features),
            "feature_columns": list(FEATURE_COLUMNS),
            "features": features_to_records(features),
        },
    )
