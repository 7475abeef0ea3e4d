namespace LambdaSlim.Install;

/// <summary>
/// Runs pip so that every environment marker — in the requirements files, the files they include, and the
/// dependencies of every wheel — is evaluated for the Lambda runtime. pip evaluates markers through its vendored
/// packaging's default_environment(); the launcher overlays the target's values on it and then calls pip's own
/// entry point, as `python -m pip` does. Nothing is rewritten, so relative paths, hashes and options stay as written.
/// </summary>
public static class PipLauncher
{
    /// <summary>Python source for `python -c`; argv[1] is the target environment as JSON, the rest are pip's arguments.</summary>
    public const string Script = """
        import sys
        if sys.path and sys.path[0] == "": sys.path.pop(0)  # as pip's __main__: the project folder must not shadow pip's imports
        import json
        import pip._vendor.packaging.markers as markers
        target = json.loads(sys.argv[1])
        build_machine = markers.default_environment
        markers.default_environment = lambda: {**build_machine(), **target}
        from pip._internal.cli.main import main
        sys.exit(main(sys.argv[2:]))
        """;

    /// <summary>Checks the interpreter: prints its implementation and pip version, and fails if pip's marker hook is missing.</summary>
    public const string CheckScript =
        "import sys\nif sys.path and sys.path[0] == '': sys.path.pop(0)\n"
        + "import pip\nfrom pip._vendor.packaging.markers import default_environment\nprint(sys.implementation.name, pip.__version__)";
}
