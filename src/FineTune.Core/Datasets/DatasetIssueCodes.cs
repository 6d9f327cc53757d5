using System.Collections.Generic;

namespace FineTune.Datasets;

/// <summary>
/// Every code <see cref="DatasetValidator"/> reports, with a one-line description. The codes
/// are stable: scripts group and filter by them. The help of <c>Test-FineTuneDataset</c>
/// lists the same table (a test keeps them in step).
/// </summary>
public static class DatasetIssueCodes
{
    // Whole file
    public const string EmptyFile = nameof(EmptyFile);
    public const string TooFewExamples = nameof(TooFewExamples);
    public const string FewExamples = nameof(FewExamples);
    public const string DuplicateExample = nameof(DuplicateExample);
    public const string MixedFormats = nameof(MixedFormats);
    public const string UnknownFormat = nameof(UnknownFormat);

    // Line syntax
    public const string InvalidUtf8 = nameof(InvalidUtf8);
    public const string InvalidJson = nameof(InvalidJson);
    public const string NotAnObject = nameof(NotAnObject);
    public const string NestingTooDeep = nameof(NestingTooDeep);
    public const string DuplicateKey = nameof(DuplicateKey);
    public const string LineTooLong = nameof(LineTooLong);

    // Structure
    public const string UnknownKey = nameof(UnknownKey);
    public const string WrongType = nameof(WrongType);
    public const string MissingField = nameof(MissingField);
    public const string EmptyMessages = nameof(EmptyMessages);

    // Messages
    public const string MissingRole = nameof(MissingRole);
    public const string InvalidRole = nameof(InvalidRole);
    public const string MissingContent = nameof(MissingContent);
    public const string InvalidContentPart = nameof(InvalidContentPart);
    public const string InvalidName = nameof(InvalidName);
    public const string FieldNotAllowed = nameof(FieldNotAllowed);
    public const string InvalidWeight = nameof(InvalidWeight);
    public const string MissingAssistant = nameof(MissingAssistant);
    public const string NoTrainedAssistant = nameof(NoTrainedAssistant);
    public const string InvalidToolCall = nameof(InvalidToolCall);
    public const string InvalidFunctionCall = nameof(InvalidFunctionCall);
    public const string MissingToolCallId = nameof(MissingToolCallId);
    public const string UnknownToolCallId = nameof(UnknownToolCallId);
    public const string InvalidTool = nameof(InvalidTool);
    public const string InvalidFunction = nameof(InvalidFunction);
    public const string SpecialToken = nameof(SpecialToken);
    public const string OverTokenLimit = nameof(OverTokenLimit);
    public const string MissingSystemMessage = nameof(MissingSystemMessage);
    public const string MissingUserMessage = nameof(MissingUserMessage);

    // Other formats
    public const string InvalidPreferenceOutput = nameof(InvalidPreferenceOutput);
    public const string ReinforcementEndsWithAssistant = nameof(ReinforcementEndsWithAssistant);

    /// <summary>Code, severity and description of every code, in documentation order.</summary>
    public static IReadOnlyList<(string Code, DatasetIssueSeverity Severity, string Description)> All { get; } = new[]
    {
        (EmptyFile, DatasetIssueSeverity.Error, "The file has no examples (it is empty or only blank lines)."),
        (TooFewExamples, DatasetIssueSeverity.Error, "Fewer than 10 examples: the service rejects the file."),
        (FewExamples, DatasetIssueSeverity.Warning, "Fewer than 50 examples: training usually improves with 50 to 100 or more."),
        (DuplicateExample, DatasetIssueSeverity.Warning, "The line is byte-for-byte the same example as an earlier line."),
        (MixedFormats, DatasetIssueSeverity.Error, "The line is in a different format (chat, prompt-completion, preference) than the file's first example."),
        (UnknownFormat, DatasetIssueSeverity.Error, "The object has none of messages, prompt/completion or input/preferred_output."),
        (InvalidUtf8, DatasetIssueSeverity.Error, "The line is not valid UTF-8 (column given)."),
        (InvalidJson, DatasetIssueSeverity.Error, "The line is not valid JSON (column and the parser's reason given)."),
        (NotAnObject, DatasetIssueSeverity.Error, "The line is valid JSON but not an object."),
        (NestingTooDeep, DatasetIssueSeverity.Error, "Objects and arrays are nested more than 256 levels deep."),
        (DuplicateKey, DatasetIssueSeverity.Error, "The same key appears twice in one object."),
        (LineTooLong, DatasetIssueSeverity.Error, "The line is longer than 256 MiB, the line limit of every FineTune reader; it is not read, and the lines after it are checked (on an input without an end, such as /dev/zero, the check stops there)."),
        (UnknownKey, DatasetIssueSeverity.Error, "A key the format does not define (for example a misspelled \"mesages\")."),
        (WrongType, DatasetIssueSeverity.Error, "A value has the wrong JSON type (for example a number where a string belongs)."),
        (MissingField, DatasetIssueSeverity.Error, "A required key is missing or empty (messages, prompt, completion, input, ...)."),
        (EmptyMessages, DatasetIssueSeverity.Error, "The messages array is empty."),
        (MissingRole, DatasetIssueSeverity.Error, "A message has no role."),
        (InvalidRole, DatasetIssueSeverity.Error, "A role other than system, user, assistant, tool or function."),
        (MissingContent, DatasetIssueSeverity.Error, "A message has no content or empty content (assistant messages may call tools instead)."),
        (InvalidContentPart, DatasetIssueSeverity.Error, "A content part is malformed, of an unknown type, or an image in an assistant message."),
        (InvalidName, DatasetIssueSeverity.Error, "A name is not 1 to 64 letters, digits, underscores or hyphens."),
        (FieldNotAllowed, DatasetIssueSeverity.Error, "A key on a role that cannot have it (weight or tool_calls off assistant messages, tool_call_id off tool messages)."),
        (InvalidWeight, DatasetIssueSeverity.Error, "A weight other than 0 or 1."),
        (MissingAssistant, DatasetIssueSeverity.Error, "The example has no assistant message to learn from."),
        (NoTrainedAssistant, DatasetIssueSeverity.Error, "Every assistant message has weight 0, so nothing is trained."),
        (InvalidToolCall, DatasetIssueSeverity.Error, "A tool call lacks an id, the type function, a function name or string arguments."),
        (InvalidFunctionCall, DatasetIssueSeverity.Error, "A function_call lacks a name or string arguments."),
        (MissingToolCallId, DatasetIssueSeverity.Error, "A tool message has no tool_call_id."),
        (UnknownToolCallId, DatasetIssueSeverity.Error, "A tool message answers a tool call id that no earlier assistant message made."),
        (InvalidTool, DatasetIssueSeverity.Error, "A tools entry is not {\"type\":\"function\",\"function\":{\"name\":...}} with a valid name and object parameters."),
        (InvalidFunction, DatasetIssueSeverity.Error, "A functions entry lacks a valid name or has non-object parameters."),
        (SpecialToken, DatasetIssueSeverity.Error, "Text contains special-token text such as <|endoftext|> or <|im_start|>, which the service rejects."),
        (OverTokenLimit, DatasetIssueSeverity.Warning, "With -Model: the example has more tokens than the model trains on; the service truncates it."),
        (MissingSystemMessage, DatasetIssueSeverity.Warning, "The example has no system message (cookbook advice: use the same one as at inference)."),
        (MissingUserMessage, DatasetIssueSeverity.Warning, "The example has no user message."),
        (InvalidPreferenceOutput, DatasetIssueSeverity.Error, "preferred_output or non_preferred_output is not exactly one assistant message."),
        (ReinforcementEndsWithAssistant, DatasetIssueSeverity.Error, "A reinforcement example ends with an assistant message; the model writes that answer itself."),
    };
}
