# A small HTTP server on 127.0.0.1, in its own runspace (HttpListener; no other dependency), for
# the online cmdlets' tests. Dot-source this file, then:
#
#   $server = Start-LoopbackServer -State $state -Respond { switch -Regex ("$($request.HttpMethod) $path") { ... } }
#   ...
#   Stop-LoopbackServer $server
#
# -Respond runs for each request in the server's scope: it sees $request, $path, $body and the
# shared, synchronized $state; it returns the response body and may set $status (200),
# $contentType (application/json), $reason (the reason phrase) and $headers (a hashtable of
# response headers, x-request-id included). Every request is also recorded in $state.Requests.
#
# Get-FakeChatCompletion answers a /chat/completions body with the deterministic models of the
# engine tests' fake (tests/FineTune.Core.Tests/Service/Fakes/FakeChatModels.cs): a fine-tuned
# name (ft:...) answers from $state.Memory (question -> answer), three in four exactly and the
# fourth with its first sentence, and echoes unknown questions; a judge request (the judge's
# JSON) gets the answer that contains the reference (TIE when both or neither do), or always A
# from a model named *biased*; any other model answers "Please contact the IT help desk about: ...".

function Start-LoopbackServer {
    param(
        [Parameter(Mandatory)] [hashtable] $State,
        [Parameter(Mandatory)] [scriptblock] $Respond
    )
    $port = Get-Random -Minimum 20000 -Maximum 40000
    $prefix = "http://127.0.0.1:$port/"
    $loop = {
        param($prefix, $state, $respondText)
        $respond = [scriptblock]::Create($respondText)
        function Get-FakeChatCompletion([string] $Body, [hashtable] $Memory) {
            $sent = $Body | ConvertFrom-Json
            $model = [string]$sent.model
            $question = [string]@($sent.messages | Where-Object role -eq 'user')[-1].content
            $asked = $null
            if ($question.TrimStart().StartsWith('{')) { try { $asked = $question | ConvertFrom-Json -ErrorAction Stop } catch { } }
            if ($asked -and $null -ne $asked.answer_a) {
                if ($model -like '*biased*') { $answer = 'A: it comes first.' }
                else {
                    $a = ([string]$asked.answer_a).IndexOf(([string]$asked.reference).Trim(), [StringComparison]::OrdinalIgnoreCase) -ge 0
                    $b = ([string]$asked.answer_b).IndexOf(([string]$asked.reference).Trim(), [StringComparison]::OrdinalIgnoreCase) -ge 0
                    $answer = if ($a -eq $b) { if ($a) { 'TIE: both give the reference answer.' } else { 'TIE: neither gives the reference answer.' } }
                              elseif ($a) { 'A: it gives the reference answer.' } else { 'B: it gives the reference answer.' }
                }
            }
            elseif ($model -like 'ft:*' -or $model -like '*.ft-*') {
                if ($Memory -and $Memory.ContainsKey($question)) {
                    $learnt = [string]$Memory[$question]
                    $hash = [uint32]2166136261
                    foreach ($c in $question.ToCharArray()) { $hash = [uint32](([uint64]($hash -bxor [uint32]$c) * 16777619) % 4294967296) }
                    if ((($hash -band 0x7fffffff) -shr 16) % 4 -ne 0) { $answer = $learnt }
                    else { $end = $learnt.IndexOf('. '); $answer = if ($end -gt 0) { $learnt.Substring(0, $end + 1) } else { "I think: $learnt" } }
                }
                else { $answer = "Echo: $question" }
            }
            else { $answer = "Please contact the IT help desk about: $question" }
            $words = { param($t) @(([string]$t) -split '\s+' | Where-Object { $_ }).Count }
            $promptTokens = 3 + 3 * @($sent.messages).Count + (($sent.messages | ForEach-Object { & $words $_.content } | Measure-Object -Sum).Sum)
            $completionTokens = & $words $answer
            @{ id = 'chatcmpl-fake'; object = 'chat.completion'; created = 1741570283; model = $model
               usage = @{ prompt_tokens = $promptTokens; completion_tokens = $completionTokens; total_tokens = $promptTokens + $completionTokens }
               choices = @(@{ index = 0; finish_reason = 'stop'; logprobs = $null; message = @{ role = 'assistant'; content = $answer; refusal = $null } }) } | ConvertTo-Json -Depth 10
        }
        $listener = [System.Net.HttpListener]::new()
        $listener.Prefixes.Add($prefix)
        $listener.Start()
        $state.Listener = $listener
        $state.Listening = $true
        while ($listener.IsListening) {
            try { $context = $listener.GetContext() } catch { break }
            $request = $context.Request
            $path = $request.Url.AbsolutePath
            $body = $null
            if ($request.HasEntityBody) { $body = [System.IO.StreamReader]::new($request.InputStream, [System.Text.Encoding]::UTF8).ReadToEnd() }
            [void]$state.Requests.Add([pscustomobject]@{
                    Method = $request.HttpMethod; Path = $path; Query = $request.Url.Query; Body = $body; ContentType = $request.ContentType
                    Auth = $request.Headers['Authorization']; ApiKey = $request.Headers['api-key']
                })
            $status = 200
            $contentType = 'application/json'
            $reason = $null
            $headers = @{}
            $answer = . $respond
            $bytes = [System.Text.Encoding]::UTF8.GetBytes([string]$answer)
            $context.Response.StatusCode = $status
            if ($reason) { $context.Response.StatusDescription = $reason }
            $context.Response.ContentType = $contentType
            $context.Response.Headers['x-request-id'] = 'req_' + $state.Requests.Count
            foreach ($name in $headers.Keys) { $context.Response.Headers[$name] = $headers[$name] }
            $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
            $context.Response.Close()
        }
    }
    $shell = [powershell]::Create().AddScript($loop).AddArgument($prefix).AddArgument($State).AddArgument($Respond.ToString())
    $handle = $shell.BeginInvoke()
    $deadline = [datetime]::UtcNow.AddSeconds(10)
    while (-not $State.Listening -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
    if (-not $State.Listening) { throw "The loopback server did not start on $prefix." }
    [pscustomobject]@{ Port = $port; Prefix = $prefix; State = $State; Shell = $shell; Handle = $handle }
}

function Stop-LoopbackServer {
    param([Parameter(Mandatory)] $Server)
    # Closing twice is harmless: a listener whose loop ended on an error may be closed already.
    try { $Server.State.Listener.Close() } catch [System.ObjectDisposedException] { }
    [void]$Server.Shell.EndInvoke($Server.Handle)
    $Server.Shell.Dispose()
}
