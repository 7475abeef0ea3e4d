using LambdaSlim.Model;

namespace LambdaSlim.Bytecode;

/// <param name="VerifyBefore">The unpruned contents with the same bytecode: the baseline import verification compares against.</param>
/// <param name="Shipped">What goes into the zip: the pruned contents, the vendored libraries, and bytecode compiled for the runtime.</param>
public sealed record BytecodeOutcome(ArtifactContents VerifyBefore, ArtifactContents Shipped, BytecodeReport Report);
