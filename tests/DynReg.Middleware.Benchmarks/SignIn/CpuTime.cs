using System.Diagnostics;
using System.Globalization;

namespace DynReg.Middleware.Benchmarks.SignIn;

/// <summary>
/// Processor time of a process (user + system), read from <c>/proc/PID/stat</c> for the server
/// and from <see cref="Process"/> for the driver itself. On a machine shared with other work,
/// CPU time per operation moves far less than operations per second, so the driver reports both.
/// </summary>
internal static class CpuTime
{
    // /proc reports in USER_HZ, which Linux fixes at 100 on every architecture .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>The server's processor time so far, or null when it cannot be read (no such process, not Linux).</summary>
    public static TimeSpan? OfProcess(int? pid)
    {
        if (pid is null)
        {
            return null;
        }

        try
        {
            // Fields after "(comm) ": state is the 1st, utime the 12th, stime the 13th (proc(5): 14 and 15).
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public static TimeSpan OfThisProcess()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
