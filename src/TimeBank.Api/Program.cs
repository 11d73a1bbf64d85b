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
    return await Build(args).RunJasperFxCommands(args);
}
catch (InvalidSettingsException wrong)
{
    Console.Error.WriteLine(wrong.Message);
    return InvalidSettingsException.ExitCode;
}

static WebApplication Build(string[] args)
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddTimeBank();
    var app = builder.Build();
    app.MapTimeBank();
    return app;
}

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
