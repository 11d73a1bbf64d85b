using JasperFx;
using TimeBank.Api;
using TimeBank.Api.Audit;
using TimeBank.Api.Partners;
using TimeBank.Api.Reports;

var builder = WebApplication.CreateBuilder(args);
builder.AddTimeBank();

var app = builder.Build();
app.MapTimeBank();

// keys issue|list|revoke: partner keys, including the first admin key (see README).
if (args is ["keys", .. var keyArgs]) return await KeysCommand.RunAsync(app, keyArgs);

// audit verify: recomputes the tamper-evident chain of events (see README).
if (args is ["audit", .. var auditArgs]) return await AuditCommand.RunAsync(app.Services, auditArgs);

// report quarterly <community> <2026Q1>: a closed quarter's report files, written to a folder (see README).
if (args is ["report", .. var reportArgs]) return await ReportCommand.RunAsync(app.Services, reportArgs);

// Also answers the command-line verbs of Marten and Wolverine (codegen write, db-apply, describe...).
return await app.RunJasperFxCommands(args);

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
