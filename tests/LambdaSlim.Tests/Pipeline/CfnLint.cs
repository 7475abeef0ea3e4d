using System.Diagnostics;

namespace LambdaSlim.Tests.Pipeline;

/// <summary>Real cfn-lint (installed in the machine's Python; it runs the SAM transform) on a template file.</summary>
public static class CfnLint
{
    /// <returns>cfn-lint's exit code (0: no findings) and what it printed.</returns>
    public static (int Code, string Output) Run(string templatePath)
    {
        var psi = new ProcessStartInfo("cfn-lint") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(templatePath);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output.Result + error);
    }
}
