"""Tests for the FeatureEngineering function (src/feature_engineering/app.py)."""

import math
import unittest
import warnings

try:
    from . import _support
except ImportError:  # started with the tests directory as top-level
    import _support

_support.require_modules(__name__, "numpy", "pandas")
item_common = _support.ensure_item_common()
app = _support.load_function("feature_engineering")

# Three items, deliberately not in time order:
#   category a: X1 price 10 qty 2 (Mon 10:00), X2 price 30 qty 6 (Tue 12:30)
#   category b: X3 price 5 qty 4 (Sat 23:59 +02:00 = Sat 21:59 UTC)
TINY_ITEMS = [
    {"item_id": "X2", "category": "a", "price": 30, "quantity": 6, "timestamp": "2024-03-05T12:30:00Z"},
    {"item_id": "X3", "category": "b", "price": 5.0, "quantity": 4, "timestamp": "2024-03-09T23:59:00+02:00"},
    {"item_id": "X1", "category": "a", "price": 10.0, "quantity": 2, "timestamp": "2024-03-04T10:00:00"},
]

# Hand-computed: category a has mean 20 and population std 10.
EXPECTED_TINY = {
    "X1": {
        "log_price": math.log(10.0),
        "price_zscore_in_category": -1.0,
        "price_ratio_to_category_mean": 0.5,
        "quantity_share_of_category": 0.25,
        "qty_rolling_mean_3": 2.0,
        "day_of_week": 0,
        "hour": 10,
        "is_weekend": 0,
        "revenue": 20.0,
        "timestamp": "2024-03-04T10:00:00+00:00",
    },
    "X2": {
        "log_price": math.log(30.0),
        "price_zscore_in_category": 1.0,
        "price_ratio_to_category_mean": 1.5,
        "quantity_share_of_category": 0.75,
        "qty_rolling_mean_3": 4.0,
        "day_of_week": 1,
        "hour": 12,
        "is_weekend": 0,
        "revenue": 180.0,
        "timestamp": "2024-03-05T12:30:00+00:00",
    },
    "X3": {
        "log_price": math.log(5.0),
        "price_zscore_in_category": 0.0,
        "price_ratio_to_category_mean": 1.0,
        "quantity_share_of_category": 1.0,
        "qty_rolling_mean_3": 4.0,
        "day_of_week": 5,
        "hour": 21,
        "is_weekend": 1,
        "revenue": 20.0,
        "timestamp": "2024-03-09T21:59:00+00:00",
    },
}


class TinyInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cls.status, cls.body, _ = _support.invoke(app, _support.api_event({"items": TINY_ITEMS}))
        cls.caught = [w for w in caught if issubclass(w.category, (DeprecationWarning, FutureWarning, UserWarning))]

    def test_status_and_columns(self):
        self.assertEqual(self.status, 200)
        self.assertEqual(self.body["count"], 3)
        self.assertEqual(self.body["feature_columns"], list(item_common.FEATURE_COLUMNS))

    def test_input_order_is_preserved(self):
        self.assertEqual([row["item_id"] for row in self.body["features"]], ["X2", "X3", "X1"])

    def test_values_match_hand_computation(self):
        for row in self.body["features"]:
            expected = EXPECTED_TINY[row["item_id"]]
            for column, value in expected.items():
                with self.subTest(item=row["item_id"], column=column):
                    if isinstance(value, float):
                        self.assertAlmostEqual(row[column], value, places=12)
                    else:
                        self.assertEqual(row[column], value)

    def test_no_deprecation_or_future_warnings(self):
        self.assertEqual([str(w.message) for w in self.caught], [])


class EventTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.status, cls.body, _ = _support.invoke(app, _support.load_event("feature_engineering"))
        cls.rows = {row["item_id"]: row for row in cls.body["features"]}

    def test_one_row_per_item(self):
        self.assertEqual(self.status, 200)
        self.assertEqual(self.body["count"], 7)
        self.assertEqual(
            [row["item_id"] for row in self.body["features"]],
            ["A-100", "A-101", "A-103", "G-200", "G-201", "G-203", "H-302"],
        )

    def test_category_shares_sum_to_one_and_zscores_center(self):
        for category in ("electronics", "grocery", "home"):
            rows = [r for r in self.body["features"] if r["category"] == category]
            with self.subTest(category=category):
                self.assertAlmostEqual(sum(r["quantity_share_of_category"] for r in rows), 1.0, places=12)
                self.assertAlmostEqual(sum(r["price_zscore_in_category"] for r in rows), 0.0, places=12)

    def test_timezone_offset_is_normalised_to_utc(self):
        row = self.rows["G-203"]  # 2024-03-10T12:45:00+01:00 is Sunday 11:45 UTC
        self.assertEqual((row["day_of_week"], row["hour"], row["is_weekend"]), (6, 11, 1))
        self.assertEqual(row["timestamp"], "2024-03-10T11:45:00+00:00")

    def test_rolling_mean_follows_time_order(self):
        # electronics by time: A-100 (5), A-101 (2), A-103 (8)
        self.assertEqual(self.rows["A-100"]["qty_rolling_mean_3"], 5.0)
        self.assertEqual(self.rows["A-101"]["qty_rolling_mean_3"], 3.5)
        self.assertEqual(self.rows["A-103"]["qty_rolling_mean_3"], 5.0)

    def test_single_item_category(self):
        row = self.rows["H-302"]
        self.assertEqual(row["price_zscore_in_category"], 0.0)
        self.assertEqual(row["quantity_share_of_category"], 1.0)


class BadRequestTest(unittest.TestCase):
    def test_missing_field_is_400(self):
        items = [{"item_id": "X1", "category": "a", "price": 1.0, "timestamp": "2024-03-04T10:00:00Z"}]
        status, body, _ = _support.invoke(app, _support.api_event({"items": items}))
        self.assertEqual(status, 400)
        self.assertIn("quantity", body["error"])

    def test_non_positive_price_is_400(self):
        items = [{"item_id": "X1", "category": "a", "price": 0, "quantity": 1, "timestamp": "2024-03-04T10:00:00Z"}]
        status, body, _ = _support.invoke(app, _support.api_event({"items": items}))
        self.assertEqual(status, 400)
        self.assertIn("X1", body["error"])

    def test_bad_timestamp_is_400(self):
        items = [{"item_id": "X1", "category": "a", "price": 1, "quantity": 1, "timestamp": "tomorrow"}]
        status, body, _ = _support.invoke(app, _support.api_event({"items": items}))
        self.assertEqual(status, 400)
        self.assertIn("timestamp", body["error"])

    def test_empty_items_is_400(self):
        status, _, _ = _support.invoke(app, _support.api_event({"items": []}))
        self.assertEqual(status, 400)


if __name__ == "__main__":
    unittest.main()
