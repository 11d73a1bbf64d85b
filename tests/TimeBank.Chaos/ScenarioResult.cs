namespace TimeBank.Chaos;

/// <summary>
/// One scenario's line of the table: what was sent and broken, what the service acknowledged, and what the
/// ledger holds afterwards. A scenario passes with nothing lost, nothing twice, no 5xx where one is not allowed,
/// and every check of its own. Found is left out where writes are not told apart by id (the hostile corpus,
/// which checks instead that every event written came from a request answered 2xx).
/// </summary>
public sealed record ScenarioResult(
    string Scenario, int RequestsSent, string FaultsInjected, int Acknowledged, int? Found, int Lost, int Duplicated, int ServerErrors, IReadOnlyList<string> Failures, string Notes)
{
    public bool Passed => Lost == 0 && Duplicated == 0 && ServerErrors == 0 && Failures.Count == 0;

    public string[] Cells() =>
    [
        Scenario, $"{RequestsSent:#,0}", FaultsInjected, $"{Acknowledged:#,0}", Found is { } found ? $"{found:#,0}" : "—", $"{Lost}", $"{Duplicated}", $"{ServerErrors}",
        Passed ? "pass" : "**fail**", Notes,
    ];
}
