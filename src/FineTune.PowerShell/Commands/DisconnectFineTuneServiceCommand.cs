using System.Management.Automation;
using FineTune.PowerShell.Service;

namespace FineTune.PowerShell.Commands;

/// <summary>Forgets the session's connection to the fine-tuning service.</summary>
/// <remarks>
/// <para>Removes the connection made by <c>Connect-FineTuneService</c> and closes its network connections. Later online FineTune cmdlets use the environment variables again (OPENAI_API_KEY and the others), or fail with FineTune.Service.NotConnected when none are set.</para>
/// <para>Nothing is sent to the service. Connections passed explicitly with -Connection are not affected until they are disposed.</para>
/// </remarks>
/// <example>
/// <code>Disconnect-FineTuneService</code>
/// <para>Forgets the session's connection.</para>
/// </example>
/// <example>
/// <code>Disconnect-FineTuneService -PassThru</code>
/// <para>Forgets the connection and writes the one that was removed, if any.</para>
/// </example>
[Cmdlet(VerbsCommunications.Disconnect, "FineTuneService")]
[OutputType(typeof(ServiceConnection))]
public sealed class DisconnectFineTuneServiceCommand : FineTuneCmdlet
{
    /// <summary>Writes the connection that was removed (nothing when there was none).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        ServiceConnection? removed = ServiceSession.Remove();
        WriteVerbose(removed is null ? "There was no connection made by Connect-FineTuneService." : $"Disconnected from {removed}.");
        if (PassThru.IsPresent && removed is not null)
        {
            WriteObject(removed);
        }
    }
}
