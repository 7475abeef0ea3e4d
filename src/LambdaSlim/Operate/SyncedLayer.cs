namespace LambdaSlim.Operate;

/// <summary>A layer sync looked at.</summary>
/// <param name="VersionArn">The version its functions now use: the one published, or the latest when it already had this zip.</param>
/// <param name="Published">A new version was published because the zip differed from the latest version's.</param>
/// <param name="ThroughS3">The zip was over the direct-upload limit and went through the artifact bucket.</param>
public sealed record SyncedLayer(string LogicalId, string LayerName, string VersionArn, bool Published, bool ThroughS3 = false);
