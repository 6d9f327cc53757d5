using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace FineTune.Evaluation.Report;

/// <summary>
/// Draws a line chart as inline SVG: axes with round-number ticks, one path per series, a
/// legend. Only presentation attributes are used (no style attributes), so the page's
/// Content-Security-Policy need not allow inline styles. Long series are thinned to at most
/// <see cref="MaxPointsPerSeries"/> points, keeping each bucket's lowest and highest value so
/// spikes stay visible.
/// </summary>
internal static class SvgLineChart
{
    public const int MaxPointsPerSeries = 1200;
    private const int Width = 560;
    private const int Height = 300;
    private const int Left = 56;
    private const int Right = 16;
    private const int Top = 34;
    private const int Bottom = 44;

    public static void Write(TextWriter html, string id, string title, string xLabel, IReadOnlyList<ChartSeries> series)
    {
        var drawn = series.Where(s => s.Points.Count > 0).Select(s => (Series: s, Points: Thin(s.Points))).ToList();
        html.Write($"<figure class=\"chart\" id=\"{HtmlText.Escape(id)}\"><svg class=\"chart-svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-labelledby=\"{HtmlText.Escape(id)}-title\" xmlns=\"http://www.w3.org/2000/svg\">");
        html.Write($"<title id=\"{HtmlText.Escape(id)}-title\">{HtmlText.Escape(title)}</title>");
        html.Write($"<text x=\"{Left}\" y=\"20\" font-size=\"14\" font-weight=\"600\" fill=\"#222\">{HtmlText.Escape(title)}</text>");
        if (drawn.Count == 0)
        {
            html.Write($"<text class=\"empty\" x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\" font-size=\"13\" fill=\"#777\">No values reported</text></svg></figure>");
            return;
        }

        double xMin = drawn.Min(d => d.Points.Min(p => p.X));
        double xMax = drawn.Max(d => d.Points.Max(p => p.X));
        double yMin = drawn.Min(d => d.Points.Min(p => p.Y));
        double yMax = drawn.Max(d => d.Points.Max(p => p.Y));
        double[] xTicks = Ticks(xMin, xMax, 6, integers: true);
        double[] yTicks = Ticks(yMin, yMax, 5, integers: false);
        xMin = Math.Min(xMin, xTicks[0]);
        xMax = Math.Max(xMax, xTicks[xTicks.Length - 1]);
        yMin = Math.Min(yMin, yTicks[0]);
        yMax = Math.Max(yMax, yTicks[yTicks.Length - 1]);
        double plotWidth = Width - Left - Right;
        double plotHeight = Height - Top - Bottom;
        double X(double x) => Left + (xMax > xMin ? (x - xMin) / (xMax - xMin) * plotWidth : plotWidth / 2);
        double Y(double y) => Top + plotHeight - (yMax > yMin ? (y - yMin) / (yMax - yMin) * plotHeight : plotHeight / 2);

        html.Write("<g class=\"axes\" font-size=\"11\" fill=\"#555\">");
        foreach (double tick in yTicks)
        {
            string y = F(Y(tick));
            html.Write($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#e3e3e3\"/>");
            html.Write($"<text x=\"{Left - 6}\" y=\"{y}\" dy=\"4\" text-anchor=\"end\">{Label(tick)}</text>");
        }
        foreach (double tick in xTicks)
        {
            string x = F(X(tick));
            html.Write($"<line x1=\"{x}\" x2=\"{x}\" y1=\"{Top + plotHeight}\" y2=\"{Top + plotHeight + 4}\" stroke=\"#555\"/>");
            html.Write($"<text x=\"{x}\" y=\"{Top + plotHeight + 17}\" text-anchor=\"middle\">{Label(tick)}</text>");
        }
        html.Write($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Top + plotHeight}\" y2=\"{Top + plotHeight}\" stroke=\"#555\"/>");
        html.Write($"<line x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{Top + plotHeight}\" stroke=\"#555\"/>");
        html.Write($"<text x=\"{Left + plotWidth / 2}\" y=\"{Height - 6}\" text-anchor=\"middle\">{HtmlText.Escape(xLabel)}</text>");
        html.Write("</g>");

        for (int i = 0; i < drawn.Count; i++)
        {
            (ChartSeries s, IReadOnlyList<(double X, double Y)> points) = drawn[i];
            html.Write($"<g class=\"series\" data-series=\"{HtmlText.Escape(s.Name)}\" data-points=\"{s.Points.Count}\">");
            if (points.Count == 1)
            {
                html.Write($"<circle class=\"point\" cx=\"{F(X(points[0].X))}\" cy=\"{F(Y(points[0].Y))}\" r=\"3\" fill=\"{s.Color}\"/>");
            }
            else
            {
                html.Write("<path class=\"line\" fill=\"none\" stroke-width=\"1.6\" stroke-linejoin=\"round\" stroke=\"");
                html.Write(s.Color);
                html.Write("\" d=\"");
                for (int p = 0; p < points.Count; p++)
                {
                    html.Write(p == 0 ? "M" : " L");
                    html.Write(F(X(points[p].X)));
                    html.Write(' ');
                    html.Write(F(Y(points[p].Y)));
                }
                html.Write("\"/>");
            }
            html.Write("</g>");
            double legendX = Left + 8 + i * 170;
            html.Write($"<g class=\"legend\" font-size=\"11\" fill=\"#333\"><line x1=\"{F(legendX)}\" x2=\"{F(legendX + 16)}\" y1=\"{Top + 8}\" y2=\"{Top + 8}\" stroke=\"{s.Color}\" stroke-width=\"3\"/><text x=\"{F(legendX + 20)}\" y=\"{Top + 12}\">{HtmlText.Escape(s.Name)}</text></g>");
        }
        html.Write("</svg></figure>");
    }

    /// <summary>The points in x order, thinned to at most <see cref="MaxPointsPerSeries"/> (each bucket's lowest and highest y).</summary>
    internal static IReadOnlyList<(double X, double Y)> Thin(IReadOnlyList<(double X, double Y)> points)
    {
        var ordered = points.Where(p => IsFinite(p.X) && IsFinite(p.Y)).OrderBy(p => p.X).ToList();
        if (ordered.Count <= MaxPointsPerSeries)
        {
            return ordered;
        }
        int bucket = (int)Math.Ceiling(ordered.Count / (MaxPointsPerSeries / 2.0));
        var thinned = new List<(double X, double Y)>(MaxPointsPerSeries);
        for (int start = 0; start < ordered.Count; start += bucket)
        {
            int end = Math.Min(start + bucket, ordered.Count);
            int low = start, high = start;
            for (int i = start; i < end; i++)
            {
                low = ordered[i].Y < ordered[low].Y ? i : low;
                high = ordered[i].Y > ordered[high].Y ? i : high;
            }
            thinned.Add(ordered[Math.Min(low, high)]);
            if (low != high)
            {
                thinned.Add(ordered[Math.Max(low, high)]);
            }
        }
        return thinned;
    }

    /// <summary>Round-number ticks (1, 2 or 5 times a power of ten) covering [min, max].</summary>
    internal static double[] Ticks(double min, double max, int count, bool integers)
    {
        if (max <= min)
        {
            double pad = Math.Abs(min) > 0 ? Math.Abs(min) * 0.1 : 1;
            min -= pad;
            max += pad;
        }
        double raw = (max - min) / count;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(m => m * magnitude).First(s => s >= raw);
        if (integers)
        {
            step = Math.Max(1, Math.Round(step));
        }
        double first = Math.Floor(min / step) * step;
        double last = Math.Ceiling(max / step) * step;
        var ticks = new List<double>();
        for (double t = first; t <= last + step / 2; t += step)
        {
            ticks.Add(Math.Round(t, 10));
        }
        return ticks.ToArray();
    }

    private static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Label(double value) => value.ToString(Math.Abs(value) >= 100 || value == Math.Floor(value) ? "0" : "0.###", CultureInfo.InvariantCulture);
}
