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
    $Server.State.Listener.Stop()
    [void]$Server.Shell.EndInvoke($Server.Handle)
    $Server.Shell.Dispose()
}
