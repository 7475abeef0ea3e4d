using LambdaSlim.Project;

namespace LambdaSlim.Bytecode;

public enum BytecodeMode { Compile, Sourceless, None }

/// <summary>
/// <c>Metadata: LambdaSlim: bytecode: compile|sourceless|none</c> (default compile), and
/// <c>sourceless-own-code: true</c> to make the user's own code sourceless too (never done unless asked:
/// tracebacks from your own handler should show source lines).
/// </summary>
public sealed record BytecodeSettings(BytecodeMode Mode, bool SourcelessOwnCode)
{
    public static BytecodeSettings From(LambdaSlimSettings resource, LambdaSlimSettings defaults, string where)
    {
        string? Get(string key) => resource.GetString(key) ?? defaults.GetString(key);
        var mode = Get("bytecode") switch
        {
            null or "compile" => BytecodeMode.Compile,
            "sourceless" => BytecodeMode.Sourceless,
            "none" => BytecodeMode.None,
            var other => throw LambdaSlimException.Config($"{where}: bytecode '{other}' is not a mode", "use bytecode: compile, sourceless or none"),
        };
        return new BytecodeSettings(mode, Get("sourceless-own-code") is "true");
    }
}
