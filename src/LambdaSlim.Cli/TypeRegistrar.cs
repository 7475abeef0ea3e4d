using Spectre.Console.Cli;

namespace LambdaSlim.Cli;

/// <summary>
/// The smallest registrar Spectre.Console.Cli needs to hand commands their dependencies (the consoles),
/// so tests can run commands in-process against recording consoles.
/// </summary>
internal sealed class TypeRegistrar : ITypeRegistrar, ITypeResolver
{
    private readonly Dictionary<Type, List<Func<object>>> _factories = [];

    public void Register(Type service, Type implementation) => Add(service, () => Create(implementation));
    public void RegisterInstance(Type service, object implementation) => Add(service, () => implementation);
    public void RegisterLazy(Type service, Func<object> factory) => Add(service, factory);
    public ITypeResolver Build() => this;

    public object? Resolve(Type? type)
    {
        if (type is null) return null;
        if (_factories.TryGetValue(type, out var f)) return f[^1]();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>))
        {
            var item = type.GetGenericArguments()[0];
            var all = _factories.TryGetValue(item, out var list) ? list.Select(x => x()).ToArray() : [];
            var array = Array.CreateInstance(item, all.Length);
            for (var i = 0; i < all.Length; i++) array.SetValue(all[i], i);
            return array;
        }
        return type.IsInterface || type.IsAbstract ? null : Create(type);
    }

    private void Add(Type service, Func<object> factory)
    {
        if (!_factories.TryGetValue(service, out var list)) _factories[service] = list = [];
        list.Add(factory);
    }

    private object Create(Type type)
    {
        var ctor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        if (ctor is null) return Activator.CreateInstance(type)!;
        var args = ctor.GetParameters().Select(p => Resolve(p.ParameterType)).ToArray();
        return ctor.Invoke(args);
    }
}
