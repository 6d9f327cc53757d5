using System;
using System.Globalization;
using System.IO;
using System.Linq;
using FineTune;
using FineTune.Datasets;
using FineTune.Measurement;
using FineTune.Models;
using FineTune.Quickstart;

// dotnet run --project samples/FineTune.Quickstart -c Release -- [csv] [output folder] [model]
// The same steps as README's PowerShell example, through the engine the cmdlets call.
string csv = args.Length > 0 ? args[0] : Path.Combine("samples", "helpdesk.csv");
string output = args.Length > 1 ? args[1] : Path.Combine("out", "quickstart");
string model = args.Length > 2 ? args[2] : "gpt-4o-mini-2024-07-18";
Directory.CreateDirectory(output);
string jsonl = Path.Combine(output, Path.GetFileNameWithoutExtension(csv) + ".jsonl");

// Import-Csv | ConvertTo-FineTuneExample -SystemMessage ... | Export-Jsonl
var converter = new ExampleConverter(new ExampleConversionOptions { SystemMessage = "You answer IT support questions." });
long rows = 0;
int failures = 0;
using (JsonlWriter writer = JsonlWriter.Open(jsonl, FileWriteMode.Overwrite))
{
    foreach (var row in CsvRows.Read(csv))
    {
        rows++;
        try
        {
            FineTuneExample example = converter.ConvertRow(row, rows, out ColumnMapping? mapping);
            if (mapping is not null)
            {
                Console.WriteLine($"Columns chosen: user = {mapping.User}, assistant = {mapping.Assistant}");
            }
            writer.WriteRecord(example);
        }
        catch (FineTuneException error)
        {
            failures++;
            Console.Error.WriteLine($"{csv}: {error.Message}");
        }
    }
    writer.Commit();
}
Console.WriteLine($"Converted {rows - failures} of {rows} rows to {jsonl}");

// Test-FineTuneDataset | Group-Object Code
var issues = DatasetValidator.ValidateFile(jsonl).ToList();
Console.WriteLine(issues.Count == 0 ? "Test-FineTuneDataset: no issues" : "Test-FineTuneDataset:");
foreach (var group in issues.GroupBy(issue => (issue.Severity, issue.Code)))
{
    Console.WriteLine($"  {group.Key.Severity,-7} {group.Key.Code,-28} {group.Count()}  e.g. {group.First()}");
}

// Measure-FineTuneDataset and Measure-FineTuneCost
ModelSelection selection = ModelSelection.Resolve(ModelCatalog.Load(), model, provider: null, encoding: null, tokenLimit: null);
DatasetMeasurement measurement = new DatasetMeasurer(selection.Encoding, selection.TokenLimit, model).Measure(jsonl);
Console.WriteLine($"Measure-FineTuneDataset ({measurement.Encoding}, limit {measurement.TokenLimit}): " +
    $"{measurement.ExampleCount} examples, {measurement.BillableTokens} billable tokens, {measurement.OverLimitCount} over the limit");
TokenDistribution tokens = measurement.TokensPerExample;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  tokens per example: min {tokens.Min}, max {tokens.Max}, mean {tokens.Mean:0.0}, median {tokens.Median}, p10 {tokens.P10:0.0}, p90 {tokens.P90:0.0}"));
CostEstimate cost = CostEstimator.Estimate(measurement, selection.Model, "supervised", epochs: null, pricePerMillionTokens: null, validation: null, DateTime.UtcNow.Date);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Measure-FineTuneCost ({cost.Model}): {cost.Epochs} epochs x {cost.BillableTokens} tokens = {cost.TrainedTokens} trained tokens, about {cost.EstimatedCost:0.00} {cost.Currency}"));
foreach (string warning in cost.Warnings)
{
    Console.WriteLine($"  WARNING: {warning}");
}

// Split-FineTuneDataset -ValidationRatio 0.1 -Seed 7
DatasetSplit split = DatasetSplitter.Split(jsonl, validationRatio: 0.1, validationCount: null, seed: 7);
Console.WriteLine($"Split-FineTuneDataset: {split.TrainingCount} -> {split.TrainingPath}, {split.ValidationCount} -> {split.ValidationPath}");
return issues.Any(issue => issue.Severity == DatasetIssueSeverity.Error) || failures > 0 ? 1 : 0;
