"""Tests for the Predictions function (src/predictions/app.py)."""

import io
import json
import os
import sys
import unittest
import warnings
from unittest import mock

try:
    from . import _support
except ImportError:  # started with the tests directory as top-level
    import _support

_support.require_modules(__name__, "numpy", "pandas", "sklearn")
import numpy as np  # noqa: E402  (only after the dependency check)

item_common = _support.ensure_item_common()
app = _support.load_function("predictions")

with open(os.path.join(_support.SRC_DIR, "predictions", "model.json"), encoding="utf-8") as _fh:
    MODEL_DOC = json.load(_fh)

# Pinned outcome for events/predictions.json (changes only if model.json or
# the feature definitions change).
EXPECTED_CLASSES = {
    "A-100": "medium",
    "A-101": "low",
    "A-103": "high",
    "G-200": "high",
    "G-201": "medium",
    "G-203": "high",
    "H-302": "high",
}
EXPECTED_PROBABILITIES = {
    "A-100": {"low": 0.4301312600, "medium": 0.5113180350, "high": 0.0585507050},
    "A-101": {"low": 0.9199571543, "medium": 0.0791658362, "high": 0.0008770095},
}


def reference_probabilities(rows):
    """Softmax of the linear model, computed with numpy only (no scikit-learn)."""
    columns = MODEL_DOC["feature_columns"]
    x = np.array([[float(row[c]) for c in columns] for row in rows])
    z = (x - np.array(MODEL_DOC["scaler"]["mean"])) / np.array(MODEL_DOC["scaler"]["scale"])
    logits = z @ np.array(MODEL_DOC["classifier"]["coef"]).T + np.array(MODEL_DOC["classifier"]["intercept"])
    logits -= logits.max(axis=1, keepdims=True)
    expd = np.exp(logits)
    return expd / expd.sum(axis=1, keepdims=True)


class PredictionsEventTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.event = _support.load_event("predictions")
        cls.features = json.loads(cls.event["body"])["features"]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cls.status, cls.body, _ = _support.invoke(app, cls.event)
        cls.caught = [w for w in caught if issubclass(w.category, (DeprecationWarning, FutureWarning, UserWarning))]

    def test_status_and_metadata(self):
        self.assertEqual(self.status, 200)
        self.assertEqual(self.body["count"], 7)
        self.assertEqual(self.body["classes"], ["low", "medium", "high"])
        self.assertEqual(self.body["model_version"], MODEL_DOC["model_version"])

    def test_model_columns_match_shared_schema(self):
        self.assertEqual(MODEL_DOC["feature_columns"], list(item_common.FEATURE_COLUMNS))

    def test_probabilities_are_a_distribution(self):
        for pred in self.body["predictions"]:
            probs = pred["probabilities"]
            with self.subTest(item=pred["item_id"]):
                self.assertEqual(list(probs), ["low", "medium", "high"])
                for p in probs.values():
                    self.assertGreaterEqual(p, 0.0)
                    self.assertLessEqual(p, 1.0)
                self.assertAlmostEqual(sum(probs.values()), 1.0, places=12)
                self.assertEqual(pred["predicted_class"], max(probs, key=probs.get))

    def test_pinned_predictions(self):
        self.assertEqual({p["item_id"]: p["predicted_class"] for p in self.body["predictions"]}, EXPECTED_CLASSES)
        by_id = {p["item_id"]: p for p in self.body["predictions"]}
        for item_id, expected_probs in EXPECTED_PROBABILITIES.items():
            for cls_name, expected in expected_probs.items():
                with self.subTest(item=item_id, cls=cls_name):
                    self.assertAlmostEqual(by_id[item_id]["probabilities"][cls_name], expected, places=9)

    def test_matches_numpy_reference(self):
        expected = reference_probabilities(self.features)
        got = np.array([[p["probabilities"][c] for c in self.body["classes"]] for p in self.body["predictions"]])
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)

    def test_deterministic(self):
        _, again, _ = _support.invoke(app, self.event)
        self.assertEqual(again, self.body)

    def test_no_deprecation_or_future_warnings(self):
        self.assertEqual([str(w.message) for w in self.caught], [])


class PipelineTest(unittest.TestCase):
    def test_pipeline_is_built_from_json_not_trained(self):
        pipeline, doc = app.get_model()
        scaler, classifier = pipeline.named_steps["scaler"], pipeline.named_steps["classifier"]
        np.testing.assert_array_equal(scaler.mean_, doc["scaler"]["mean"])
        np.testing.assert_array_equal(scaler.scale_, doc["scaler"]["scale"])
        np.testing.assert_array_equal(classifier.coef_, doc["classifier"]["coef"])
        np.testing.assert_array_equal(classifier.intercept_, doc["classifier"]["intercept"])
        self.assertEqual(list(classifier.classes_), doc["classifier"]["classes"])

    def test_model_is_cached_per_container(self):
        saved = app._MODEL
        try:
            app._MODEL = None
            with mock.patch.object(app, "_read_model_document", wraps=app._read_model_document) as reader:
                first = app.get_model()
                _support.invoke(app, _support.load_event("predictions"))
                self.assertIs(app.get_model(), first)
            self.assertEqual(reader.call_count, 1)
        finally:
            app._MODEL = saved

    def test_model_from_s3_when_key_configured(self):
        s3 = mock.MagicMock()
        s3.get_object.return_value = {"Body": io.BytesIO(json.dumps(MODEL_DOC).encode())}
        fake_boto3 = mock.MagicMock()
        fake_boto3.client.return_value = s3
        saved = app._MODEL
        try:
            app._MODEL = None
            env = {"MODEL_S3_KEY": "models/demand.json", "BUCKET_NAME": "models-bucket"}
            with mock.patch.dict(os.environ, env), mock.patch.dict(sys.modules, {"boto3": fake_boto3}):
                _, doc = app.get_model()
            fake_boto3.client.assert_called_once_with("s3")
            s3.get_object.assert_called_once_with(Bucket="models-bucket", Key="models/demand.json")
            self.assertEqual(doc["model_version"], MODEL_DOC["model_version"])
        finally:
            app._MODEL = saved

    def test_boto3_is_not_imported_at_module_level(self):
        self.assertFalse(hasattr(app, "boto3"))

    def test_inconsistent_model_document_is_rejected(self):
        broken = json.loads(json.dumps(MODEL_DOC))
        broken["classifier"]["coef"] = broken["classifier"]["coef"][:2]
        with self.assertRaises(ValueError):
            app.build_pipeline(broken)


class ChainTest(unittest.TestCase):
    def test_feature_engineering_output_feeds_predictions(self):
        _support.require_modules("feature engineering chain", "pandas")
        features_app = _support.load_function("feature_engineering")
        status, features_body, response = _support.invoke(features_app, _support.load_event("feature_engineering"))
        self.assertEqual(status, 200)
        status, body, _ = _support.invoke(app, {"body": response["body"]})
        self.assertEqual(status, 200)
        self.assertEqual({p["item_id"]: p["predicted_class"] for p in body["predictions"]}, EXPECTED_CLASSES)


class BadRequestTest(unittest.TestCase):
    def test_missing_feature_column_is_400(self):
        row = {c: 1.0 for c in MODEL_DOC["feature_columns"] if c != "hour"}
        status, body, _ = _support.invoke(app, _support.api_event({"features": [row]}))
        self.assertEqual(status, 400)
        self.assertIn("hour", body["error"])

    def test_non_numeric_feature_is_400(self):
        row = {c: 1.0 for c in MODEL_DOC["feature_columns"]}
        row["log_price"] = "cheap"
        status, body, _ = _support.invoke(app, _support.api_event({"items": [row]}))
        self.assertEqual(status, 400)
        self.assertIn("index [0]", body["error"])

    def test_malformed_json_is_400(self):
        status, _, _ = _support.invoke(app, _support.api_event("{nope", raw=True))
        self.assertEqual(status, 400)


if __name__ == "__main__":
    unittest.main()
