using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace DynReg.Middleware.Benchmarks;

/// <summary>
/// A short job for a small, shared machine (2 cores, other work running): one launch, ten
/// warm-up and fifteen measured iterations of a fixed number of operations (~0.2 s each), so
/// a run takes about a minute. Ten warm-ups, because tiered JIT keeps speeding the handler up
/// for the first second or so. The fixed invocation count is what lets <c>[IterationSetup]</c>
/// empty the stores between iterations without making each iteration a single operation.
/// </summary>
public class NoisyMachineConfig : ManualConfig
{
    public NoisyMachineConfig()
        : this(32_768)
    {
    }

    protected NoisyMachineConfig(int invocationCount)
    {
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(10)
            .WithIterationCount(15)
            .WithInvocationCount(invocationCount)
            .WithUnrollFactor(1)
            .WithId("NoisyShort"));

        // Other work on the machine only ever adds time: the median and the minimum say more than the mean.
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
    }
}

/// <summary>
/// The same job for operations of a quarter to half a millisecond (an RSA-2048 signature each):
/// 1,024 operations an iteration, about 0.25–0.5 s.
/// </summary>
public sealed class NoisyMachineSlowConfig : NoisyMachineConfig
{
    public NoisyMachineSlowConfig()
        : base(1_024)
    {
    }
}
