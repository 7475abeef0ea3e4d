"""Runs the item-prediction example's own unittest suite against the zips LambdaSlim built.

The layers are extracted in order into opt/ and each function package into its own folder, as Lambda
does, and Python starts with -S so nothing comes from the build machine's site-packages: a module the
build forgot to package fails here. Standard library only.
"""
import os
import subprocess
import sys
import zipfile

# Function logical ID -> the folder under src/ its handler comes from.
FUNCTIONS = {
    "DataValidationFunction": "data_validation",
    "FeatureEngineeringFunction": "feature_engineering",
    "PredictionsFunction": "predictions",
}
LAYERS = ["CoreDataScienceLayer", "MLLibrariesLayer", "AWSUtilitiesLayer"]


def main(example_dir, scratch):
    build = os.path.join(example_dir, ".lambdaslim", "build")
    opt = os.path.join(scratch, "opt")
    task_root = os.path.join(scratch, "task")
    for layer in LAYERS:
        zipfile.ZipFile(os.path.join(build, "layers", layer + ".zip")).extractall(opt)
    for logical_id, folder in FUNCTIONS.items():
        zipfile.ZipFile(os.path.join(build, "functions", logical_id + ".zip")).extractall(os.path.join(task_root, folder))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([os.path.join(task_root, f) for f in FUNCTIONS.values()] + [os.path.join(opt, "python")])
    env["ITEM_PREDICTION_CODE_ROOT"] = task_root
    env["ITEM_PREDICTION_REQUIRE_DEPS"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.call([sys.executable, "-S", "-m", "unittest", "discover", "-s", "tests", "-t", "."], cwd=example_dir, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
