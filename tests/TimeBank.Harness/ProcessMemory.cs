using System.Globalization;

namespace TimeBank.Harness;

/// <summary>
/// A Linux process's resident memory and CPU time as the kernel counts them (<c>/proc/{pid}/status</c>): the peak (VmHWM)
/// can be reset through <c>clear_refs</c>, so each measurement reads the peak of its own part.
/// </summary>
public sealed class ProcessMemory(int processId)
{
    public long PeakResidentBytes => Read("VmHWM:");

    public long ResidentBytes => Read("VmRSS:");

    /// <summary>Starts a new peak from the current resident size; false where the kernel does not allow it.</summary>
    public bool ResetPeak()
    {
        try
        {
            File.WriteAllText($"/proc/{processId}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// The CPU time the process has used so far, user and system (<c>/proc/{pid}/stat</c>, fields 14 and 15, in
    /// the kernel's clock ticks of 1/100 s).
    /// </summary>
    public TimeSpan CpuTime
    {
        get
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            // The command name, in parentheses, may hold spaces: the fields are counted after its closing one.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
    }

    private long Read(string field)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        var kilobytes = line[field.Length..].Trim().Split(' ')[0];
        return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
    }
}
