using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Tests.Service.Fakes;

namespace FineTune.Tests.Service.Redaction;

/// <summary>
/// A source of engine operations that the key-redaction test runs (every class implementing
/// this in the test assembly is found by reflection: each area adds its own file). Each
/// operation is what one cmdlet does with a connection; it returns what the cmdlet would output.
/// </summary>
public interface IRedactionScenarios
{
    IEnumerable<RedactionScenario> Scenarios { get; }
}

/// <param name="Name">Unique, e.g. the cmdlet's name and a case.</param>
/// <param name="Run">The operation; the folder is a scratch directory, the client logs to the test.</param>
/// <param name="Provider">Which provider the fake server plays.</param>
/// <param name="Configure">Adjusts the fake server before it starts (for example adds an area's routes).</param>
public sealed record RedactionScenario(
    string Name,
    Func<FakeOpenAiServer, ServiceClient, TempFolder, CancellationToken, Task<object?>> Run,
    FineTune.ServiceProvider Provider = FineTune.ServiceProvider.OpenAI,
    Action<FakeServerOptions>? Configure = null)
{
    public override string ToString() => Name;
}
