"""Unit tests for the item-prediction example (run with python -m unittest)."""
