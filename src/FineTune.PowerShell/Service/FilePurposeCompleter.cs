using FineTune.PowerShell.Completers;
using FineTune.Service.Files;

namespace FineTune.PowerShell.Service;

/// <summary>Tab completion for -Purpose: the purposes the service knows (the set stays open).</summary>
public sealed class FilePurposeCompleter : FixedListCompleter
{
    public FilePurposeCompleter()
        : base(FilePurposes.FineTune, FilePurposes.FineTuneResults, FilePurposes.Batch, FilePurposes.Vision,
            FilePurposes.UserData, FilePurposes.Evals, FilePurposes.Assistants)
    {
    }
}
