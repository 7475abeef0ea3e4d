using LambdaSlim.Cli;
using LambdaSlim.Cli.Console;

return await LambdaSlimApp.RunAsync(args, Consoles.System()).ConfigureAwait(false);
