// Benchmarks for LambdaSlim, printed as ratios against baselines measured in the same run (these machines are noisy).
//   dotnet run -c Release --project bench/LambdaSlim.Bench -- WHEELHOUSE [packaging|prune|bytecode|site-packages|botocore|all] [RUNS]
using LambdaSlim.Bench;

var wheelhouse = Path.GetFullPath(args.Length > 0 ? args[0] : ".cache/wheelhouse");
var which = args.Length > 1 ? args[1] : "all";
var runs = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3;
if (which is "packaging" or "all") { Console.WriteLine("== packaging"); await PackagingBench.RunAsync(wheelhouse, runs); }
if (which is "prune" or "all") { Console.WriteLine("\n== prune: Debian numpy + pandas + scikit-learn + scipy"); await PruneBench.DataScienceAsync(wheelhouse); }
if (which is "site-packages" or "all") { Console.WriteLine("\n== prune: pyenv CPython 3.11 site-packages"); await PruneBench.SitePackagesAsync(); }
if (which is "botocore" or "all") { Console.WriteLine("\n== prune: botocore-services [s3, dynamodb, cloudwatch]"); await PruneBench.BotocoreAsync(wheelhouse); }
if (which is "bytecode" or "all") { Console.WriteLine("\n== bytecode: import pandas, numpy, sklearn"); await BytecodeBench.RunAsync(wheelhouse, Math.Max(runs, 5)); }
