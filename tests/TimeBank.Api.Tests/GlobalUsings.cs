global using System.Net;
global using System.Net.Http.Json;
global using NUnit.Framework;
global using TimeBank.Api.Tests.Infrastructure;
