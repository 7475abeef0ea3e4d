namespace LambdaSlim.Project;

/// <summary>A layer a function uses: one built from this template, or one given by ARN that is left as it is.</summary>
public abstract record LayerRef
{
    public sealed record Local(string LogicalId) : LayerRef
    {
        public override string ToString() => LogicalId;
    }

    /// <summary>An ARN, or an intrinsic such as !Sub or !ImportValue we cannot resolve at build time.</summary>
    public sealed record External(string Display) : LayerRef
    {
        public override string ToString() => Display;
    }
}
