namespace TimeBank.Harness;

/// <summary>A table as GitHub markdown, the form the README keeps results in.</summary>
public sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public IReadOnlyList<string[]> Rows => _rows;

    public override string ToString()
    {
        static string Line(IEnumerable<string> cells) => "| " + string.Join(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |";
        return string.Join('\n', [Line(headers), Line(headers.Select(_ => "---")), .. _rows.Select(Line)]) + "\n";
    }
}
