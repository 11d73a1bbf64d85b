using TimeBank.Domain.Communities;

namespace TimeBank.Domain.Tests.Communities;

public class QuarterTests
{
    [TestCase("2026Q1", 2026, 1)]
    [TestCase("2026q4", 2026, 4)]
    [TestCase("0001Q2", 1, 2)]
    public void parses_a_quarter_written_as_year_and_number(string text, int year, int number)
    {
        Assert.That(Quarter.TryParse(text, out var quarter), Is.True);
        Assert.That(quarter, Is.EqualTo(new Quarter(year, number)));
    }

    [TestCase("2026Q5")]
    [TestCase("2026Q0")]
    [TestCase("2026-Q1")]
    [TestCase("26Q1")]
    [TestCase("0000Q1")]
    [TestCase("")]
    [TestCase(null)]
    public void refuses_anything_else(string? text) => Assert.That(Quarter.TryParse(text, out _), Is.False);

    [Test]
    public void a_quarter_runs_from_its_first_to_its_last_day()
    {
        var q1 = new Quarter(2026, 1);
        Assert.Multiple(() =>
        {
            Assert.That(q1.FirstDay, Is.EqualTo(new DateOnly(2026, 1, 1)));
            Assert.That(q1.LastDay, Is.EqualTo(new DateOnly(2026, 3, 31)));
            Assert.That(new Quarter(2024, 1).LastDay, Is.EqualTo(new DateOnly(2024, 3, 31)));
            Assert.That(new Quarter(2026, 4).LastDay, Is.EqualTo(new DateOnly(2026, 12, 31)));
            Assert.That(Quarter.Containing(new DateOnly(2026, 7, 1)), Is.EqualTo(new Quarter(2026, 3)));
            Assert.That(Quarter.Containing(new DateOnly(2026, 6, 30)), Is.EqualTo(new Quarter(2026, 2)));
        });
    }

    [Test]
    public void the_quarter_after_the_fourth_is_the_first_of_next_year()
    {
        Assert.That(new Quarter(2026, 4).Next, Is.EqualTo(new Quarter(2027, 1)));
        Assert.That(new Quarter(2027, 1).Previous, Is.EqualTo(new Quarter(2026, 4)));
        Assert.That(new Quarter(2026, 4).ToString(), Is.EqualTo("2026Q4"));
    }
}
