namespace LambdaSlim.Tests.Pipeline;

/// <summary>
/// The classes that read the one shared example build. xunit runs the classes of a collection one after another;
/// they only read the build, so they are quick, and sharing it saves two builds of the example (pip, prune, bytecode, zip).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ExampleBuildCollection : ICollectionFixture<ExampleBuildFixture>
{
    public const string Name = "example build";
}
