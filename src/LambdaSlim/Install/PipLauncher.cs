namespace LambdaSlim.Install;

/// <summary>
/// Runs pip so that every environment marker — in the requirements files, the files they include, and the
/// dependencies of every wheel — is evaluated for the Lambda runtime. pip evaluates markers through its vendored
/// packaging's default_environment(); the launcher overlays the target's values on it and then calls pip's own
/// entry point, as `python -m pip` does. Nothing is rewritten, so relative paths, hashes and options stay as written.
/// <para>
/// pip before 24.1 also checks each wheel's Requires-Python against the interpreter it runs under, not against
/// --python-version (pypa/pip#11664): a python3.9 function could get a release that needs 3.10. The launcher hands
/// the target's version to pip's resolver when pip itself does not, so Requires-Python is decided for the runtime.
/// </para>
/// </summary>
public static class PipLauncher
{
    /// <summary>Python source for `python -c`; argv[1] is the target environment as JSON, the rest are pip's arguments.</summary>
    public const string Script = """
        import sys
        if sys.path and sys.path[0] == "": sys.path.pop(0)  # as pip's __main__: the project folder must not shadow pip's imports
        import inspect, json
        import pip._vendor.packaging.markers as markers
        import pip._internal.resolution.resolvelib.resolver as resolvelib
        target = json.loads(sys.argv[1])
        build_machine = markers.default_environment
        markers.default_environment = lambda: {**build_machine(), **target}
        resolver_init = resolvelib.Resolver.__init__
        resolver_signature = inspect.signature(resolver_init)
        def init_for_target(*args, **kwargs):
            bound = resolver_signature.bind(*args, **kwargs)
            if bound.arguments.get("py_version_info") is None:
                bound.arguments["py_version_info"] = tuple(int(p) for p in target["python_full_version"].split("."))
            resolver_init(*bound.args, **bound.kwargs)
        resolvelib.Resolver.__init__ = init_for_target
        from pip._internal.cli.main import main
        sys.exit(main(sys.argv[2:]))
        """;

    /// <summary>Checks the interpreter: prints its implementation and pip version, and fails if pip's marker or resolver hook is missing.</summary>
    public const string CheckScript =
        "import sys\nif sys.path and sys.path[0] == '': sys.path.pop(0)\n"
        + "import pip\nfrom pip._vendor.packaging.markers import default_environment\n"
        + "from pip._internal.resolution.resolvelib.resolver import Resolver\n"
        + "assert 'py_version_info' in __import__('inspect').signature(Resolver.__init__).parameters, 'pip has no py_version_info'\n"
        + "print(sys.implementation.name, pip.__version__)";
}
