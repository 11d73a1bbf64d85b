namespace TimeBank.Api.Infrastructure;

/// <summary>How the service's own commands (keys, report, audit) read their options and say they failed.</summary>
public static class CommandLine
{
    /// <summary>
    /// <c>--name value</c> pairs; null when the options are not such pairs (an odd count, or a value where a
    /// <c>--name</c> should be).
    /// </summary>
    public static Dictionary<string, string>? Flags(string[] options)
    {
        if (options.Length % 2 != 0) return null;
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Length; i += 2)
        {
            if (!options[i].StartsWith("--", StringComparison.Ordinal)) return null;
            flags[options[i][2..]] = options[i + 1];
        }

        return flags;
    }

    /// <summary>Writes why to standard error and answers the exit code of a failed command.</summary>
    public static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 1;
    }
}
