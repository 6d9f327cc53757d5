using System.Globalization;

namespace FineTune.Service.Jobs;

/// <summary>
/// Reads "Step 12/100: training loss=..." messages, the only place some hosts put the total
/// number of steps.
/// </summary>
internal static class StepMessage
{
    public static bool TryParse(string? message, out int step, out int total)
    {
        step = 0;
        total = 0;
        if (message is null || !message.StartsWith("Step ", System.StringComparison.Ordinal))
        {
            return false;
        }
        int slash = message.IndexOf('/', 5);
        if (slash < 0)
        {
            return false;
        }
        int end = slash + 1;
        while (end < message.Length && char.IsDigit(message[end]))
        {
            end++;
        }
        return int.TryParse(message.Substring(5, slash - 5), NumberStyles.None, CultureInfo.InvariantCulture, out step)
            && int.TryParse(message.Substring(slash + 1, end - slash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out total)
            && total > 0;
    }
}
