using JasperFx;
using TimeBank.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddTimeBank();

var app = builder.Build();
app.MapTimeBank();

// Also answers the command-line verbs of Marten and Wolverine (codegen write, db-apply, describe...).
return await app.RunJasperFxCommands(args);

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
