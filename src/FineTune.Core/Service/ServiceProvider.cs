namespace FineTune;

/// <summary>Which flavour of the fine-tuning API a connection speaks.</summary>
public enum ServiceProvider
{
    /// <summary>api.openai.com (or OPENAI_BASE_URL): <c>{base}/{path}</c>, bearer key.</summary>
    OpenAI,

    /// <summary>Azure OpenAI: <c>{endpoint}/openai/{path}?api-version=...</c>, <c>api-key</c> header.</summary>
    AzureOpenAI,

    /// <summary>Any host with OpenAI's wire format under its own base URL, bearer key.</summary>
    Compatible,
}
