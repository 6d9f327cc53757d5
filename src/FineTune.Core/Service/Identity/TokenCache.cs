using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Identity;

/// <summary>
/// Keeps one token per scope and asks the credential for a new one before the old one expires:
/// five minutes before, or halfway through a shorter lifetime. A refresh that fails while the
/// old token is still valid is logged and the old token used, so a passing fault of the token
/// endpoint never fails a long wait. Remembers the tokens it handed out, so that text shown to
/// the user can be cleaned of them.
/// </summary>
internal sealed class TokenCache
{
    private static readonly TimeSpan MaxMargin = TimeSpan.FromMinutes(5);
    private const int RememberedTokens = 16;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly LinkedList<string> _issued = new();
    private readonly Func<DateTimeOffset> _utcNow;

    public TokenCache(TokenCredential credential, Func<DateTimeOffset>? utcNow = null)
    {
        Credential = credential ?? throw new ArgumentNullException(nameof(credential));
        _utcNow = utcNow ?? (() => DateTimeOffset.UtcNow);
    }

    public TokenCredential Credential { get; }

    /// <summary>Told of every new token, so the connection masks it wherever the module shows text.</summary>
    public Action<string>? Issued { get; set; }

    public async Task<AccessToken> GetTokenAsync(string scope, HttpClient http, Action<string>? log, CancellationToken cancellationToken)
    {
        if (Fresh(scope) is { } cached)
        {
            return cached.Token;
        }
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(scope) is { } refreshedMeanwhile)
            {
                return refreshedMeanwhile.Token;
            }
            Entry? old;
            lock (_entries)
            {
                _entries.TryGetValue(scope, out old);
            }
            AccessToken token;
            try
            {
                token = await Credential.RequestTokenAsync(scope, http, cancellationToken).ConfigureAwait(false);
            }
            catch (FineTuneException ex) when (old is not null && old.Token.ExpiresOn > _utcNow())
            {
                log?.Invoke($"Renewing the token for {scope} from {Credential.Description} failed ({Redact(ex.Message)}); the current one stays valid until {old.Token.ExpiresOn:u}.");
                return old.Token;
            }
            DateTimeOffset now = _utcNow();
            TimeSpan lifetime = token.ExpiresOn - now;
            TimeSpan margin = lifetime <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(MaxMargin.Ticks, lifetime.Ticks / 2));
            lock (_entries)
            {
                _entries[scope] = new Entry(token, token.ExpiresOn == DateTimeOffset.MaxValue ? DateTimeOffset.MaxValue : token.ExpiresOn - margin);
                Remember(token.Reveal());
            }
            log?.Invoke($"Got a token for {scope} from {Credential.Description}, valid until {token.ExpiresOn:u}.");
            return token;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>The text with every token this cache handed out, anything shaped like a token and the credential's secret removed.</summary>
    public string Redact(string text)
    {
        lock (_entries)
        {
            foreach (string token in _issued)
            {
                text = text.Replace(token, SecretRedactor.Mask);
            }
        }
        if (Credential.Secret is { Length: > 0 } secret)
        {
            text = text.Replace(secret, SecretRedactor.Mask);
            string escaped = Uri.EscapeDataString(secret);
            if (escaped != secret)
            {
                text = text.Replace(escaped, SecretRedactor.Mask);
            }
        }
        return SecretRedactor.Redact(text);
    }

    private Entry? Fresh(string scope)
    {
        lock (_entries)
        {
            return _entries.TryGetValue(scope, out Entry? entry) && _utcNow() < entry.RefreshAt ? entry : null;
        }
    }

    private void Remember(string token)
    {
        if (_issued.Contains(token))
        {
            return;
        }
        _issued.AddFirst(token);
        Issued?.Invoke(token);
        while (_issued.Count > RememberedTokens)
        {
            _issued.RemoveLast();
        }
    }

    private sealed class Entry
    {
        public Entry(AccessToken token, DateTimeOffset refreshAt)
        {
            Token = token;
            RefreshAt = refreshAt;
        }

        public AccessToken Token { get; }

        public DateTimeOffset RefreshAt { get; }
    }
}
