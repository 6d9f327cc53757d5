namespace FineTune.Datasets;

/// <summary>
/// An extra check run on every example that parsed (for instance token limits). Add rules
/// through <see cref="DatasetValidationOptions.Rules"/>; report through
/// <see cref="ExampleContext.Report"/>.
/// </summary>
public interface IExampleRule
{
    void Check(ExampleContext example);
}
