using BenchmarkDotNet.Running;
using DynReg.Middleware.Benchmarks.SignIn;

// In-process benchmarks:  dotnet run -c Release --project tests/DynReg.Middleware.Benchmarks -- --filter '*'
// Sign-in load driver:    dotnet run -c Release --project tests/DynReg.Middleware.Benchmarks -- signin|codes|mcp --url http://127.0.0.1:PORT ...
if (args is [("signin" or "codes" or "mcp") and var command, .. var rest])
{
    return await LoadDriver.RunAsync(command, rest);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
