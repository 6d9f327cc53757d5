namespace FineTune;

/// <summary>The service's explanation of why a job failed.</summary>
public sealed class JobError
{
    /// <summary>A machine-readable code such as <c>invalid_training_file</c>.</summary>
    public string? Code { get; internal set; }

    /// <summary>The service's human-readable reason.</summary>
    public string? Message { get; internal set; }

    /// <summary>The parameter at fault (<c>training_file</c>, <c>validation_file</c>) or null.</summary>
    public string? Param { get; internal set; }

    /// <summary>Code and reason as a view shows them, control characters escaped.</summary>
    public override string ToString() =>
        Service.ServiceText.Escape(Code is null ? Message ?? string.Empty : $"{Code}: {Message}");
}
