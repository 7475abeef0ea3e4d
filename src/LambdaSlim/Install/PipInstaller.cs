using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LambdaSlim.IO;
using LambdaSlim.Runtimes;
using LambdaSlim.Model;

namespace LambdaSlim.Install;

/// <summary>Runs real pip for the Lambda platform, and turns its failures into one-line errors.</summary>
public static class PipInstaller
{
    public const string FingerprintFile = ".lambdaslim-install";
    public const string RequirementsStampFile = ".lambdaslim-requirements";

    /// <summary>The files an install folder holds for LambdaSlim's own bookkeeping; they never ship.</summary>
    public static IReadOnlySet<string> BookkeepingFiles { get; } = new HashSet<string>(StringComparer.Ordinal) { FingerprintFile, RequirementsStampFile };

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

        var temp = Path.GetFullPath(target) + ".tmp";
        if (RequirementsFiles.ListsNothing(request.RequirementsFile))
        {
            // Only comments and blank lines: nothing to install, and no reason to start pip.
            WriteBoundary.DeleteDirectory(temp);
            WriteBoundary.CreateDirectory(temp);
            await WriteStampsAsync(request, temp, fingerprint, cancellationToken).ConfigureAwait(false);
            AtomicFile.ReplaceDirectory(temp, target);
            return false;
        }
        var python = await ChoosePythonAsync(request, cancellationToken).ConfigureAwait(false);
        WriteBoundary.DeleteDirectory(temp);
        WriteBoundary.CreateDirectory(temp);
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(python, request.PipArguments(temp), line =>
            {
                var trimmed = line.Trim();
                if (trimmed.StartsWith("Collecting ", StringComparison.Ordinal) || trimmed.StartsWith("Installing ", StringComparison.Ordinal))
                    progress.Status(trimmed);
            }, new Dictionary<string, string?> { ["PIP_REQUIRE_VIRTUALENV"] = null, ["PYTHONNOUSERSITE"] = "1" },
            request.WorkingDirectory, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            WriteBoundary.DeleteDirectory(temp);
            throw PipNotFound(python);
        }
        catch (OperationCanceledException)
        {
            // pip was killed; what it half-wrote goes now, or with the next build if pip still holds it.
            try { WriteBoundary.DeleteDirectory(temp); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            throw;
        }
        if (result.ExitCode != 0)
        {
            WriteBoundary.DeleteDirectory(temp);
            throw Classify(result.Combined, request, python);
        }
        await WriteStampsAsync(request, temp, fingerprint, cancellationToken).ConfigureAwait(false);
        AtomicFile.ReplaceDirectory(temp, target);
        return true;
    }

    private static async Task WriteStampsAsync(InstallRequest request, string folder, string fingerprint, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(Path.Combine(folder, FingerprintFile), fingerprint, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(folder, RequirementsStampFile), request.RequirementsFingerprint(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The interpreter whose pip installs: the one the user names (--python, LAMBDASLIM_PYTHON), else a CPython of the
    /// runtime's own version with pip 23+ when one is found (so pip decides everything as that Python would), else python3.
    /// Whichever runs, <see cref="PipLauncher"/> makes pip resolve markers and Requires-Python for the runtime.
    /// </summary>
    public static async Task<string> ChoosePythonAsync(InstallRequest request, CancellationToken cancellationToken)
    {
        var configured = request.Options.Python ?? Environment.GetEnvironmentVariable("LAMBDASLIM_PYTHON");
        if (configured is null && LambdaSlim.Runtimes.PythonFinder.Find(request.Runtime) is { } own
            && await Checked.GetOrAdd((own, request.WorkingDirectory), k => CheckInterpreterAsync(k.Python, k.Folder, cancellationToken)).ConfigureAwait(false) is null
            && PipVersions.GetValueOrDefault(own) is >= 23)
            return own;
        var python = FindPython(request.Options.Python);
        await EnsureCPythonWithPipAsync(python, request.Options.Python, request.WorkingDirectory, cancellationToken).ConfigureAwait(false);
        return python;
    }

    public static string FindPython(string? configured)
    {
        var candidate = configured ?? Environment.GetEnvironmentVariable("LAMBDASLIM_PYTHON");
        if (candidate is not null)
        {
            // A path typed relative to where lambdaslim runs stays valid when pip runs in the requirements folder.
            if (candidate.Contains('/', StringComparison.Ordinal) || candidate.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
                return File.Exists(candidate) ? Path.GetFullPath(candidate) : throw PipNotFound(candidate);
            return ProcessRunner.FindOnPath(candidate) ?? throw PipNotFound(candidate);
        }
        return ProcessRunner.FindOnPath("python3") ?? ProcessRunner.FindOnPath("python") ?? throw PipNotFound("python3");
    }

    private static readonly ConcurrentDictionary<(string Python, string Folder), Task<string?>> Checked = new();

    /// <summary>The major version of pip each checked interpreter has.</summary>
    private static readonly ConcurrentDictionary<string, int> PipVersions = new();

    /// <summary>
    /// Fails unless <paramref name="python"/> is a CPython whose pip LambdaSlim can drive: anything else (say /bin/true)
    /// could "succeed" and leave an empty layer. Checked once per interpreter path, in the folder pip runs in
    /// (a pyenv shim picks its Python by the folder's .python-version).
    /// </summary>
    public static async Task EnsureCPythonWithPipAsync(string python, string? configured, string workingDirectory, CancellationToken cancellationToken)
    {
        var key = (python, workingDirectory);
        string? why;
        try
        {
            why = await Checked.GetOrAdd(key, k => CheckInterpreterAsync(k.Python, k.Folder, cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Checked.TryRemove(key, out _);
            throw;
        }
        if (why is null) return;
        Checked.TryRemove(key, out _);
        var named = configured is not null ? $"--python {configured}"
            : Environment.GetEnvironmentVariable("LAMBDASLIM_PYTHON") is { } fromEnvironment ? $"LAMBDASLIM_PYTHON={fromEnvironment}" : python;
        throw LambdaSlimException.Tool($"{named} is not a CPython with pip ({why})",
            "point --python (or LAMBDASLIM_PYTHON) at python3 with pip 23+");
    }

    /// <summary>Null when the interpreter is fine, else what it answered instead.</summary>
    private static async Task<string?> CheckInterpreterAsync(string python, string workingDirectory, CancellationToken cancellationToken)
    {
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(python, ["-c", PipLauncher.CheckScript],
                environment: new Dictionary<string, string?> { ["PYTHONNOUSERSITE"] = "1" }, workingDirectory: workingDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException e)
        {
            return e.Message;
        }
        var problem = InterpreterProblem(result);
        // The answer's last line is "cpython 23.2.1" when there is no problem.
        var pip = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()?.Split(' ').ElementAtOrDefault(1);
        if (problem is null && int.TryParse(pip?.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture, out var major))
            PipVersions[python] = major;
        return problem;
    }

    /// <summary>What is wrong with an interpreter, from its answer to <see cref="PipLauncher.CheckScript"/>; null when nothing. Pure.</summary>
    public static string? InterpreterProblem(ProcessResult answer)
    {
        var lines = answer.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parts = lines.Length == 0 ? [] : lines[^1].Split(' ');
        if (answer.ExitCode == 0 && parts is ["cpython", { Length: > 0 }]) return null;
        if (answer.ExitCode == 0 && parts is [{ } implementation, ..]) return $"it is {implementation}";
        var error = answer.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return answer.ExitCode == 0 ? "it printed nothing when asked for its version and pip's"
            : error is not null ? $"exit code {answer.ExitCode}: {error}" : $"exit code {answer.ExitCode}";
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

    /// <summary>
    /// Maps pip's output to the error a user can act on, carrying pip's whole output as <see cref="LambdaSlimException.Details"/>
    /// for --verbose. Pure: tests feed it recorded pip output.
    /// </summary>
    public static LambdaSlimException Classify(string output, InstallRequest request, string python)
    {
        var e = ClassifyMessage(output, request, python);
        return new LambdaSlimException(e.ExitCode, e.Message, e.Hint) { Details = output };
    }

    private static LambdaSlimException ClassifyMessage(string output, InstallRequest request, string python)
    {
        var where = $"{request.Owner} ({Path.GetFileName(request.RequirementsFile)})";
        if (output.Contains("No module named pip", StringComparison.Ordinal) || output.Contains("No module named 'pip'", StringComparison.Ordinal))
            return PipNotFound(python);
        var missing = Regex.Match(output, @"No matching distribution found for ([^\s]+)");
        var wrongPython = Regex.Match(output, @"Package '(?<package>[^']+)' requires a different Python: (?<version>\S+) not in '(?<specifier>[^']*)'");
        var network = NetworkMarkers.FirstOrDefault(m => output.Contains(m, StringComparison.Ordinal));
        if (network is not null && !request.Options.NoIndex)
            return new LambdaSlimException(ExitCode.IndexUnreachable,
                $"{where}: the package index cannot be reached ({network})",
                "check your network or proxy, or build offline with --no-index --find-links <folder of wheels>");
        if (wrongPython.Success)
        {
            var package = wrongPython.Groups["package"].Value;
            return new LambdaSlimException(ExitCode.NoCompatibleWheel,
                $"{where}: {package} needs Python {wrongPython.Groups["specifier"].Value}, but {request.Runtime} is Python {request.Runtime.Version}",
                $"pin a release of {package} that supports Python {request.Runtime.Version}, or move the resource to a runtime it supports");
        }
        if (missing.Success)
        {
            var package = missing.Groups[1].Value;
            var glibc = $"manylinux <= 2.{request.Runtime.GlibcMinor}";
            return new LambdaSlimException(ExitCode.NoCompatibleWheel,
                $"{where}: no wheel of {package} for {request.Runtime} on {request.Architecture.ToLambdaName()} ({glibc}, {request.Runtime.CPythonTag})",
                "pick a version that ships such a wheel, or build one on a Lambda-compatible image and pass it with --find-links and --platform linux_" + request.Architecture.ToWheelMachine());
        }
        return LambdaSlimException.Tool($"{where}: pip failed: {LastErrors(output)}", "run with --verbose to see pip's output");
    }

    /// <summary>
    /// pip's own last error lines, without its boilerplate: "ERROR: Exception:" is followed by a traceback whose last
    /// line says what went wrong; a failed subprocess is announced by its "× ..." title and by notes that say nothing.
    /// </summary>
    public static string LastErrors(string output)
    {
        var raw = output.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var lines = raw.Select(l => l.Trim()).ToList();
        var errors = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line == "ERROR: Exception:")
            {
                if (TracebackException(raw.Skip(i + 1)) is { } exception) errors.Add(exception);
                break;
            }
            if (line.StartsWith("ERROR:", StringComparison.Ordinal)) errors.Add(line["ERROR:".Length..].Trim());
            else if (line.StartsWith("× ", StringComparison.Ordinal)) errors.Add(line[2..].Trim());
        }
        var distinct = errors.Where(e => e.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
            return lines.LastOrDefault(l => l.Length > 0 && !l.StartsWith("note:", StringComparison.Ordinal) && !l.StartsWith("error: subprocess", StringComparison.Ordinal)) ?? "no output";
        return string.Join("; ", distinct.TakeLast(3));
    }

    /// <summary>The exception line of a Python traceback: the last unindented line before pip's next message.</summary>
    private static string? TracebackException(IEnumerable<string> lines)
    {
        string? exception = null;
        foreach (var line in lines)
        {
            if (line.StartsWith("WARNING:", StringComparison.Ordinal) || line.StartsWith("ERROR:", StringComparison.Ordinal)
                || line.StartsWith("[notice]", StringComparison.Ordinal) || line.StartsWith("note:", StringComparison.Ordinal))
                break;
            if (line.Length == 0 || char.IsWhiteSpace(line[0]) || line.StartsWith("Traceback (", StringComparison.Ordinal)
                || line.StartsWith("During handling of", StringComparison.Ordinal) || line.StartsWith("The above exception", StringComparison.Ordinal))
                continue;
            exception = line.Trim();
        }
        return exception;
    }
}
