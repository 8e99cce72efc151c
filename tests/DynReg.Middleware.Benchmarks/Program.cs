using BenchmarkDotNet.Running;
using DynReg.Middleware.Benchmarks.SignIn;

// In-process benchmarks:  dotnet run -c Release --project tests/DynReg.Middleware.Benchmarks -- --filter '*'
// Sign-in load driver:    dotnet run -c Release --project tests/DynReg.Middleware.Benchmarks -- signin|codes --url http://127.0.0.1:PORT ...
if (args is [("signin" or "codes") and var command, .. var rest])
{
    return await LoadDriver.RunAsync(command, rest);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
