using LambdaSlim.Audit;
using LambdaSlim.Bytecode;
using LambdaSlim.Install;
using LambdaSlim.IO;
using LambdaSlim.Model;
using LambdaSlim.Package;
using LambdaSlim.Project;
using LambdaSlim.Prune;
using LambdaSlim.Validate;
using LambdaSlim.Verify;
using LambdaSlim.Cache;
using LambdaSlim.Trace;

namespace LambdaSlim.Pipeline;

/// <summary>
/// The build, stage by stage: read the template; install, prune and compile bytecode for layers, then functions;
/// audit native binaries and verify imports; zip; write the rewritten template and the report; check the limits.
/// </summary>
public static class BuildPipeline
{
    public const string ToolName = "lambdaslim";
    public static string ToolVersion => typeof(BuildPipeline).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static async Task<BuildResult> RunAsync(BuildRequest request, IBuildObserver observer, CancellationToken cancellationToken = default)
    {
        using var interpreters = Runtimes.PythonFinder.Use(request.Settings.PythonFor);
        var project = ProjectLoader.Load(request.ProjectDir, request.TemplatePath);
        var paths = new BuildPaths(project.ProjectDir);
        using var projectLock = ProjectLock.Acquire(paths,
            [Path.GetDirectoryName(Path.GetFullPath(request.ExternalLayerCache ?? ExternalLayerSizer.DefaultCache))!, .. SharedCache.WriteRoots(request, project)]);
        var context = new BuildContext(project, paths, request.Settings with { ForceInstall = request.Settings.ForceInstall || request.Clean }, observer);
        foreach (var s in project.Skipped) observer.Info($"{s.LogicalId}: left to SAM ({s.Reason})");
        WarnAboutMismatchedLayers(project, observer);
        var tracing = TraceTargets.Resolve(project);
        foreach (var w in tracing.Warnings) observer.Warn(w);

        if (request.Clean && request.Scope == BuildScope.All) WriteBoundary.DeleteDirectory(paths.Work);
        var previous = BuildReport.TryLoad(paths.Report);
        var layerReports = (previous?.Layers ?? []).ToDictionary(a => a.LogicalId);
        var functionReports = (previous?.Functions ?? []).ToDictionary(a => a.LogicalId);

        // Stage 1: install and prepare. Layers come first: functions leave out what their layers provide.
        var selectedLayers = request.LayerNames.Count == 0 ? project.Layers : request.LayerNames.SelectMany(project.SelectLayers).Distinct().ToList();
        var buildFunctions = request.Scope != BuildScope.LayersOnly && request.LayerNames.Count == 0;
        var neededLayers = project.Layers.Where(l => selectedLayers.Contains(l)
            || (buildFunctions && project.Functions.Any(f => f.Layers.Contains(new LayerRef.Local(l.LogicalId))))
            || selectedLayers.Any(s => s.AssumesLayers.Contains(l.LogicalId))).ToList();
        var incremental = IncrementalState.Open(context, request, previous);
        using var shared = SharedCache.Open(request, project, paths, observer);
        // A full build chooses every resource's own files first (a secret fails the build before any pip runs), then
        // starts every install side by side: pip mostly waits on unpacking and I/O. What a function or layer leaves
        // out because a layer provides it is decided afterwards, from what was installed, so the order does not matter.
        using var installs = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var early = request.Scope == BuildScope.All && request.LayerNames.Count == 0
            ? StartInstalls(context, shared.Enabled ? [] : neededLayers, project.Functions, installs.Token)
            : EarlyInstalls.None;
        var layers = new List<PreparedArtifact>();
        var provided = new Dictionary<string, IReadOnlyList<Distribution>>();
        var fromShared = new Dictionary<string, SharedCache.CachedLayer>(StringComparer.Ordinal);
        var sharedKeys = new Dictionary<string, CacheKey>(StringComparer.Ordinal);
        var functions = new List<GroupedFunction>();
        try
        {
            foreach (var spec in neededLayers)
            {
                var zipThis = request.Scope != BuildScope.FunctionsOnly && selectedLayers.Contains(spec);
                // A traced layer depends on its functions' code and events, which the shared cache's key does not cover.
                if (shared.Enabled && spec.Build == BuildKind.Pip && !tracing.Traced.Contains($"{ArtifactReport.LayerKind} {spec.LogicalId}"))
                {
                    var key = incremental.SharedLayerKey(spec, provided);
                    sharedKeys[$"{ArtifactReport.LayerKind} {spec.LogicalId}"] = key;
                    var builtHere = incremental.BuiltHereWith(spec, key);
                    incremental.RememberSharedKey(spec.LogicalId, key);
                    if (!builtHere && await shared.TryGetLayerAsync(key, cancellationToken).ConfigureAwait(false) is { } cached)
                    {
                        observer.Info($"layer {spec.LogicalId}: taken from the shared cache, so pip did not run ({Bytes.Format(cached.Report.ZippedBytes)} zipped)");
                        var hit = new PreparedArtifact(spec.LogicalId, ArtifactReport.LayerKind, spec.Runtime, spec.Architecture, cached.Contents, cached.Provides,
                            paths.LayerZip(spec.LogicalId), BuildPaths.LayerZipRelative(spec.LogicalId))
                        {
                            AssumesLayers = spec.AssumesLayers.Count > 0 ? spec.AssumesLayers : null,
                            LeftOutSecrets = cached.Report.LeftOutSecrets,
                        };
                        fromShared[hit.Name] = cached;
                        provided[spec.LogicalId] = hit.Provides;
                        layers.Add(hit);
                        continue;
                    }
                }
                if (!zipThis && spec.Build == BuildKind.Pip && !Directory.Exists(paths.LayerInstall(spec.LogicalId)) && File.Exists(spec.RequirementsFile))
                    throw LambdaSlimException.Input($"layer {spec.LogicalId} is not built yet", "run 'lambdaslim build' or 'lambdaslim layers build all' first");
                var layer = spec.Build == BuildKind.Pip
                    ? early.Layers.TryGetValue(spec.LogicalId, out var layerStart)
                        ? await LayerBuilder.RunAsync(context.Install, spec, layerStart.Sources, layerStart.Installing, provided, cancellationToken).ConfigureAwait(false)
                        : await LayerBuilder.RunAsync(context.Install, spec, provided, cancellationToken).ConfigureAwait(false)
                    : TreeArtifact.Run(context.Install, spec, await TreeRootAsync(context, ArtifactReport.LayerKind, spec.LogicalId, spec.Make, spec.ContentDir, cancellationToken).ConfigureAwait(false));
                provided[spec.LogicalId] = layer.Provides;
                layers.Add(layer);
            }
            if (buildFunctions)
                foreach (var spec in project.Functions)
                {
                    var fn = spec.Build == BuildKind.Pip
                        ? early.Functions.TryGetValue(spec.LogicalId, out var fnStart)
                            ? await FunctionBuilder.RunAsync(context.Install, spec, fnStart.Sources, fnStart.Installing, provided, cancellationToken).ConfigureAwait(false)
                            : await FunctionBuilder.RunAsync(context.Install, spec, provided, cancellationToken).ConfigureAwait(false)
                        : TreeArtifact.Run(context.Install, spec, await TreeRootAsync(context, ArtifactReport.FunctionKind, spec.LogicalId, spec.Make, spec.CodeDir, cancellationToken).ConfigureAwait(false));
                    functions.Add(new GroupedFunction(fn, spec.Layers.OfType<LayerRef.Local>().Select(l => l.LogicalId).ToList(), spec.HandlerModule, spec.HandlerFunction, spec.Variables));
                }
        }
        catch
        {
            // A failure stops the installs still running; they leave nothing but their own temporary folders.
            await installs.CancelAsync().ConfigureAwait(false);
            await early.SettleAsync().ConfigureAwait(false);
            throw;
        }
        var prepared = layers.Concat(functions.Select(f => f.Artifact)).ToList();

        // Each artifact's key says whether the last build's zip, audit and verification still hold for it. Prune and
        // bytecode run only for artifacts something still needs: a changed one, or an unchanged one in a group that is
        // checked again.
        var keys = incremental.Keys(prepared.Where(a => !fromShared.ContainsKey(a.Name)).ToList());
        var states = new Dictionary<string, ArtifactState>(StringComparer.Ordinal);
        // A layer from the shared cache is what shipped: pruned and compiled where it was made.
        foreach (var (name, cached) in fromShared)
        {
            keys[name] = new CacheKey(cached.Report.InputKey!);
            var artifact = prepared.Single(a => a.Name == name);
            states[name] = new ArtifactState(artifact, Pruner.None(cached.Contents),
                new BytecodeOutcome(cached.Contents, cached.Contents, cached.Report.Bytecode ?? new BytecodeReport("none", null, 0, 0)), new Dictionary<string, string>());
        }
        var groups = ArtifactGroups.Of(layers, functions);
        var byName = prepared.ToDictionary(a => a.Name, StringComparer.Ordinal);
        var findings = new List<Finding>();
        var traceGroups = TraceGroups(groups, tracing);
        if (!buildFunctions)
            foreach (var layer in layers.Where(l => tracing.Traced.Contains(l.Name)))
                observer.Warn($"{layer.Name}: prune: traced runs the functions that use it, which a build of layers alone does not prepare, so it is pruned as with prune: safe; build everything to trace it");
        var ownKeys = new Dictionary<string, CacheKey>(keys, StringComparer.Ordinal);
        foreach (var traced in tracing.Traced.Where(keys.ContainsKey)) keys[traced] = TracedKey(traced, ownKeys, traceGroups);
        Task? tracedOnce = null;
        async Task<ArtifactState> StateOf(PreparedArtifact artifact)
        {
            if (tracing.Traced.Contains(artifact.Name) && traceGroups.Any(g => g.Group.Members.Contains(artifact.Name)))
            {
                // A traced artifact's state comes from tracing every function on it, once for all of them.
                await (tracedOnce ??= TraceAsync(context, request.Repair, traceGroups, tracing, byName, states, StateOf, findings, cancellationToken)).ConfigureAwait(false);
                return states[artifact.Name];
            }
            if (!states.TryGetValue(artifact.Name, out var state))
                states[artifact.Name] = state = await PruneAndCompileAsync(context, artifact, cancellationToken).ConfigureAwait(false);
            return state;
        }
        foreach (var artifact in prepared.Where(a => incremental.Reusable(a, keys[a.Name]) is null))
            await StateOf(artifact).ConfigureAwait(false);

        // Stage 2: prove every binary loads on Lambda and pruning broke no import, before anything is written. Both
        // check what Lambda loads together, grouped once here; their repairs rerun the stages before them.
        async Task<Dictionary<string, ArtifactState>> StatesOf(IEnumerable<ArtifactGroup> checkedGroups)
        {
            foreach (var member in checkedGroups.SelectMany(g => g.Members).Distinct()) await StateOf(byName[member]).ConfigureAwait(false);
            return states;
        }
        if (request.Audit != AuditMode.Off)
        {
            var (known, unknown) = await incremental.SplitAsync(groups, g => StageKeys.Audit(g, keys, request.Audit, Runtimes.RuntimeManifest.BuiltIn.Fingerprint), shared, cancellationToken).ConfigureAwait(false);
            var audited = unknown.Count == 0 ? NoFindings : Audit(context, new ArtifactGroups(unknown.Select(u => u.Group).ToList()), await StatesOf(unknown.Select(u => u.Group)).ConfigureAwait(false), request.Audit, request.Repair);
            findings.AddRange(await incremental.MergeAsync(known, unknown, audited, shared, cancellationToken).ConfigureAwait(false));
            if (unknown.Count == 0) observer.Info($"audit: every group is unchanged since the last build, so its findings stand ({known.Sum(k => k.Findings.Count)})");
        }
        if (!request.SkipValidation && request.Verify)
        {
            var optionalImports = OptionalImports(project);
            var (known, unknown) = await incremental.SplitAsync(groups, g => StageKeys.Verify(g, keys,
                g.Members.Append("").SelectMany(m => optionalImports.GetValueOrDefault(m) ?? []), StageKeys.Interpreter(g.Runtime)), shared, cancellationToken).ConfigureAwait(false);
            var verified = unknown.Count == 0 ? NoFindings : await VerifyAsync(context, new ArtifactGroups(unknown.Select(u => u.Group).ToList()),
                await StatesOf(unknown.Select(u => u.Group)).ConfigureAwait(false), optionalImports, request.Repair, cancellationToken).ConfigureAwait(false);
            findings.AddRange(await incremental.MergeAsync(known, unknown, verified, shared, cancellationToken).ConfigureAwait(false));
            if (unknown.Count == 0) observer.Info("imports: every group is unchanged since the last build, so its verification stands");
        }
        if (findings.Any(f => f.Severity == Severity.Error) || !request.WriteArtifacts)
        {
            await incremental.SaveAsync(cancellationToken).ConfigureAwait(false);
            return new BuildResult(project, paths, previous ?? Compose(project, paths, [], [], ""), findings);
        }

        // Stage 3: zip what changed into a staged folder, bring along what did not, then the rewritten template and
        // the report, then switch over whole. When nothing changed at all, nothing is written.
        var zipLayers = layers.Where(l => request.Scope != BuildScope.FunctionsOnly && selectedLayers.Any(s => s.LogicalId == l.LogicalId)).ToList();
        var toZip = zipLayers.Concat(functions.Select(f => f.Artifact)).ToList();
        // Zip bytes depend on the compressor as well as the inputs, so the report says which one made them.
        var compressor = $"{Package.Deflater.Default.Name}, {request.Settings.Compression.ToString().ToLowerInvariant()}";
        var external = await MeasureExternalLayersAsync(project, request, observer, cancellationToken).ConfigureAwait(false);
        var unchanged = toZip.Select(a => incremental.Reusable(a, keys[a.Name])).ToList();
        if (unchanged.All(u => u is not null) && previous is not null)
        {
            foreach (var kept in unchanged) (kept!.Kind == ArtifactReport.LayerKind ? layerReports : functionReports)[kept.LogicalId] = kept;
            var same = Compose(project, paths, layerReports, functionReports, compressor, external);
            if (StagedOutput.IsCommitted(paths, project, same))
            {
                await incremental.SaveAsync(cancellationToken).ConfigureAwait(false);
                if (!request.SkipValidation) findings.AddRange(LimitCheck.Check(same, TargetsFor(project)));
                return new BuildResult(project, paths, same, findings, Unchanged: true);
            }
        }
        using var staged = StagedOutput.Begin(paths);
        var rebuilt = new HashSet<string>(StringComparer.Ordinal);
        foreach (var artifact in toZip)
        {
            var reports = artifact.Kind == ArtifactReport.LayerKind ? layerReports : functionReports;
            if (incremental.Reusable(artifact, keys[artifact.Name]) is { } kept && staged.CarryOver(kept))
            {
                reports[artifact.LogicalId] = kept;
                observer.Info($"{artifact.Name}: unchanged since the last build, its zip is kept as it was");
            }
            else if (fromShared.TryGetValue(artifact.Name, out var cached))
            {
                staged.Adopt(cached.Zip, cached.Report);
                reports[artifact.LogicalId] = cached.Report;
            }
            else
            {
                var zip = artifact.Kind == ArtifactReport.LayerKind ? staged.Paths.LayerZip(artifact.LogicalId) : staged.Paths.FunctionZip(artifact.LogicalId);
                var made = await ZipAsync(context, await StateOf(artifact).ConfigureAwait(false), zip, cancellationToken).ConfigureAwait(false) with { InputKey = keys[artifact.Name].Value };
                reports[artifact.LogicalId] = made;
                if (sharedKeys.TryGetValue(artifact.Name, out var sharedKey))
                    await shared.PutLayerAsync(sharedKey, made, artifact.Provides, zip, cancellationToken).ConfigureAwait(false);
            }
            rebuilt.Add(artifact.LogicalId);
        }
        // What this build did not zip comes along from the last one, if the template still has it and its zip is intact.
        var inTemplate = project.Layers.Select(l => l.LogicalId).Concat(project.Functions.Select(f => f.LogicalId)).ToHashSet(StringComparer.Ordinal);
        foreach (var kept in layerReports.Values.Concat(functionReports.Values).Where(a => !rebuilt.Contains(a.LogicalId) && inTemplate.Contains(a.LogicalId)).ToList())
            if (!staged.CarryOver(kept))
                observer.Warn($"{kept.Kind} {kept.LogicalId}: its zip from the last build is missing or changed, so it is left out; build it again");

        var report = Compose(project, staged.Paths, layerReports, functionReports, compressor, external);
        await staged.CommitAsync(project, report, previous, cancellationToken).ConfigureAwait(false);
        await incremental.SaveAsync(cancellationToken).ConfigureAwait(false);
        if (!request.SkipValidation) findings.AddRange(LimitCheck.Check(report, TargetsFor(project)));
        return new BuildResult(project, paths, report, findings);
    }

    /// <summary>
    /// Chooses the own files of the given pip-built layers and functions (warnings, and a secret fails here, before any
    /// pip runs), then starts their installs, at most as many at once as there are cores.
    /// </summary>
    private static EarlyInstalls StartInstalls(BuildContext context, IReadOnlyList<LayerSpec> layers, IReadOnlyList<FunctionSpec> functions, CancellationToken cancellationToken)
    {
        var install = context.Install;
        var layerSources = layers.Where(l => l.Build == BuildKind.Pip).Select(l => (Spec: l, Sources: LayerBuilder.Sources(install, l))).ToList();
        var functionSources = functions.Where(f => f.Build == BuildKind.Pip).Select(f => (Spec: f, Sources: FunctionBuilder.Sources(install, f))).ToList();
        var throttle = new SemaphoreSlim(Math.Max(1, Environment.ProcessorCount));
        async Task<string> Throttled(InstallRequest request, string work)
        {
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try { return await InstallStage.RunAsync(install, request, work, cancellationToken).ConfigureAwait(false); }
            finally { throttle.Release(); }
        }
        var started = new EarlyInstalls(
            layerSources.ToDictionary(l => l.Spec.LogicalId, l => new EarlyInstall(l.Sources,
                LayerBuilder.Install(install, l.Spec) is { } r ? Throttled(r, context.Paths.LayerWork(l.Spec.LogicalId)) : null), StringComparer.Ordinal),
            functionSources.ToDictionary(f => f.Spec.LogicalId, f => new EarlyInstall(f.Sources,
                FunctionBuilder.Install(install, f.Spec) is { } r ? Throttled(r, context.Paths.FunctionWork(f.Spec.LogicalId)) : null), StringComparer.Ordinal));
        return started;
    }

    /// <summary>Each resource's optional-imports by artifact name, and the template's under "".</summary>
    private static Dictionary<string, IReadOnlyList<string>> OptionalImports(ProjectModel project) =>
        project.Layers.Select(l => ($"{ArtifactReport.LayerKind} {l.LogicalId}", l.Settings))
            .Concat(project.Functions.Select(f => ($"{ArtifactReport.FunctionKind} {f.LogicalId}", f.Settings)))
            .Append(("", project.Defaults))
            .ToDictionary(p => p.Item1, p => p.Item2.GetList("optional-imports"), StringComparer.Ordinal);

    /// <summary>A resource's settings as its stages read them: what make built, or a folder shipped as it is, is pruned only when asked.</summary>
    internal static LambdaSlimSettings SettingsOf(ProjectModel project, string logicalId)
    {
        if (project.Layers.FirstOrDefault(l => l.LogicalId == logicalId) is { } layer) return TreeArtifact.Settings(layer.Build, layer.Settings, project.Defaults);
        var fn = project.Functions.Single(f => f.LogicalId == logicalId);
        return TreeArtifact.Settings(fn.Build, fn.Settings, project.Defaults);
    }

    /// <summary>The tree a resource ships as it is: what `make build-&lt;LogicalId&gt;` puts in ARTIFACTS_DIR (makefile builds), or its folder.</summary>
    private static async Task<string> TreeRootAsync(BuildContext context, string kind, string logicalId, MakeBuild? make, string folder, CancellationToken cancellationToken) =>
        make is null ? folder : await MakeRunner.BuildAsync(context, logicalId, $"{kind} {logicalId}", make, cancellationToken).ConfigureAwait(false);

    /// <summary>Prune, then bytecode: what every prepared artifact goes through before the checks.</summary>
    private static async Task<ArtifactState> PruneAndCompileAsync(BuildContext context, PreparedArtifact artifact, CancellationToken cancellationToken)
    {
        var prune = PruneStage.Run(artifact, PruneSettings.From(SettingsOf(context.Project, artifact.LogicalId), context.Project.Defaults, artifact.Name),
            Path.Combine(context.Paths.Work, "stripped"), context.Observer);
        var vendored = new Dictionary<string, string>(StringComparer.Ordinal);
        return new ArtifactState(artifact, prune, await CompileAsync(context, artifact, prune, vendored, cancellationToken).ConfigureAwait(false), vendored);
    }

    private static Task<BytecodeOutcome> CompileAsync(
        BuildContext context, PreparedArtifact artifact, PruneOutcome prune, IReadOnlyDictionary<string, string> vendored, CancellationToken cancellationToken) =>
        BytecodeStage.RunAsync(artifact, prune, vendored, BytecodeSettings.From(SettingsOf(context.Project, artifact.LogicalId), context.Project.Defaults, artifact.Name),
            Path.Combine(context.Paths.Work, "bytecode"), context.Observer, cancellationToken);

    /// <summary>Every function with events whose group has a traced artifact: a traced layer is traced through every function on it.</summary>
    private static List<TracedGroup> TraceGroups(ArtifactGroups groups, TraceTargets tracing) =>
        groups.All.Where(g => g.Function is not null && g.HandlerModule is not null && g.HandlerFunction is not null
                && tracing.EventsOf.ContainsKey(g.Function) && g.Members.Any(tracing.Traced.Contains))
            .Select(g => new TracedGroup(g, tracing.EventsOf[g.Function!])).ToList();

    /// <summary>
    /// A traced artifact's key: its own, and every group it is traced in (each member's own key, the handler, and
    /// every event's bytes), since what it keeps depends on the code that runs and the events it runs on.
    /// </summary>
    private static CacheKey TracedKey(string name, IReadOnlyDictionary<string, CacheKey> keys, IReadOnlyList<TracedGroup> traceGroups)
    {
        var key = new KeyBuilder("traced").Add("artifact", keys[name].Value);
        foreach (var g in traceGroups.Where(g => g.Group.Members.Contains(name)))
            key.Add("group", [g.Group.Name, $"{g.Group.HandlerModule}.{g.Group.HandlerFunction}", .. StageKeys.Variables(g.Group),
                .. g.Group.Members.Select(m => $"{m}\t{(keys.TryGetValue(m, out var k) ? k.Value : "")}"),
                .. g.Events.Select(e => $"{e.Label}\t{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(e.File)))}")]);
        return key.Build();
    }

    private const int MaxReplayRepairRounds = 5;

    /// <summary>
    /// prune: traced: the safe rules on every artifact of the traced groups, the trace, bytecode for what it kept,
    /// then the replay that proves it; with repair, puts back the files a replay named (recompiling) and replays again.
    /// </summary>
    private static async Task TraceAsync(BuildContext context, bool repair, IReadOnlyList<TracedGroup> traceGroups, TraceTargets tracing,
        Dictionary<string, PreparedArtifact> byName, Dictionary<string, ArtifactState> states, Func<PreparedArtifact, Task<ArtifactState>> stateOf,
        List<Finding> findings, CancellationToken cancellationToken)
    {
        var pruned = new Dictionary<string, PruneOutcome>(StringComparer.Ordinal);
        foreach (var member in traceGroups.SelectMany(g => g.Group.Members).Distinct())
        {
            var artifact = byName[member];
            pruned[member] = tracing.Traced.Contains(member)
                ? PruneStage.Run(artifact, PruneSettings.From(SettingsOf(context.Project, artifact.LogicalId), context.Project.Defaults, member),
                    Path.Combine(context.Paths.Work, "stripped"), context.Observer)
                : (await stateOf(artifact).ConfigureAwait(false)).Prune;
        }
        var traceKeep = tracing.Traced.Where(byName.ContainsKey).ToDictionary(t => t,
            t => PruneSettings.From(SettingsOf(context.Project, byName[t].LogicalId), context.Project.Defaults, t).TraceKeep ?? [], StringComparer.Ordinal);
        var traced = await TraceStage.TraceAsync(traceGroups, pruned, tracing.Traced, traceKeep, context.Paths.Work, context.Observer, cancellationToken).ConfigureAwait(false);
        findings.AddRange(traced.Findings);
        foreach (var name in tracing.Traced.Where(pruned.ContainsKey))
        {
            var prune = traced.Pruned.GetValueOrDefault(name) ?? pruned[name];
            var vendored = new Dictionary<string, string>(StringComparer.Ordinal);
            states[name] = new ArtifactState(byName[name], prune, await CompileAsync(context, byName[name], prune, vendored, cancellationToken).ConfigureAwait(false), vendored);
        }
        for (var round = 0; ; round++)
        {
            var replay = await TraceStage.ReplayAsync(traceGroups, states.ToDictionary(s => s.Key, s => s.Value.Verified, StringComparer.Ordinal), traced.Baseline,
                context.Paths.Work, context.Observer, cancellationToken).ConfigureAwait(false);
            if (!repair || replay.Restore.Count == 0 || round >= MaxReplayRepairRounds)
            {
                findings.AddRange(replay.Findings);
                return;
            }
            foreach (var restore in replay.Restore)
            {
                var state = states[restore.Artifact];
                var prune = PruneStage.Run(state.Prune, restore.ArchivePaths);
                states[restore.Artifact] = state with { Prune = prune, Bytecode = await CompileAsync(context, state.Artifact, prune, state.Vendored, cancellationToken).ConfigureAwait(false) };
                context.Observer.Warn($"repair: put back {string.Join(", ", restore.Files.Select(f => f.ArchivePath))} in {restore.Artifact}, which the replay of an event needed; replaying again");
            }
        }
    }

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<Finding>> NoFindings = new Dictionary<string, IReadOnlyList<Finding>>();

    private const int MaxAuditRepairRounds = 10;
    private const int MaxVerifyRepairRounds = 5;

    /// <summary>The audit, with each group's findings; with repair, vendors the missing libraries it finds on this machine and audits again.</summary>
    private static IReadOnlyDictionary<string, IReadOnlyList<Finding>> Audit(BuildContext context, ArtifactGroups groups, Dictionary<string, ArtifactState> states, AuditMode mode, bool repair)
    {
        AuditOutcome outcome;
        using (var step = context.Observer.Step(AuditStage.StepTitle))
        {
            for (var round = 0; ; round++)
            {
                var audited = states.ToDictionary(s => s.Key, s => s.Value.Audited, StringComparer.Ordinal);
                outcome = AuditStage.Run(groups, audited, context.Project.ProjectDir);
                if (!repair || round >= MaxAuditRepairRounds) break;
                var plan = AuditStage.PlanRepair(outcome, audited);
                foreach (var warning in plan.Warnings) context.Observer.Warn(warning);
                if (plan.Libraries.Count == 0) break;
                foreach (var libraries in plan.Libraries.GroupBy(l => l.Artifact))
                    states[libraries.Key] = states[libraries.Key].WithVendored(libraries);
            }
            step.Status(outcome.Summary);
        }
        var severity = mode == AuditMode.Error ? Severity.Error : Severity.Warning;
        return outcome.ByGroup.ToDictionary(g => g.Key,
            g => (IReadOnlyList<Finding>)g.Value.Select(f => new Finding(severity, f.Artifact, $"{f.Problem}: {f.Fix}", "audit")).ToList(), StringComparer.Ordinal);
    }

    /// <summary>Import verification; with repair, puts back the files failing imports needed (recompiling what changed) and verifies again.</summary>
    private static async Task<IReadOnlyDictionary<string, IReadOnlyList<Finding>>> VerifyAsync(BuildContext context, ArtifactGroups groups, Dictionary<string, ArtifactState> states,
        IReadOnlyDictionary<string, IReadOnlyList<string>> optionalImports, bool repair, CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            var outcome = await VerifyStage.RunAsync(groups, states.ToDictionary(s => s.Key, s => s.Value.Verified, StringComparer.Ordinal), optionalImports,
                Path.Combine(context.Paths.Work, "verify"), context.Observer, cancellationToken).ConfigureAwait(false);
            if (!repair || outcome.Restore.Count == 0 || round >= MaxVerifyRepairRounds) return IncrementalState.ByGroup(groups, outcome.Findings);
            foreach (var restore in outcome.Restore)
            {
                var state = states[restore.Artifact];
                var prune = PruneStage.Run(state.Prune, restore.ArchivePaths);
                var bytecode = await CompileAsync(context, state.Artifact, prune, state.Vendored, cancellationToken).ConfigureAwait(false);
                states[restore.Artifact] = state with { Prune = prune, Bytecode = bytecode };
                context.Observer.Warn(restore.Message);
            }
        }
    }

    private static Task<ArtifactReport> ZipAsync(BuildContext context, ArtifactState state, string zipPath, CancellationToken cancellationToken) =>
        ArtifactZipper.RunAsync(state.Artifact, state.Bytecode.Shipped, state.Prune.Report, state.Bytecode.Report, zipPath,
            context.Settings.Compression, context.Observer, cancellationToken);

    /// <summary>Only artifacts that are in the template now and whose zip exists make it into the report.</summary>
    private static BuildReport Compose(ProjectModel project, BuildPaths paths, Dictionary<string, ArtifactReport> layers, Dictionary<string, ArtifactReport> functions, string compressor, IReadOnlyDictionary<string, ExternalLayerSize>? external = null)
    {
        var layerReports = project.Layers.Where(l => layers.ContainsKey(l.LogicalId) && File.Exists(paths.LayerZip(l.LogicalId)))
            .Select(l => layers[l.LogicalId]).ToList();
        var functionReports = project.Functions.Where(f => functions.ContainsKey(f.LogicalId) && File.Exists(paths.FunctionZip(f.LogicalId)))
            .Select(f => functions[f.LogicalId]).ToList();
        var byLayer = layerReports.ToDictionary(l => l.LogicalId);

        var totals = new List<FunctionTotalReport>();
        foreach (var fr in functionReports)
        {
            var fn = project.Functions.Single(f => f.LogicalId == fr.LogicalId);
            var fnLayers = fn.Layers.Select(r => r switch
            {
                LayerRef.Local l => new FunctionLayerReport(l.LogicalId, false, byLayer.GetValueOrDefault(l.LogicalId)?.UnzippedBytes),
                _ => external?.GetValueOrDefault(r.ToString()!) is { } e
                    ? new FunctionLayerReport(e.Arn, true, e.UnzippedBytes, e.Reason)
                    : new FunctionLayerReport(r.ToString()!, true, null, "not measured"),
            }).ToList();
            var total = fr.UnzippedBytes + fnLayers.Sum(l => l.UnzippedBytes ?? 0);
            totals.Add(new FunctionTotalReport(fn.LogicalId, fn.Handler, fnLayers, total, fnLayers.Any(l => l.UnzippedBytes is null)));
        }
        var template = Path.GetRelativePath(project.ProjectDir, project.Template.Path).Replace('\\', '/');
        return new BuildReport(ToolName, ToolVersion, template, compressor, layerReports, functionReports, totals);
    }

    /// <summary>Layers given by ARN count against the limit too: measure each once (cached by ARN).</summary>
    private static async Task<IReadOnlyDictionary<string, ExternalLayerSize>> MeasureExternalLayersAsync(
        ProjectModel project, BuildRequest request, IBuildObserver observer, CancellationToken cancellationToken)
    {
        var arns = project.Functions.SelectMany(f => f.Layers).OfType<LayerRef.External>().Select(l => l.Display).Distinct().ToList();
        var sizes = new Dictionary<string, ExternalLayerSize>();
        if (arns.Count == 0 || request.SkipExternalLayers) return sizes;
        using var step = observer.Step($"Measuring {arns.Count} layer{(arns.Count == 1 ? "" : "s")} from outside the template");
        foreach (var arn in arns)
            sizes[arn] = await ExternalLayerSizer.MeasureAsync(arn, request.ExternalLayerCache ?? ExternalLayerSizer.DefaultCache,
                request.Aws, request.AwsEnvironment, cancellationToken: cancellationToken).ConfigureAwait(false);
        return sizes;
    }

    /// <summary>Each resource's size targets: its own Metadata: LambdaSlim: targets:, else the template's, else the defaults.</summary>
    public static Func<string, SizeTargets> TargetsFor(ProjectModel project)
    {
        var settings = project.Layers.Select(l => (l.LogicalId, l.Settings)).Concat(project.Functions.Select(f => (f.LogicalId, f.Settings))).ToDictionary();
        return id => SizeTargets.From(settings.GetValueOrDefault(id) ?? LambdaSlimSettings.None, project.Defaults, id);
    }

    /// <summary>Commits the build again without the given artifacts (`layers clean`): the rest is carried over unchanged.</summary>
    public static async Task RemoveArtifactsAsync(ProjectModel project, BuildPaths paths, IReadOnlySet<string> removed, CancellationToken cancellationToken)
    {
        var previous = BuildReport.TryLoad(paths.Report);
        if (previous is null) return;
        using var staged = StagedOutput.Begin(paths);
        var layers = previous.Layers.Where(a => !removed.Contains(a.LogicalId) && staged.CarryOver(a)).ToDictionary(a => a.LogicalId);
        var functions = previous.Functions.Where(a => !removed.Contains(a.LogicalId) && staged.CarryOver(a)).ToDictionary(a => a.LogicalId);
        var report = Compose(project, staged.Paths, layers, functions, previous.Compressor);
        await staged.CommitAsync(project, report, previous, cancellationToken).ConfigureAwait(false);
    }

    private static void WarnAboutMismatchedLayers(ProjectModel project, IBuildObserver observer)
    {
        foreach (var fn in project.Functions)
            foreach (var layer in fn.Layers.OfType<LayerRef.Local>().Select(l => project.Layer(l.LogicalId)))
            {
                if (layer.Runtime.Name != fn.Runtime.Name || layer.Architecture != fn.Architecture)
                    observer.Warn($"function {fn.LogicalId} runs {fn.Runtime} {fn.Architecture.ToLambdaName()} but layer {layer.LogicalId} is built for {layer.Runtime} {layer.Architecture.ToLambdaName()}; its native modules will not load: set the layer's Metadata: BuildMethod/BuildArchitecture to match");
            }
    }
}
