using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/DynReg.Middleware.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
