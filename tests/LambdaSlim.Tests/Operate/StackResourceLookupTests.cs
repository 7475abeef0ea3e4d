using LambdaSlim.Aws;
using LambdaSlim.Operate;

namespace LambdaSlim.Tests.Operate;

/// <summary>Finding a stack's function from what DescribeStackResources lists, by logical ID or by the name Lambda knows it by.</summary>
public class StackResourceLookupTests
{
    private static readonly StackResourceLookup Lookup = new((stack, _) => Task.FromResult<IReadOnlyList<StackResource>>(
    [
        new("PredictRole", "app-PredictRole-1X", "AWS::IAM::Role", "CREATE_COMPLETE", null),
        new("Predict", "app-predict", StackResourceLookup.FunctionType, "CREATE_COMPLETE", null),
        new("Validate", "app-Validate-9QZ", StackResourceLookup.FunctionType, "UPDATE_COMPLETE", null),
        new("Pending", null, StackResourceLookup.FunctionType, "CREATE_IN_PROGRESS", null),
    ]));

    [Theory]
    [InlineData("Predict", "app-predict")]
    [InlineData("app-Validate-9QZ", "app-Validate-9QZ")]
    [InlineData("validate", "app-Validate-9QZ")]
    public async Task A_function_is_found_by_logical_ID_physical_name_or_logical_ID_in_another_case(string given, string physical) =>
        (await Lookup.FunctionAsync("app", given)).PhysicalName.ShouldBe(physical);

    [Fact]
    public async Task Only_functions_with_a_name_are_listed()
    {
        var functions = await Lookup.FunctionsAsync("app");

        functions.ShouldBe([new StackFunction("Predict", "app-predict"), new StackFunction("Validate", "app-Validate-9QZ")]);
    }

    [Fact]
    public async Task A_name_the_stack_does_not_have_is_an_input_error_listing_what_it_has()
    {
        var e = await Should.ThrowAsync<LambdaSlimException>(() => Lookup.FunctionAsync("app", "PredictRole"));

        e.ExitCode.ShouldBe(ExitCode.InputError);
        e.OneLine.ShouldBe("stack app has no function 'PredictRole': give one of its logical IDs or function names: Predict, Validate");
    }
}
