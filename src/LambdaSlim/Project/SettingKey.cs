namespace LambdaSlim.Project;

/// <summary>Where a setting may be written: on a function, on a layer, or at the template's top (for every resource).</summary>
[Flags]
public enum SettingScope
{
    Template = 1,
    Function = 2,
    Layer = 4,
    Resource = Function | Layer,
    Anywhere = Template | Function | Layer,
}

public enum SettingKind
{
    /// <summary>true or false, nothing else (CloudFormation's booleans).</summary>
    Bool,

    /// <summary>One of <see cref="SettingKey.Choices"/>.</summary>
    Choice,

    /// <summary>A list of plain strings; a single string is a list of one.</summary>
    List,

    /// <summary>One plain string, checked further by the code that uses it.</summary>
    Text,

    /// <summary>A mapping of size targets (see <see cref="SettingsSchema.TargetKeys"/>) to sizes.</summary>
    Targets,
}

public sealed record SettingKey(string Name, SettingKind Kind, SettingScope Scope, string Meaning, params string[] Choices);
