using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LambdaSlim.IO;
using LambdaSlim.Project;

namespace LambdaSlim.Install;

/// <summary>What to install, for which Lambda platform, and where.</summary>
public sealed record InstallRequest(string RequirementsFile, PythonRuntime Runtime, Architecture Architecture, PipOptions Options, string Owner)
{
    public IReadOnlyList<string> Platforms => [.. PlatformTags.For(Runtime, Architecture), .. Options.ExtraPlatforms];

    /// <summary>The pip arguments, after "python -m". Pure, so tests pin the exact command.</summary>
    public IReadOnlyList<string> PipArguments(string target)
    {
        var args = new List<string>
        {
            "-m", "pip", "install",
            "--requirement", RequirementsFile,
            "--target", target,
            "--python-version", Runtime.Version,
            "--implementation", "cp",
            "--only-binary=:all:",
            // Bytecode is compiled later for the runtime's exact Python; pip would compile for the build machine's.
            "--no-compile",
            "--disable-pip-version-check",
            "--no-input",
            "--progress-bar", "off",
        };
        foreach (var p in Platforms) { args.Add("--platform"); args.Add(p); }
        args.AddRange(Options.IndexArguments());
        return args;
    }

    /// <summary>What the user controls in the project: requirements, runtime and architecture (not where wheels come from).</summary>
    public string RequirementsFingerprint() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        $"{File.ReadAllText(RequirementsFile)}\n{Runtime.Name}\n{Architecture.ToLambdaName()}")));

    /// <summary>Everything that decides what pip installs; a cached install with the same fingerprint is reused.</summary>
    public string Fingerprint()
    {
        var text = new StringBuilder()
            .AppendLine("lambdaslim-install-v1")
            .AppendLine(File.ReadAllText(RequirementsFile))
            .AppendLine(string.Join(' ', PipArguments("TARGET").Skip(4)));
        foreach (var dir in Options.FindLinks.Where(Directory.Exists))
            foreach (var f in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
                text.Append(Path.GetFileName(f)).Append(' ').Append(new FileInfo(f).Length).AppendLine();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>Runs real pip for the Lambda platform, and turns its failures into one-line errors.</summary>
public static class PipInstaller
{
    public const string FingerprintFile = ".lambdaslim-install";
    public const string RequirementsStampFile = ".lambdaslim-requirements";

    /// <summary>
    /// Installs into <paramref name="target"/>, or keeps what is there when it was installed from the same inputs.
    /// Returns true when pip ran.
    /// </summary>
    public static async Task<bool> InstallAsync(InstallRequest request, string target, IProgressStep progress, bool force, CancellationToken cancellationToken)
    {
        var fingerprint = request.Fingerprint();
        var stamp = Path.Combine(target, FingerprintFile);
        if (!force && File.Exists(stamp) && (await File.ReadAllTextAsync(stamp, cancellationToken).ConfigureAwait(false)).Trim() == fingerprint)
        {
            // Installs cached before the requirements stamp existed get one now, so `layers status` can tell.
            var requirementsStamp = Path.Combine(target, RequirementsStampFile);
            if (!File.Exists(requirementsStamp))
                await File.WriteAllTextAsync(requirementsStamp, request.RequirementsFingerprint(), cancellationToken).ConfigureAwait(false);
            return false;
        }

        var python = FindPython(request.Options.Python);
        var temp = target + ".tmp";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(python, request.PipArguments(temp), line =>
            {
                var trimmed = line.Trim();
                if (trimmed.StartsWith("Collecting ", StringComparison.Ordinal) || trimmed.StartsWith("Installing ", StringComparison.Ordinal))
                    progress.Status(trimmed);
            }, new Dictionary<string, string?> { ["PIP_REQUIRE_VIRTUALENV"] = null, ["PYTHONNOUSERSITE"] = "1" }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            throw PipNotFound(python);
        }
        if (result.ExitCode != 0)
        {
            Directory.Delete(temp, recursive: true);
            throw Classify(result.Combined, request, python);
        }
        await File.WriteAllTextAsync(Path.Combine(temp, FingerprintFile), fingerprint, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(temp, RequirementsStampFile), request.RequirementsFingerprint(), cancellationToken).ConfigureAwait(false);
        AtomicFile.ReplaceDirectory(temp, target);
        return true;
    }

    public static string FindPython(string? configured)
    {
        var candidate = configured ?? Environment.GetEnvironmentVariable("LAMBDASLIM_PYTHON");
        if (candidate is not null)
            return ProcessRunner.FindOnPath(candidate) ?? throw PipNotFound(candidate);
        return ProcessRunner.FindOnPath("python3") ?? ProcessRunner.FindOnPath("python") ?? throw PipNotFound("python3");
    }

    private static LambdaSlimException PipNotFound(string python) => LambdaSlimException.Tool(
        $"pip not found: cannot run '{python} -m pip'",
        "install Python 3 with pip 23+, or point --python (or LAMBDASLIM_PYTHON) at an interpreter that has it");

    private static readonly string[] NetworkMarkers =
    [
        "NewConnectionError", "Failed to establish a new connection", "Temporary failure in name resolution",
        "Name or service not known", "Max retries exceeded", "ProxyError", "Could not fetch URL", "ConnectTimeoutError",
        "Network is unreachable", "Connection refused",
    ];

    /// <summary>Maps pip's output to the error a user can act on. Pure: tests feed it recorded pip output.</summary>
    public static LambdaSlimException Classify(string output, InstallRequest request, string python)
    {
        var where = $"{request.Owner} ({Path.GetFileName(request.RequirementsFile)})";
        if (output.Contains("No module named pip", StringComparison.Ordinal))
            return PipNotFound(python);
        var missing = Regex.Match(output, @"No matching distribution found for ([^\s]+)");
        var network = NetworkMarkers.FirstOrDefault(m => output.Contains(m, StringComparison.Ordinal));
        if (network is not null && !request.Options.NoIndex)
            return new LambdaSlimException(ExitCode.IndexUnreachable,
                $"{where}: the package index cannot be reached ({network})",
                "check your network or proxy, or build offline with --no-index --find-links <folder of wheels>");
        if (missing.Success)
        {
            var package = missing.Groups[1].Value;
            var glibc = $"manylinux <= 2.{request.Runtime.GlibcMinor}";
            return new LambdaSlimException(ExitCode.NoCompatibleWheel,
                $"{where}: no wheel of {package} for {request.Runtime} on {request.Architecture.ToLambdaName()} ({glibc}, {request.Runtime.CPythonTag})",
                "pick a version that ships such a wheel, or build one on a Lambda-compatible image and pass it with --find-links and --platform linux_" + request.Architecture.ToWheelMachine());
        }
        var firstError = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("ERROR:", StringComparison.Ordinal))
            ?? output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "no output";
        return LambdaSlimException.Tool($"{where}: pip failed: {firstError}", "run with --verbose to see pip's output");
    }
}
