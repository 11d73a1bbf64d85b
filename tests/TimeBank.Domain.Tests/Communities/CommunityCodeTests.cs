using TimeBank.Domain.Communities;

namespace TimeBank.Domain.Tests.Communities;

public class CommunityCodeTests
{
    [TestCase("minle", true)]
    [TestCase("jishan-2", true)]
    [TestCase("a", true)]
    [TestCase("Minle", false)]
    [TestCase("-minle", false)]
    [TestCase("minle-", false)]
    [TestCase("min le", false)]
    [TestCase("民乐", false)]
    [TestCase("abcdefghijabcdefghijabcdefghijabc", false)]
    public void a_code_is_lowercase_letters_digits_and_inner_hyphens(string code, bool valid) =>
        Assert.That(CommunityCode.IsValid(code), Is.EqualTo(valid));

    [Test]
    public void the_stream_id_is_the_same_for_the_same_code_and_differs_between_codes()
    {
        Assert.That(CommunityCode.StreamId("minle"), Is.EqualTo(CommunityCode.StreamId("minle")));
        Assert.That(CommunityCode.StreamId("minle"), Is.Not.EqualTo(CommunityCode.StreamId("jishan")));
    }
}
