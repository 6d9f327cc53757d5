namespace FineTune.Datasets;

/// <summary>
/// An extra check run on every example that parsed (for instance token limits). Add rules
/// through <see cref="DatasetValidationOptions.Rules"/>; report through
/// <see cref="ExampleContext.Report"/>. A file's lines are checked on several threads at once,
/// so <see cref="Check"/> must be safe to call concurrently.
/// </summary>
public interface IExampleRule
{
    void Check(ExampleContext example);
}
