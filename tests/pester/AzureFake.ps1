# A loopback stand-in for Azure OpenAI: a managed identity endpoint issuing short-lived tokens
# (IDENTITY_ENDPOINT / X-IDENTITY-HEADER, api-version 2019-08-01), the v1 data plane
# (/openai/v1/files, fine_tuning/jobs, chat/completions; no api-version) and Azure Resource
# Manager's deployments (Microsoft.CognitiveServices 2025-06-01) with a provisioning delay.
# Every request is checked against what Microsoft publishes (the Deployment schema's fields and
# types, required sku.name, the api-versions, the token audiences, trainingType's values); what
# does not hold is added to $state.Violations, which the tests expect to stay empty.
# Dot-source after LoopbackServer.ps1:  $server = Start-AzureFake -TokenLifetime 3 -JobSeconds 10

function Start-AzureFake {
    param([int] $TokenLifetime = 3600, [double] $JobSeconds = 0)
    $state = [hashtable]::Synchronized(@{
            Requests       = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
            Violations     = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
            Tokens         = [hashtable]::Synchronized(@{})
            ExpiredUses    = 0
            IdentityHeader = 'fake-identity-header-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
            TokenLifetime  = $TokenLifetime
            JobSeconds     = $JobSeconds
            Jobs           = [hashtable]::Synchronized(@{})
            Deployments    = [hashtable]::Synchronized(@{})
            Chats          = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
        })
    $server = Start-LoopbackServer -State $state -Respond {
        function Err([int] $code, [string] $errorCode, [string] $message) {
            $script:status = $code
            @{ error = @{ code = $errorCode; message = $message } } | ConvertTo-Json
        }
        function Violation([string] $text) { [void]$state.Violations.Add("$($request.HttpMethod) $path$($request.Url.Query): $text") }
        function Authorized([string] $audience) {
            $auth = [string]$request.Headers['Authorization']
            if ($request.Headers['api-key']) { Violation 'an api-key header was sent with Entra ID sign-in' }
            if (-not $auth.StartsWith('Bearer ')) { return $false }
            $issued = $state.Tokens[$auth.Substring(7)]
            if (-not $issued) { return $false }
            if ($issued.Expires -le [DateTimeOffset]::UtcNow) { $state.ExpiredUses++; return $false }
            $issued.Resource -eq $audience
        }
        $now = [DateTimeOffset]::UtcNow
        $query = $request.QueryString
        switch -Regex ("$($request.HttpMethod) $path") {
            '^GET /msi/token$' {
                if ($request.Headers['X-IDENTITY-HEADER'] -ne $state.IdentityHeader) { return (Err 400 'invalid_request' 'X-IDENTITY-HEADER is missing or wrong.') }
                if ($query['api-version'] -ne '2019-08-01') { Violation 'managed identity api-version is not 2019-08-01' }
                $resource = $query['resource']
                if ($resource -notin 'https://cognitiveservices.azure.com', "$($request.Url.GetLeftPart('Authority'))") { Violation "unexpected token resource $resource" }
                $expires = $now.AddSeconds($state.TokenLifetime).ToUnixTimeSeconds()
                $token = 'eyJ0eXAiOiJKV1QifQ.' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("{`"aud`":`"$resource`",`"exp`":$expires}")).TrimEnd('=').Replace('+', '-').Replace('/', '_') + '.' + [guid]::NewGuid().ToString('N')
                $state.Tokens[$token] = @{ Expires = [DateTimeOffset]::FromUnixTimeSeconds($expires); Resource = $resource }
                @{ access_token = $token; expires_on = "$expires"; resource = $resource; token_type = 'Bearer' } | ConvertTo-Json
            }
            '^\w+ /openai/' {
                if (-not (Authorized 'https://cognitiveservices.azure.com')) { return (Err 401 '401' 'Access denied due to invalid subscription key or wrong API endpoint.') }
                if ($path -notlike '/openai/v1/*') { Violation 'not the v1 API' }
                if ($query['api-version']) { Violation 'an api-version was sent to the v1 API' }
                switch -Regex ("$($request.HttpMethod) $path") {
                    '^POST /openai/v1/files$' {
                        if ($body -notmatch 'name="purpose"\r\n\r\nfine-tune') { Violation 'upload without purpose fine-tune' }
                        @{ id = 'file-az1'; object = 'file'; bytes = $body.Length; created_at = $now.ToUnixTimeSeconds(); filename = 'train.jsonl'; purpose = 'fine-tune'; status = 'processed' } | ConvertTo-Json
                    }
                    '^GET /openai/v1/files/file-az1$' { @{ id = 'file-az1'; object = 'file'; bytes = 1; created_at = 1; filename = 'train.jsonl'; purpose = 'fine-tune'; status = 'processed' } | ConvertTo-Json }
                    '^POST /openai/v1/fine_tuning/jobs$' {
                        $sent = $body | ConvertFrom-Json
                        if (-not $sent.model -or -not $sent.training_file) { Violation 'a job without model or training_file' }
                        if (-not $sent.trainingType) { return (Err 400 'invalidPayload' 'The specified base model does not support fine-tuning.') }
                        if ($sent.trainingType -cnotin 'Standard', 'GlobalStandard', 'developerTier') { Violation "trainingType '$($sent.trainingType)'" }
                        $job = @{ id = 'ftjob-az1'; object = 'fine_tuning.job'; model = $sent.model; training_file = $sent.training_file; created_at = $now.ToUnixTimeSeconds(); status = 'pending'; metadata = $sent.metadata; suffix = $sent.suffix; Started = $now }
                        $state.Jobs[$job.id] = $job
                        $shown = @{} + $job; $shown.Remove('Started'); $shown | ConvertTo-Json -Depth 5
                    }
                    '^GET /openai/v1/fine_tuning/jobs/ftjob-az1$' {
                        $job = $state.Jobs['ftjob-az1']
                        $elapsed = ($now - $job.Started).TotalSeconds
                        $job.status = if ($elapsed -lt 1) { 'pending' } elseif ($elapsed -lt $state.JobSeconds) { 'running' } else { 'succeeded' }
                        if ($job.status -eq 'succeeded') { $job.fine_tuned_model = "$($job.model).ft-az1"; $job.finished_at = $now.ToUnixTimeSeconds() }
                        $shown = @{} + $job; $shown.Remove('Started'); $shown | ConvertTo-Json -Depth 5
                    }
                    '^GET /openai/v1/fine_tuning/jobs/ftjob-az1/events$' { @{ object = 'list'; has_more = $false; data = @() } | ConvertTo-Json }
                    '^POST /openai/v1/chat/completions$' {
                        $sent = $body | ConvertFrom-Json
                        $deployment = $state.Deployments[$sent.model]
                        if (-not $deployment -or $deployment.State -ne 'Succeeded') { return (Err 404 'DeploymentNotFound' "The API deployment for this resource does not exist: $($sent.model)") }
                        [void]$state.Chats.Add($sent)
                        @{ id = 'chatcmpl-1'; object = 'chat.completion'; model = $deployment.Model; choices = @(@{ index = 0; finish_reason = 'stop'; message = @{ role = 'assistant'; content = 'Check the VPN client''s idle timeout.' } }); usage = @{ prompt_tokens = 12; completion_tokens = 8; total_tokens = 20 } } | ConvertTo-Json -Depth 6
                    }
                    '^DELETE /openai/v1/models/(.+)$' {
                        $model = [uri]::UnescapeDataString($Matches[1])
                        if (@($state.Deployments.Values | Where-Object Model -eq $model).Count -gt 0) { return (Err 409 'conflict' 'The model cannot be deleted because it is deployed.') }
                        $script:status = 204
                        ''
                    }
                    default { Err 404 'NotFound' "No route $path" }
                }
            }
            '^GET /subscriptions$' {
                if (-not (Authorized "$($request.Url.GetLeftPart('Authority'))")) { return (Err 401 'InvalidAuthenticationToken' 'The access token is invalid.') }
                @{ value = @(@{ id = '/subscriptions/sub-1'; subscriptionId = 'sub-1'; displayName = 'Fake'; state = 'Enabled' }) } | ConvertTo-Json -Depth 4
            }
            '^GET /subscriptions/sub-1/providers/Microsoft\.CognitiveServices/accounts$' {
                if (-not (Authorized "$($request.Url.GetLeftPart('Authority'))")) { return (Err 401 'InvalidAuthenticationToken' 'The access token is invalid.') }
                if ($query['api-version'] -ne '2025-06-01') { Violation "api-version $($query['api-version']) instead of 2025-06-01" }
                @{ value = @(
                        @{ id = '/subscriptions/sub-1/resourceGroups/rg-0/providers/Microsoft.CognitiveServices/accounts/other'; name = 'other'; properties = @{ endpoint = 'https://other.openai.azure.com/' } },
                        @{ id = '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.CognitiveServices/accounts/acct-1'; name = 'acct-1'; properties = @{ endpoint = $request.Url.GetLeftPart('Authority') + '/' } }
                    ) } | ConvertTo-Json -Depth 5
            }
            '^\w+ /subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\.CognitiveServices/accounts/([^/]+)/deployments(/([^/]+))?$' {
                $name = $Matches[5]
                if (-not (Authorized "$($request.Url.GetLeftPart('Authority'))")) { return (Err 401 'InvalidAuthenticationToken' 'The access token is invalid.') }
                if ($query['api-version'] -ne '2025-06-01') { Violation "api-version $($query['api-version']) instead of 2025-06-01" }
                if ($name -and $name -notmatch '^[A-Za-z0-9][A-Za-z0-9_.-]*$') { Violation "deployment name '$name'" }
                switch ($request.HttpMethod) {
                    'PUT' {
                        $sent = $body | ConvertFrom-Json
                        # Deployment (cognitiveservices.json 2025-06-01): sku, tags, properties are what a client may send.
                        $extra = @($sent.PSObject.Properties.Name | Where-Object { $_ -notin 'sku', 'tags', 'properties' })
                        if ($extra) { Violation "unknown Deployment fields: $($extra -join ', ')" }
                        if ($sent.sku.name -isnot [string]) { Violation 'sku.name (required) missing' }
                        if ($null -ne $sent.sku.capacity -and $sent.sku.capacity -isnot [long] -and $sent.sku.capacity -isnot [int]) { Violation 'sku.capacity is not an integer' }
                        if ($sent.sku.name -cnotin 'Standard', 'GlobalStandard', 'DeveloperTier') { Violation "sku.name '$($sent.sku.name)'" }
                        $writable = 'model', 'scaleSettings', 'raiPolicyName', 'versionUpgradeOption', 'currentCapacity', 'capacitySettings', 'parentDeploymentName', 'spilloverDeploymentName'
                        $badProps = @($sent.properties.PSObject.Properties.Name | Where-Object { $_ -notin $writable })
                        if ($badProps) { Violation "read-only or unknown DeploymentProperties: $($badProps -join ', ')" }
                        $model = $sent.properties.model
                        foreach ($field in 'format', 'name', 'version') { if ($model.$field -isnot [string]) { Violation "properties.model.$field is not a string" } }
                        if ($model.name -notin @($state.Jobs.Values.fine_tuned_model)) { return (Err 400 'InvalidResourceProperties' "The model $($model.name) does not exist.") }
                        $state.Deployments[$name] = @{ Name = $name; Model = $model.name; Sku = $sent.sku.name; Capacity = $sent.sku.capacity; State = 'Creating'; Gets = 0; Created = $now }
                        $script:status = 201
                    }
                    'GET' {
                        if (-not $name) {
                            $items = @($state.Deployments.Values)
                        }
                        elseif (-not $state.Deployments[$name]) { return (Err 404 'DeploymentNotFound' "Deployment $name not found.") }
                        else {
                            $d = $state.Deployments[$name]
                            $d.Gets++
                            if ($d.State -eq 'Creating' -and $d.Gets -ge 2) { $d.State = 'Succeeded' }
                        }
                    }
                    'DELETE' {
                        if (-not $state.Deployments[$name]) { $script:status = 204; return '' }
                        $state.Deployments.Remove($name)
                        $script:status = 202
                        return ''
                    }
                }
                $id = $path
                function DeploymentJson($d) {
                    @{ id = "$id" -replace '/deployments.*$', "/deployments/$($d.Name)"; name = $d.Name; type = 'Microsoft.CognitiveServices/accounts/deployments'
                        sku = @{ name = $d.Sku; capacity = $d.Capacity }; systemData = @{ createdAt = $d.Created.ToString('o') }
                        properties = @{ provisioningState = $d.State; model = @{ format = 'OpenAI'; name = $d.Model; version = '1' } } }
                }
                if ($name) { DeploymentJson $state.Deployments[$name] | ConvertTo-Json -Depth 6 }
                else { @{ value = @($items | ForEach-Object { DeploymentJson $_ }) } | ConvertTo-Json -Depth 8 }
            }
            default { Err 404 'NotFound' "No route $path" }
        }
    }
    $server
}
