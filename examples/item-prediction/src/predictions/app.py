"""Predictions function: POST /predict

Body: the FeatureEngineering response (``{"features": [...]}``) or
``{"items": [...]}`` with the same feature records.  Returns the predicted
demand class and the class probabilities for each record.

The model is a scikit-learn ``Pipeline(StandardScaler, LogisticRegression)``
whose fitted parameters come from ``model.json`` (bundled next to this file).
Nothing is trained and nothing is unpickled at cold start, so the model works
with whichever scikit-learn version the ml-libraries layer provides.  If
``MODEL_S3_KEY`` is set, the JSON document is read from the ``BUCKET_NAME``
bucket instead (boto3 is imported lazily, only then).  The pipeline is built
once per container and cached at module level.
"""

import json
import logging
import os

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from item_common import BadRequest, error_response, json_response, parse_records

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))

MODEL_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model.json")

_MODEL = None  # (pipeline, model document); built on first use, reused while the container lives


def _read_model_document():
    key = os.environ.get("MODEL_S3_KEY", "").strip()
    if key:
        import boto3  # lazy: only needed for a model stored in S3

        bucket = os.environ["BUCKET_NAME"]
        logger.info("loading model from s3://%s/%s", bucket, key)
        obj = boto3.client("s3").get_object(Bucket=bucket, Key=key)
        return json.loads(obj["Body"].read())
    with open(MODEL_PATH, encoding="utf-8") as fh:
        return json.load(fh)


def build_pipeline(doc):
    """Create a fitted Pipeline from the parameters in a model document."""
    columns = list(doc["feature_columns"])
    n_features = len(columns)

    mean = np.asarray(doc["scaler"]["mean"], dtype=np.float64)
    scale = np.asarray(doc["scaler"]["scale"], dtype=np.float64)
    classes = np.asarray(doc["classifier"]["classes"])
    coef = np.asarray(doc["classifier"]["coef"], dtype=np.float64)
    intercept = np.asarray(doc["classifier"]["intercept"], dtype=np.float64)

    n_rows = 1 if classes.size == 2 else classes.size  # sklearn stores one row for binary problems
    if mean.shape != (n_features,) or scale.shape != (n_features,) or np.any(scale <= 0):
        raise ValueError("model document: scaler mean/scale must be positive vectors of length %d" % n_features)
    if classes.size < 2 or coef.shape != (n_rows, n_features) or intercept.shape != (n_rows,):
        raise ValueError(
            "model document: expected coef %s and intercept (%d,) for %d classes, got %s and %s"
            % ((n_rows, n_features), n_rows, classes.size, coef.shape, intercept.shape)
        )

    scaler = StandardScaler()
    scaler.mean_ = mean
    scaler.scale_ = scale
    scaler.var_ = scale**2
    scaler.n_samples_seen_ = int(doc["scaler"].get("n_samples_seen", 1))
    scaler.n_features_in_ = n_features
    scaler.feature_names_in_ = np.asarray(columns, dtype=object)

    # lbfgs + more than two classes = multinomial (softmax) probabilities
    classifier = LogisticRegression(solver="lbfgs")
    classifier.classes_ = classes
    classifier.coef_ = coef
    classifier.intercept_ = intercept
    classifier.n_features_in_ = n_features
    classifier.n_iter_ = np.zeros(1, dtype=np.int32)

    return Pipeline([("scaler", scaler), ("classifier", classifier)])


def get_model():
    """Return the cached ``(pipeline, model document)`` pair."""
    global _MODEL
    if _MODEL is None:
        doc = _read_model_document()
        _MODEL = (build_pipeline(doc), doc)
        logger.info("built model %s version %s", doc.get("model_name"), doc.get("model_version"))
    return _MODEL


def _feature_matrix(records, columns):
    if not records:
        raise BadRequest("no feature records to predict")
    if not all(isinstance(r, dict) for r in records):
        raise BadRequest("every feature record must be a JSON object")
    frame = pd.DataFrame(records)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise BadRequest(f"feature records are missing columns: {', '.join(missing)}")
    matrix = frame[columns].apply(pd.to_numeric, errors="coerce").astype("float64")
    bad_rows = ~np.isfinite(matrix.to_numpy()).all(axis=1)
    if bad_rows.any():
        raise BadRequest(f"non-numeric or missing feature values in records at index {np.flatnonzero(bad_rows).tolist()}")
    ids = frame["item_id"].tolist() if "item_id" in frame.columns else [None] * len(frame)
    return matrix, ids


def predict(records):
    pipeline, doc = get_model()
    matrix, ids = _feature_matrix(records, list(doc["feature_columns"]))
    labels = pipeline.predict(matrix)
    probabilities = pipeline.predict_proba(matrix)
    classes = [c.item() if hasattr(c, "item") else c for c in pipeline.classes_]
    results = []
    for item_id, label, probs in zip(ids, labels, probabilities):
        results.append(
            {
                "item_id": item_id,
                "predicted_class": label.item() if hasattr(label, "item") else label,
                "probabilities": {str(cls): float(p) for cls, p in zip(classes, probs)},
            }
        )
    return {
        "model_name": doc.get("model_name"),
        "model_version": doc.get("model_version"),
        "classes": classes,
        "count": len(results),
        "predictions": results,
    }


def lambda_handler(event, context):
    try:
        records = parse_records(event, keys=("features", "items"))
        body = predict(records)
    except BadRequest as exc:
        logger.info("rejecting request: %s", exc)
        return error_response(400, str(exc))
    return json_response(200, body)
