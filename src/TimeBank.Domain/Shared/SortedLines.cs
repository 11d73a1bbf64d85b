namespace TimeBank.Domain.Shared;

/// <summary>
/// The lines of a view kept in the order of their key (an elder's services by month and type, a community's minutes
/// by month), changed one line at a time as each event is folded: the line is found by binary search and replaced,
/// or inserted where its key belongs. An event costs one copy of the list, not a search, a filter and a sort of it,
/// which made the fold of a long history (the audit replay, the async views catching up) slower the longer it was.
/// </summary>
public static class SortedLines
{
    /// <summary>
    /// A copy of <paramref name="lines"/> (sorted by key) with the line of the key changed by <paramref name="change"/>,
    /// or, when there is none, <c>change(null)</c> inserted in order.
    /// </summary>
    /// <param name="comparedWithKey">How a line's key compares with the key sought: negative when it comes before.</param>
    public static IReadOnlyList<T> Change<T>(IReadOnlyList<T> lines, Func<T, int> comparedWithKey, Func<T?, T> change)
        where T : class
    {
        int low = 0, high = lines.Count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var order = comparedWithKey(lines[middle]);
            if (order == 0)
            {
                var replaced = new T[lines.Count];
                for (var i = 0; i < replaced.Length; i++) replaced[i] = lines[i];
                replaced[middle] = change(lines[middle]);
                return replaced;
            }

            if (order < 0) low = middle + 1;
            else high = middle - 1;
        }

        var grown = new T[lines.Count + 1];
        for (var i = 0; i < low; i++) grown[i] = lines[i];
        grown[low] = change(null);
        for (var i = low; i < lines.Count; i++) grown[i + 1] = lines[i];
        return grown;
    }
}
