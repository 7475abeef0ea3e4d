namespace LambdaSlim.Operate;

/// <summary>A function's code in Lambda against the local build.</summary>
public enum StatusCode
{
    /// <summary>Lambda runs the zip the last build made.</summary>
    InSync,

    /// <summary>Lambda runs other code: deploy or sync to bring it up to date.</summary>
    Differs,

    /// <summary>Built here, but the stack has no such function.</summary>
    NotDeployed,

    /// <summary>In the stack, but the last build here made no zip for it (or there is no build).</summary>
    NotBuilt,
}
