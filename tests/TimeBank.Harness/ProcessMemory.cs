using System.Globalization;

namespace TimeBank.Harness;

/// <summary>
/// A Linux process's resident memory as the kernel counts it (<c>/proc/{pid}/status</c>): the peak (VmHWM)
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

    private long Read(string field)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        var kilobytes = line[field.Length..].Trim().Split(' ')[0];
        return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
    }
}
