using JasperFx;
using TimeBank.Api;
using TimeBank.Api.Infrastructure;
using TimeBank.Api.Infrastructure.Settings;

try
{
    // keys, audit, report and --help: parsed before the service is put together, so help needs no database
    // (README: The command line).
    if (!CommandLine.Serves(args) && !CommandLine.IsJasperFxCommand(args))
    {
        return await CommandLine.RunAsync(args, () => Build([]).Services);
    }

    // Serving, and the command-line verbs of Marten and Wolverine (codegen write, db-apply, describe...).
    if (CommandLine.IsJasperFxCommand(args) && args.Any(a => a is "--help" or "-h" or "?"))
    {
        // JasperFx prints the command's usage and exits 1 as for a wrong command line; help asked for is not an error.
        await Build(args[..1], helpOnly: true).RunJasperFxCommands(["help", args[0]]);
        return 0;
    }

    return await Build(args).RunJasperFxCommands(args);
}
catch (InvalidSettingsException wrong)
{
    Console.Error.WriteLine(wrong.Message);
    return InvalidSettingsException.ExitCode;
}

static WebApplication Build(string[] args, bool helpOnly = false)
{
    var builder = WebApplication.CreateBuilder(args);
    if (helpOnly && CommandLine.NoDatabaseConfigured(builder.Configuration))
    {
        // A JasperFx command's help puts the service together but never connects: any database name will do.
        builder.Configuration.AddInMemoryCollection([new("TIMEBANK_DB", "Host=127.0.0.1;Database=help;Username=help")]);
    }

    builder.AddTimeBank();
    var app = builder.Build();
    app.MapTimeBank();
    return app;
}

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
