using System;
using System.Management.Automation;

namespace FineTune.PowerShell;

/// <summary>
/// Refuses a time span under one second: PowerShell turns a bare number into ticks, so
/// <c>-Timeout 3600</c> would otherwise mean 0.36 milliseconds.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateWaitTimeAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        object value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
        if (value is TimeSpan span && span < TimeSpan.FromSeconds(1))
        {
            throw new ValidationMetadataException(
                $"The time span {span} is shorter than one second (a bare number is read as ticks). Write it as '01:30:00', (New-TimeSpan -Hours 2) or [timespan]::FromMinutes(30).");
        }
    }
}
