using System.Collections.Generic;

namespace FineTune.Evaluation.Report;

/// <summary>One line of a chart: its name, colour and (x, y) points; points with no value are left out.</summary>
internal sealed class ChartSeries
{
    public ChartSeries(string name, string color, IReadOnlyList<(double X, double Y)> points)
    {
        Name = name;
        Color = color;
        Points = points;
    }

    public string Name { get; }

    /// <summary>A CSS colour literal such as <c>#1f77b4</c> (engine constants only, never data).</summary>
    public string Color { get; }

    public IReadOnlyList<(double X, double Y)> Points { get; }
}
