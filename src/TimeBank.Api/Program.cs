using JasperFx;
using TimeBank.Api;
using TimeBank.Api.Partners;

var builder = WebApplication.CreateBuilder(args);
builder.AddTimeBank();

var app = builder.Build();
app.MapTimeBank();

// keys issue|list|revoke: partner keys, including the first admin key (see README).
if (args is ["keys", .. var keyArgs]) return await KeysCommand.RunAsync(app, keyArgs);

// Also answers the command-line verbs of Marten and Wolverine (codegen write, db-apply, describe...).
return await app.RunJasperFxCommands(args);

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
