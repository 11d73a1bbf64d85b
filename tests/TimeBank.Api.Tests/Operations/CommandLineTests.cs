namespace TimeBank.Api.Tests.Operations;

/// <summary>The service's command line, as an operator types it, with no database configured.</summary>
public class CommandLineTests
{
    private static readonly Dictionary<string, string> NoDatabase = [];

    [Test]
    public async Task help_needs_no_database_and_lists_every_command()
    {
        var (exit, output, errors) = await BuiltService.RunAsync(NoDatabase, "--help");

        Assert.That(exit, Is.EqualTo(0), errors);
        foreach (var command in new[] { "keys", "audit", "report", "codegen", "db-apply", "db-patch", "projections", "resources" })
        {
            Assert.That(output, Does.Match($@"(?m)^\s+{command}\s"), $"--help does not list {command}");
        }
    }

    [Test]
    public async Task each_command_has_its_own_help_without_a_database()
    {
        var (exit, output, _) = await BuiltService.RunAsync(NoDatabase, "audit", "export", "--help");

        Assert.That(exit, Is.EqualTo(0));
        Assert.That(output, Does.Contain("--out").And.Contain("--from-seq").And.Contain("--community"));
    }

    [Test]
    public async Task the_help_of_a_jasperfx_command_needs_no_database_either()
    {
        var (exit, output, errors) = await BuiltService.RunAsync(NoDatabase, "db-apply", "--help");

        Assert.That(exit, Is.EqualTo(0), errors);
        Assert.That(output, Does.Contain("db-apply"));
    }

    [Test]
    public async Task a_misspelt_option_is_refused_with_exit_code_2_naming_it()
    {
        var (exit, _, errors) = await BuiltService.RunAsync(NoDatabase, "audit", "verify", "--comunity", "minle");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("comunity"));
    }

    [Test]
    public async Task an_unknown_command_is_refused_with_exit_code_2()
    {
        var (exit, _, errors) = await BuiltService.RunAsync(NoDatabase, "audti", "verify");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("audti"));
    }

    [Test]
    public async Task a_command_without_a_database_says_how_to_give_one_and_exits_78()
    {
        var (exit, output, errors) = await BuiltService.RunAsync(NoDatabase, "keys", "list");

        Assert.That(exit, Is.EqualTo(78), output + errors);
        Assert.That(errors, Does.Contain("TIMEBANK_DB").And.Not.Contain("   at "));
    }

    [Test]
    public async Task a_wrong_setting_stops_the_start_with_a_message_naming_it()
    {
        var (exit, _, errors) = await BuiltService.RunAsync(new Dictionary<string, string>
        {
            ["TIMEBANK_DB"] = "Host=127.0.0.1;Database=never_reached;Username=postgres",
            ["Health__AsyncViewStallSeconds"] = "5",
            ["Telemetry__OtlpEndpoint"] = "collector",
        }, "--urls", "http://127.0.0.1:1");

        Assert.That(exit, Is.EqualTo(78));
        Assert.That(errors, Does.Contain("Health:AsyncViewStallSeconds is between 10 and 86400"));
        Assert.That(errors, Does.Contain("Telemetry:OtlpEndpoint is an absolute http(s) address"));
        Assert.That(errors, Does.Not.Contain("   at "), "no stack trace");
    }
}
