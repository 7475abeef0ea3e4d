using System.Security.Cryptography;
using LambdaSlim.Tests.Project;

namespace LambdaSlim.Tests.Pipeline;

/// <summary>
/// `sam deploy -t .lambdaslim/build/template.yaml` first packages the template: it uploads every local
/// CodeUri/ContentUri to S3. `aws cloudformation package` does the same; here it runs for real against moto's S3.
/// </summary>
[Trait("Category", "Integration")]
[Collection(ExampleBuildCollection.Name)]
public class DeployableTemplateTests(ExampleBuildFixture example, MotoServer moto) : IClassFixture<MotoServer>
{
    [Fact]
    public void Aws_cloudformation_package_uploads_the_built_zips_unchanged_and_keeps_the_tags()
    {
        moto.Aws("s3", "mb", "s3://artifacts").ExitCode.ShouldBe(0);
        var packaged = Path.Combine(example.ProjectDir, "packaged.yaml");
        var (code, output) = moto.Aws("cloudformation", "package", "--template-file", example.Output("template.yaml"),
            "--s3-bucket", "artifacts", "--output-template-file", packaged);
        code.ShouldBe(0, output);

        var lines = YamlShape.Lines(File.ReadAllText(packaged));
        foreach (var (id, zip, property) in new[]
        {
            ("CoreDataScienceLayer", "layers/CoreDataScienceLayer.zip", "ContentUri"),
            ("PredictionsFunction", "functions/PredictionsFunction.zip", "CodeUri"),
        })
        {
            // The packager names the object after the file's MD5; the same name proves the zip went up as it is.
            var md5 = Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(example.Output(zip))));
            lines.ShouldContain($"/Resources/{id}/Properties/{property} - s3://artifacts/{md5}");
        }
        // The packager writes intrinsics in long form; every one of ours must have survived into it.
        var ours = YamlShape.Tags(File.ReadAllText(example.Output("template.yaml")));
        var theirs = lines.Select(l => l.Split(' ')[0].Split('/')[^1]).Where(k => k == "Ref" || (k.StartsWith("Fn::") && !k.Contains('['))).ToList();
        theirs.Count.ShouldBe(ours.Count);
        var (_, listing) = moto.Aws("s3api", "list-objects-v2", "--bucket", "artifacts", "--query", "length(Contents)");
        listing.Trim().ShouldBe("6");
    }
}
