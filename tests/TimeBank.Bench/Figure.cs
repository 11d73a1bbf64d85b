using System.Globalization;

namespace TimeBank.Bench;

/// <summary>
/// One measured figure: its value, its ratio to the baseline measured in the same run (where one applies), and
/// the target it is held to. Ratios are what compare between machines; the values only describe this one.
/// </summary>
public sealed record Figure(string Name, double Value, string Unit, double? Ratio = null, string Target = "", bool? Met = null, string Note = "")
{
    public string[] Cells() =>
    [
        Name,
        $"{Format(Value)} {Unit}",
        Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "",
        Target,
        Met switch { true => "yes", false => "**no**", null => "" },
        Note,
    ];

    public static string Format(double value) => value switch
    {
        double.NaN => "n/a",
        >= 100 => value.ToString("#,0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
