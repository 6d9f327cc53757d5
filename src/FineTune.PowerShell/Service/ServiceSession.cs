using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using FineTune.Service;

namespace FineTune.PowerShell.Service;

/// <summary>
/// The connection of each runspace: the one Connect-FineTuneService made, or else one built
/// from the environment variables and reused while they stay the same (one HttpClient, not
/// one per command).
/// </summary>
internal static class ServiceSession
{
    private static readonly ConditionalWeakTable<Runspace, State> States = new();
    private static readonly State NoRunspace = new();

    /// <summary>The connection Connect-FineTuneService made in this runspace, if any.</summary>
    public static ServiceConnection? Current
    {
        get
        {
            State state = For();
            lock (state)
            {
                return state.Connected;
            }
        }
    }

    /// <summary>Makes <paramref name="connection"/> the runspace's connection, closing the one it replaces.</summary>
    public static void Set(ServiceConnection connection)
    {
        State state = For();
        ServiceConnection? previous;
        lock (state)
        {
            previous = state.Connected;
            state.Connected = connection;
        }
        if (previous is not null && !ReferenceEquals(previous, connection))
        {
            previous.Dispose();
        }
    }

    /// <summary>Forgets the runspace's connections; returns the one Connect-FineTuneService made.</summary>
    public static ServiceConnection? Remove()
    {
        State state = For();
        ServiceConnection? connected;
        ServiceConnection? fromEnvironment;
        lock (state)
        {
            connected = state.Connected;
            fromEnvironment = state.FromEnvironment;
            state.Connected = null;
            state.FromEnvironment = null;
        }
        connected?.Dispose();
        fromEnvironment?.Dispose();
        return connected;
    }

    /// <summary>The connection described by the environment variables (throws FineTune.Service.NotConnected without a key).</summary>
    public static ServiceConnection FromEnvironment()
    {
        ServiceConnection fresh = ServiceConnection.Create(new ServiceConnectionSettings().WithEnvironmentDefaults());
        State state = For();
        ServiceConnection? replaced = null;
        lock (state)
        {
            if (fresh.IsEquivalentTo(state.FromEnvironment))
            {
                fresh.Dispose();
                return state.FromEnvironment!;
            }
            replaced = state.FromEnvironment;
            state.FromEnvironment = fresh;
        }
        replaced?.Dispose();
        return fresh;
    }

    private static State For()
    {
        Runspace? runspace = Runspace.DefaultRunspace;
        return runspace is null ? NoRunspace : States.GetValue(runspace, _ => new State());
    }

    private sealed class State
    {
        public ServiceConnection? Connected { get; set; }

        public ServiceConnection? FromEnvironment { get; set; }
    }
}
