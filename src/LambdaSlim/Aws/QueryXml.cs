using System.Globalization;
using System.Xml.Linq;

namespace LambdaSlim.Aws;

/// <summary>Reading the AWS Query API's XML answers by local names, whatever the namespace.</summary>
internal static class QueryXml
{
    public static XElement Result(string body, string operation)
    {
        var root = XDocument.Parse(body).Root ?? throw new FormatException($"{operation} answered with no XML");
        return root.Elements().FirstOrDefault(e => e.Name.LocalName == operation + "Result") ?? root;
    }

    public static XElement? Child(this XElement element, string name) => element.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public static string? Text(this XElement element, string name) => element.Child(name)?.Value is { Length: > 0 } v ? v : null;

    public static string Required(this XElement element, string name) => element.Text(name) ?? "";

    /// <summary>The <c>member</c> elements of a list.</summary>
    public static IEnumerable<XElement> Members(this XElement element, string list) =>
        element.Child(list)?.Elements().Where(e => e.Name.LocalName == "member") ?? [];

    public static DateTimeOffset Time(this XElement element, string name) =>
        DateTimeOffset.Parse(element.Required(name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
