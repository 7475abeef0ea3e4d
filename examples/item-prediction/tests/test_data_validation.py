"""Tests for the DataValidation function (src/data_validation/app.py)."""

import base64
import json
import unittest
from decimal import Decimal
from unittest import mock

try:
    from . import _support
except ImportError:  # started with the tests directory as top-level
    import _support

_support.require_modules(__name__, "numpy", "pandas", "pydantic")
item_common = _support.ensure_item_common()
app = _support.load_function("data_validation")


def _invalid_by_index(body):
    return {entry["index"]: entry for entry in body["invalid"]}


class DataValidationEventTest(unittest.TestCase):
    """events/data_validation.json: 10 records, 6 valid, 4 invalid, 1 outlier."""

    @classmethod
    def setUpClass(cls):
        cls.status, cls.body, cls.response = _support.invoke(app, _support.load_event("data_validation"))

    def test_status_and_headers(self):
        self.assertEqual(self.status, 200)
        self.assertEqual(self.response["headers"]["Content-Type"], "application/json")

    def test_counts(self):
        self.assertEqual(self.body["total"], 10)
        self.assertEqual(self.body["valid_count"], 6)
        self.assertEqual(self.body["invalid_count"], 4)
        self.assertEqual(sorted(_invalid_by_index(self.body)), [5, 6, 7, 8])

    def test_negative_price_reason(self):
        entry = _invalid_by_index(self.body)[5]
        self.assertEqual(entry["item_id"], "G-202")
        self.assertEqual([(r["field"], r["type"]) for r in entry["reasons"]], [("price", "greater_than")])

    def test_negative_quantity_and_bad_timestamp_reasons(self):
        entry = _invalid_by_index(self.body)[6]
        self.assertEqual(entry["item_id"], "H-300")
        fields = {r["field"]: r["type"] for r in entry["reasons"]}
        self.assertEqual(set(fields), {"quantity", "timestamp"})
        self.assertEqual(fields["quantity"], "greater_than_equal")
        self.assertIn("datetime", fields["timestamp"])

    def test_duplicate_reason(self):
        entry = _invalid_by_index(self.body)[7]
        self.assertEqual(entry["item_id"], "A-100")
        self.assertEqual(len(entry["reasons"]), 1)
        reason = entry["reasons"][0]
        self.assertEqual((reason["field"], reason["type"]), ("item_id", "duplicate"))
        self.assertIn("first seen at index 0", reason["message"])
        self.assertEqual(self.body["duplicate_item_ids"], ["A-100"])

    def test_null_category(self):
        entry = _invalid_by_index(self.body)[8]
        self.assertEqual(entry["item_id"], "H-301")
        self.assertEqual([r["field"] for r in entry["reasons"]], ["category"])
        self.assertEqual(
            self.body["null_counts"],
            {"item_id": 0, "category": 1, "price": 0, "quantity": 0, "timestamp": 0},
        )

    def test_price_outlier_by_iqr(self):
        # valid prices sorted: 3.49 4.99 42.0 199.99 249.5 9999.0 (linear quantiles)
        q1 = 4.99 + 0.25 * (42.0 - 4.99)
        q3 = 199.99 + 0.75 * (249.5 - 199.99)
        bounds = self.body["price_bounds"]
        self.assertAlmostEqual(bounds["q1"], q1, places=9)
        self.assertAlmostEqual(bounds["q3"], q3, places=9)
        self.assertAlmostEqual(bounds["upper"], q3 + 1.5 * (q3 - q1), places=9)
        self.assertEqual(
            self.body["warnings"]["price_outliers"],
            [{"index": 2, "item_id": "A-102", "price": 9999.0}],
        )
        # an outlier is a warning, not an invalid record
        self.assertNotIn(2, _invalid_by_index(self.body))

    def test_no_persistence_without_query_flag(self):
        self.assertNotIn("persisted", self.body)


class DataValidationRequestTest(unittest.TestCase):
    def test_malformed_json_is_400(self):
        status, body, _ = _support.invoke(app, _support.api_event('{"items": [', raw=True))
        self.assertEqual(status, 400)
        self.assertIn("not valid JSON", body["error"])

    def test_missing_items_key_is_400(self):
        status, body, _ = _support.invoke(app, _support.api_event({"records": []}))
        self.assertEqual(status, 400)
        self.assertIn('"items"', body["error"])

    def test_empty_body_is_400(self):
        status, _, _ = _support.invoke(app, _support.api_event("", raw=True))
        self.assertEqual(status, 400)

    def test_base64_body_and_small_batch(self):
        items = [
            {"item_id": "X-1", "category": "toys", "price": "12.50", "quantity": 3, "timestamp": "2024-01-01T00:00:00"},
            {"item_id": "X-2", "category": "toys", "price": 7, "quantity": 0, "timestamp": "2024-01-02T10:00:00+05:30"},
            "not a record",
        ]
        event = _support.api_event(base64.b64encode(json.dumps({"items": items}).encode()).decode(), raw=True)
        event["isBase64Encoded"] = True
        status, body, _ = _support.invoke(app, event)
        self.assertEqual(status, 200)
        self.assertEqual((body["total"], body["valid_count"], body["invalid_count"]), (3, 2, 1))
        self.assertEqual(body["invalid"][0]["index"], 2)
        self.assertEqual(body["invalid"][0]["reasons"][0]["type"], "model_type")
        # fewer than four valid prices: no IQR check
        self.assertIsNone(body["price_bounds"])
        self.assertEqual(body["warnings"]["price_outliers"], [])

    def test_boto3_is_not_imported_at_module_level(self):
        self.assertFalse(hasattr(app, "boto3"))

    def test_persist_writes_valid_records_to_dynamodb(self):
        event = _support.load_event("data_validation")
        event["queryStringParameters"] = {"persist": "true"}
        table = mock.MagicMock()
        with mock.patch.object(app, "_get_table", return_value=table):
            status, body, _ = _support.invoke(app, event)
        self.assertEqual(status, 200)
        self.assertEqual(body["persisted"], 6)
        batch = table.batch_writer.return_value.__enter__.return_value
        items = [c.kwargs["Item"] for c in batch.put_item.call_args_list]
        self.assertEqual([i["item_id"] for i in items], ["A-100", "A-101", "A-102", "G-200", "G-201", "H-302"])
        self.assertEqual(items[0]["price"], Decimal("199.99"))
        self.assertEqual(items[0]["timestamp"], "2024-03-04T09:15:00+00:00")


if __name__ == "__main__":
    unittest.main()
