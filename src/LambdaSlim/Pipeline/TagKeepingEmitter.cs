using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LambdaSlim.Pipeline;

/// <summary>
/// YamlDotNet's node model writes every mapping as implicit, which drops its tag: <c>!Transform {Name: AWS::Include, ...}</c>
/// would come out as a plain mapping, and the API would deploy that mapping as its OpenAPI body. This emitter
/// makes a tagged mapping explicit, so its tag is written as the user wrote it.
/// </summary>
internal sealed class TagKeepingEmitter(IEmitter inner) : IEmitter
{
    public void Emit(ParsingEvent @event) => inner.Emit(
        @event is MappingStart { IsImplicit: true } start && !start.Tag.IsEmpty && !start.Tag.IsNonSpecific
            ? new MappingStart(start.Anchor, start.Tag, isImplicit: false, start.Style, start.Start, start.End)
            : @event);
}
