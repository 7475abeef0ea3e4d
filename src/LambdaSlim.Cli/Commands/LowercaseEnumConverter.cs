using System.ComponentModel;
using System.Globalization;

namespace LambdaSlim.Cli.Commands;

/// <summary>
/// Binds an option to an enum as users type it (`--audit warn`, `--format json`), case-insensitively, and shows the
/// default in --help in that spelling. A value that is not a member is a usage error (exit 2) naming the values.
/// </summary>
public sealed class LowercaseEnumConverter<T> : TypeConverter where T : struct, Enum
{
    /// <summary>The option the enum is bound to, for the error line.</summary>
    private static readonly string Option = typeof(T).Name switch
    {
        nameof(LambdaSlim.Pipeline.AuditMode) => "--audit",
        nameof(LambdaSlim.Package.ZipCompression) => "--compression",
        nameof(SizeTarget) => "--target",
        _ => "--format",
    };

    /// <summary>The values as users type them: "error, warn or off".</summary>
    public static string Choices
    {
        get
        {
            var names = Enum.GetNames<T>().Select(n => n.ToLowerInvariant()).ToList();
            return string.Join(", ", names[..^1]) + " or " + names[^1];
        }
    }

    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    public override object ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        var name = Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, value as string, StringComparison.OrdinalIgnoreCase));
        return name is not null ? Enum.Parse<T>(name)
            : throw new LambdaSlimException(ExitCode.Usage, $"{Option} '{value}' is not known", $"use {Choices}");
    }

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        destinationType == typeof(string) && value is T e ? e.ToString().ToLowerInvariant() : base.ConvertTo(context, culture, value, destinationType);
}
