namespace TimeBank.Samples.SampleCommunity;

/// <summary>A volunteer of the sample, with the elders paired with them.</summary>
public sealed record SampleVolunteer(int Number, string Name, string Phone, string Team, IReadOnlyList<int> ElderNumbers);

/// <param name="BirthDate">Between 1930 and 1944, spread over the year.</param>
public sealed record SampleElder(int Number, string Name, string CareCategory, string Compound, string Address, int GridWorker, DateOnly BirthDate);

/// <summary>A grid worker of the sample, looking after one block of buildings.</summary>
public sealed record SampleGridWorker(string Name, string Phone, string Block);

/// <summary>
/// The sample community 民乐社区, modelled on the real one: 90 volunteers serving 171 elders in the four
/// care categories, each elder paired with a volunteer of the same compound. Generated from a fixed seed, so
/// every load makes the same people; only the dates follow the day it is loaded.
/// </summary>
public sealed class SampleCommunityPlan
{
    public const int VolunteerCount = 90;
    public const int ElderCount = 171;
    public const int GridWorkerCount = 6;

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "胡", "郭"];
    private static readonly string[] GivenNames = ["秀兰", "建国", "桂英", "志强", "玉珍", "国华", "淑芬", "德明", "凤英", "保平", "海燕", "振华", "翠花", "永福", "丽华"];
    private static readonly string[] Teams = ["general-care", "general-care", "smartphone-tutoring", "household-services", "arts"];

    // Living alone and disabled elders are the most numerous in the survey; the comfortable the fewest.
    private static readonly (string Category, int Count)[] Categories = [("living-alone", 62), ("disabled", 41), ("poor", 38), ("comfortable", 30)];

    public SampleCommunityPlan(int seed = 6090)
    {
        var random = new Random(seed);
        string NameOf() => Surnames[random.Next(Surnames.Length)] + GivenNames[random.Next(GivenNames.Length)];

        var categories = Categories.SelectMany(c => Enumerable.Repeat(c.Category, c.Count)).OrderBy(_ => random.Next()).ToList();
        GridWorkers = Enumerable.Range(0, GridWorkerCount)
            .Select(g => new SampleGridWorker(NameOf(), $"137{random.Next(10_000_000, 99_999_999)}", $"第{g + 1}网格"))
            .ToList();

        // Seven elders to a building, four buildings to a compound, a grid worker to each run of 29 elders.
        Elders = Enumerable.Range(0, ElderCount)
            .Select(n => new SampleElder(n, NameOf(), categories[n], $"{(n / 28) + 1}号院", $"{(n / 7) + 1}号楼{(n % 3) + 1}单元{(n % 7) + 101}室", n * GridWorkerCount / ElderCount,
                new DateOnly(1930 + (n % 15), (n % 12) + 1, (n % 28) + 1)))
            .ToList();

        // Elders are numbered by building, so dealing them out in order pairs neighbours (就近).
        Volunteers = Enumerable.Range(0, VolunteerCount)
            .Select(v => new SampleVolunteer(
                v,
                NameOf(),
                $"139{random.Next(10_000_000, 99_999_999)}",
                Teams[v % Teams.Length],
                Enumerable.Range(0, ElderCount).Where(e => e * VolunteerCount / ElderCount == v).ToList()))
            .ToList();
    }

    public IReadOnlyList<SampleVolunteer> Volunteers { get; }

    public IReadOnlyList<SampleElder> Elders { get; }

    public IReadOnlyList<SampleGridWorker> GridWorkers { get; }
}
