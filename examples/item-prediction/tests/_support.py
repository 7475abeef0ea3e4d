"""Shared plumbing for the item-prediction tests (standard library only).

* Third-party dependencies (pandas, numpy, scikit-learn, pydantic) are
  expected on ``sys.path`` -- normally the built layers and function
  packages.  If one is missing the test module is skipped *loudly*; set
  ``ITEM_PREDICTION_REQUIRE_DEPS=1`` to turn that skip into a failure.
* ``item_common`` (core-data-science layer) is used from wherever it is
  already importable; only if it is not is ``layers/core-data-science``
  added to ``sys.path`` so the tests also run from the source tree.
* Each function's ``app.py`` is loaded from ``src/<function>/`` under a
  unique module name, because all three handlers are called ``app``.
"""

import importlib
import importlib.util
import json
import os
import sys
import unittest

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
APP_ROOT = os.path.dirname(TESTS_DIR)
EVENTS_DIR = os.path.join(APP_ROOT, "events")
# The test runner can point this at unpacked function packages (the built zips) instead of src/.
SRC_DIR = os.environ.get("ITEM_PREDICTION_CODE_ROOT") or os.path.join(APP_ROOT, "src")
CORE_LAYER_SOURCE = os.path.join(APP_ROOT, "layers", "core-data-science")
REQUIRE_DEPS_ENV = "ITEM_PREDICTION_REQUIRE_DEPS"


def require_modules(test_name, *module_names):
    """Import the given modules or skip (or fail) the calling test module."""
    missing = []
    for name in module_names:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            missing.append(f"{name} ({exc.__class__.__name__}: {exc})")
    if not missing:
        return
    message = f"{test_name}: required packages not importable: {'; '.join(missing)}"
    banner = "!" * 78
    sys.stderr.write(
        f"\n{banner}\n!! SKIPPING {test_name}: THE HANDLER CODE IS NOT BEING TESTED\n!! {message}\n"
        f"!! Put the built layers (or the packages) on PYTHONPATH, or set {REQUIRE_DEPS_ENV}=1 to fail instead.\n"
        f"{banner}\n"
    )
    if os.environ.get(REQUIRE_DEPS_ENV, "").strip() not in ("", "0"):
        raise RuntimeError(message)
    raise unittest.SkipTest(message)


def ensure_item_common():
    """Import item_common from the path, falling back to the layer sources."""
    if importlib.util.find_spec("item_common") is None:
        sys.path.append(CORE_LAYER_SOURCE)
    return importlib.import_module("item_common")


def load_function(function_dir):
    """Load src/<function_dir>/app.py as module ``<function_dir>_app``."""
    code_dir = os.path.join(SRC_DIR, function_dir)
    if code_dir not in sys.path:
        sys.path.insert(0, code_dir)
    module_name = f"{function_dir}_app"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, os.path.join(code_dir, "app.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    return module


def load_event(name):
    with open(os.path.join(EVENTS_DIR, f"{name}.json"), encoding="utf-8") as fh:
        return json.load(fh)


def api_event(body, path="/", query=None, raw=False):
    """A minimal API Gateway proxy event; ``body`` is JSON-encoded unless ``raw``."""
    return {
        "resource": path,
        "path": path,
        "httpMethod": "POST",
        "headers": {"Content-Type": "application/json"},
        "queryStringParameters": query,
        "body": body if raw else json.dumps(body),
        "isBase64Encoded": False,
    }


def invoke(module, event):
    """Call ``module.lambda_handler`` and return ``(status, decoded body, response)``."""
    response = module.lambda_handler(event, None)
    return response["statusCode"], json.loads(response["body"]), response
