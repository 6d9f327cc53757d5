# A stateful fake of the OpenAI fine-tuning API on 127.0.0.1, for the tests that run whole user
# flows (README's online block, every help example) rather than one request. Dot-source this file
# and LoopbackServer.ps1, then:
#
#   $fake = Start-FakeFineTuneService          # also points OPENAI_API_KEY/OPENAI_BASE_URL at it
#   ...
#   Stop-FakeFineTuneService $fake             # restores the environment
#
# It serves /v1/... (and Azure's /openai/...): files (multipart and the Uploads API), jobs, events,
# checkpoints, result metrics, model deletion and chat. A job created here succeeds on its first
# poll, with a fine-tuned model name and a result file. Ids the examples make up (file-abc123,
# ftjob-abc123) are answered as if they existed, so examples that name them run as written. A
# file's listed size is the size of what its content sends. Chat answers are deterministic; a
# judge's request (Compare-FineTuneModel -JudgeModel) is answered by Get-FakeChatCompletion.
#
# For Azure it also serves a managed identity (IDENTITY_ENDPOINT, see Connect-FakeAzure) whose
# tokens it accepts, refuses a job without a training tier as Azure does, names fine-tuned models
# as Azure does (<base>.ft-<id>), and serves Resource Manager: the subscription, the account whose
# endpoint is this server, and its deployments (Creating, then Succeeded on the next read).
# Reset-FakeFineTuneService empties jobs and files and leaves the deployments the examples name
# (helpdesk, test-vpn).

function Start-FakeFineTuneService {
    $state = [hashtable]::Synchronized(@{
            Requests = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
            Files    = [hashtable]::Synchronized(@{})
            Jobs     = [hashtable]::Synchronized(@{})
            Contents    = [hashtable]::Synchronized(@{})
            Deployments = [hashtable]::Synchronized(@{})
            Tokens      = [hashtable]::Synchronized(@{})
            Next        = 0
            Key         = 'fake-examples-key-Hx7pQ2'
            IdentityHeader = 'fake-identity-header-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        })
    $server = Start-LoopbackServer -State $state -Respond {
        function NewId($prefix) { $state.Next++; '{0}-fake{1:d4}' -f $prefix, $state.Next }
        function Json($value) { $value | ConvertTo-Json -Depth 20 -Compress }
        # What a file sends: what was uploaded, else a result file's metrics or ten training examples.
        function FileContent($id) {
            if ($state.Contents.ContainsKey($id)) { return $state.Contents[$id] }
            if ($id -like 'file-result*') {
                return "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy,train_tokens_seen`n1,1.52,0.50,,,512`n2,1.10,0.61,1.21,0.55,1024`n3,0.74,0.72,0.98,0.63,1536`n"
            }
            -join (1..10 | ForEach-Object { '{"messages":[{"role":"user","content":"Question ' + $_ + '?"},{"role":"assistant","content":"Answer ' + $_ + '."}]}' + "`n" })
        }
        function FileObject($id) {
            if ($state.Files.ContainsKey($id)) { return $state.Files[$id] }
            $purpose = if ($id -like 'file-result*') { 'fine-tune-results' } else { 'fine-tune' }
            $name = if ($purpose -eq 'fine-tune-results') { 'step_metrics.csv' } else { 'train.jsonl' }
            @{ id = $id; object = 'file'; bytes = [System.Text.Encoding]::UTF8.GetByteCount((FileContent $id)); created_at = 1764316800; filename = $name; purpose = $purpose; status = 'processed'; status_details = $null }
        }
        function JobObject($id) {
            if (-not $state.Jobs.ContainsKey($id)) {
                $state.Jobs[$id] = [ordered]@{
                    object = 'fine_tuning.job'; id = $id; model = 'gpt-4o-mini-2024-07-18'; created_at = 1764316800; finished_at = $null
                    fine_tuned_model = $null; organization_id = 'org-fake'; result_files = @(); status = 'running'; validation_file = $null
                    training_file = 'file-abc123'; trained_tokens = $null; error = $null; seed = 7; estimated_finish = $null
                    metadata = @{}; integrations = @(); suffix = 'helpdesk'
                    method = @{ type = 'supervised'; supervised = @{ hyperparameters = @{ n_epochs = 'auto'; batch_size = 'auto'; learning_rate_multiplier = 'auto' } } }
                }
            }
            $state.Jobs[$id]
        }
        function Finish($job) {
            if ($job.status -in 'validating_files', 'queued', 'running') {
                $job.status = 'succeeded'
                $job.finished_at = 1764320400
                $job.trained_tokens = 2112
                $job.fine_tuned_model = if ($azure) { '{0}.ft-{1}' -f $job.model, ($job.id -replace '\W', '') }
                else { 'ft:{0}:fake-org:{1}:{2}' -f $job.model, $(if ($job.suffix) { $job.suffix } else { 'x' }), ($job.id -replace '\W', '') }
                $job.result_files = @('file-result-' + ($job.id -replace '^ftjob-', ''))
                $job.method.supervised.hyperparameters = @{ n_epochs = 3; batch_size = 1; learning_rate_multiplier = 1.8 }
            }
            $job
        }
        function Page($items) { Json @{ object = 'list'; has_more = $false; data = @($items) } }

        function Arm($value) { $value | ConvertTo-Json -Depth 20 }
        function DeploymentObject($d) {
            @{ id = "/subscriptions/sub-fake/resourceGroups/rg-fake/providers/Microsoft.CognitiveServices/accounts/acct-fake/deployments/$($d.Name)"
                name = $d.Name; type = 'Microsoft.CognitiveServices/accounts/deployments'
                sku = @{ name = $d.Sku; capacity = $d.Capacity }; systemData = @{ createdAt = $d.Created }
                properties = @{ provisioningState = $d.State; model = @{ format = 'OpenAI'; name = $d.Model; version = '1' } } }
        }

        if ("$($request.HttpMethod) $path" -eq 'GET /msi/token') {
            if ($request.Headers['X-IDENTITY-HEADER'] -ne $state.IdentityHeader) { $status = 400; return (Json @{ error = 'invalid_request'; error_description = 'X-IDENTITY-HEADER is missing or wrong.' }) }
            $token = 'fake-entra-token-' + [guid]::NewGuid().ToString('N')
            $state.Tokens[$token] = $request.QueryString['resource']
            $expires = [DateTimeOffset]::UtcNow.AddHours(1).ToUnixTimeSeconds()
            return (Json @{ access_token = $token; expires_on = "$expires"; resource = $request.QueryString['resource']; token_type = 'Bearer' })
        }
        $bearer = [string]$request.Headers['Authorization'] -replace '^Bearer ', ''
        $authorized = $bearer -eq $state.Key -or $request.Headers['api-key'] -eq $state.Key -or $state.Tokens.ContainsKey($bearer)
        $azure = $path -like '/openai/*'
        $route = $path -replace '^/(openai/v1|openai|v1)/', ''
        if ($path -like '/subscriptions*') {
            if (-not $state.Tokens.ContainsKey($bearer)) {
                $status = 401
                return (Arm @{ error = @{ code = 'InvalidAuthenticationToken'; message = 'The access token is invalid.' } })
            }
            $account = '^/subscriptions/sub-fake/resourceGroups/rg-fake/providers/Microsoft\.CognitiveServices/accounts/acct-fake/deployments'
            switch -Regex ("$($request.HttpMethod) $path") {
                '^GET /subscriptions$' { Arm @{ value = @(@{ id = '/subscriptions/sub-fake'; subscriptionId = 'sub-fake'; displayName = 'Fake'; state = 'Enabled' }) } }
                '^GET /subscriptions/sub-fake/providers/Microsoft\.CognitiveServices/accounts$' {
                    Arm @{ value = @(@{ id = '/subscriptions/sub-fake/resourceGroups/rg-fake/providers/Microsoft.CognitiveServices/accounts/acct-fake'; name = 'acct-fake'
                                properties = @{ endpoint = $request.Url.GetLeftPart('Authority') + '/' } }) }
                }
                "^GET $($account.TrimStart('^'))`$" { Arm @{ value = @($state.Deployments.Values | Sort-Object { $_.Name } | ForEach-Object { DeploymentObject $_ }) } }
                "^PUT $($account.TrimStart('^'))/([^/]+)$" {
                    $sent = $body | ConvertFrom-Json
                    $state.Deployments[$Matches[1]] = @{ Name = $Matches[1]; Model = $sent.properties.model.name; Sku = $sent.sku.name; Capacity = $sent.sku.capacity; State = 'Creating'; Created = [DateTimeOffset]::UtcNow.ToString('o') }
                    $status = 201
                    Arm (DeploymentObject $state.Deployments[$Matches[1]])
                }
                "^GET $($account.TrimStart('^'))/([^/]+)$" {
                    $d = $state.Deployments[$Matches[1]]
                    if (-not $d) { $status = 404; return (Arm @{ error = @{ code = 'DeploymentNotFound'; message = "Deployment $($Matches[1]) not found." } }) }
                    $shown = DeploymentObject $d
                    $d.State = 'Succeeded'
                    Arm $shown
                }
                "^DELETE $($account.TrimStart('^'))/([^/]+)$" {
                    $status = if ($state.Deployments.ContainsKey($Matches[1])) { 200 } else { 204 }
                    $state.Deployments.Remove($Matches[1])
                    ''
                }
                default { $status = 404; Arm @{ error = @{ code = 'NotFound'; message = "The fake has no route for $($request.HttpMethod) $path." } } }
            }
            return
        }
        if (-not $authorized) {
            $status = 401
            Json @{ error = @{ message = 'Incorrect API key provided.'; type = 'invalid_request_error'; code = 'invalid_api_key'; param = $null } }
            return
        }
        switch -Regex ("$($request.HttpMethod) $route") {
            '^POST files$' {
                $id = NewId 'file'
                $name = if ($body -match 'filename="([^"]+)"') { $Matches[1] } else { 'upload.jsonl' }
                $purpose = if ($body -match 'name="purpose"\r\n\r\n([^\r]+)') { $Matches[1] } else { 'fine-tune' }
                if ($body -match '(?s)filename="[^"]*"\r\n(?:[^\r]+\r\n)*\r\n(.*)\r\n--[^\r]*--\r\n$') { $state.Contents[$id] = $Matches[1] }
                $state.Files[$id] = @{ id = $id; object = 'file'; bytes = [System.Text.Encoding]::UTF8.GetByteCount((FileContent $id)); created_at = 1764316800; filename = $name; purpose = $purpose; status = 'processed'; status_details = $null }
                Json $state.Files[$id]
            }
            '^GET files$' {
                $files = @($state.Files.Values | Sort-Object { $_.id } -Descending)
                if ($request.QueryString['purpose']) { $files = @($files | Where-Object purpose -eq $request.QueryString['purpose']) }
                if (-not $files) { $files = @((FileObject 'file-abc123'), (FileObject 'file-result-abc123')) }
                Page $files
            }
            '^GET files/([^/]+)/content$' {
                $contentType = if ($Matches[1] -like 'file-result*') { 'text/csv' } else { 'application/jsonl' }
                FileContent $Matches[1]
            }
            '^GET files/([^/]+)$' { Json (FileObject $Matches[1]) }
            '^DELETE files/([^/]+)$' { $state.Files.Remove($Matches[1]); Json @{ id = $Matches[1]; object = 'file'; deleted = $true } }
            '^POST uploads$' {
                $sent = $body | ConvertFrom-Json
                $id = NewId 'upload'
                $state[$id] = $sent
                Json @{ id = $id; object = 'upload'; bytes = $sent.bytes; created_at = 1764316800; filename = $sent.filename; purpose = $sent.purpose; status = 'pending'; expires_at = 1764320400 }
            }
            '^POST uploads/([^/]+)/parts$' { Json @{ id = (NewId 'part'); object = 'upload.part'; created_at = 1764316800; upload_id = $Matches[1] } }
            '^POST uploads/([^/]+)/complete$' {
                $upload = $state[$Matches[1]]
                $id = NewId 'file'
                $state.Files[$id] = @{ id = $id; object = 'file'; bytes = [System.Text.Encoding]::UTF8.GetByteCount((FileContent $id)); created_at = 1764316800; filename = $upload.filename; purpose = $upload.purpose; status = 'processed'; status_details = $null }
                Json @{ id = $Matches[1]; object = 'upload'; bytes = $upload.bytes; created_at = 1764316800; filename = $upload.filename; purpose = $upload.purpose; status = 'completed'; expires_at = 1764320400; file = $state.Files[$id] }
            }
            '^POST uploads/([^/]+)/cancel$' { Json @{ id = $Matches[1]; object = 'upload'; status = 'cancelled' } }
            '^POST fine_tuning/jobs$' {
                $sent = $body | ConvertFrom-Json -AsHashtable
                if ($azure -and -not $sent.trainingType) {
                    # What Azure answers a job that names no training tier.
                    $status = 400
                    return (Json @{ error = @{ code = 'invalidPayload'; message = 'The specified base model does not support fine-tuning.' } })
                }
                $job = JobObject (NewId 'ftjob')
                $job.status = 'validating_files'
                foreach ($key in 'model', 'training_file', 'validation_file', 'suffix', 'seed', 'metadata', 'integrations') {
                    if ($sent.ContainsKey($key)) { $job[$key] = $sent[$key] }
                }
                if ($sent.method) { $job.method = $sent.method }
                if (-not $job.method.supervised) { $job.method.supervised = @{ hyperparameters = @{} } }
                Json $job
            }
            '^GET fine_tuning/jobs$' {
                $jobs = @($state.Jobs.Values | Sort-Object { $_.id } -Descending)
                if (-not $jobs) { $jobs = @(Finish (JobObject 'ftjob-abc123')) }
                Page $jobs
            }
            '^GET fine_tuning/jobs/([^/]+)/events$' {
                $job = JobObject $Matches[1]
                Page @(3, 2, 1 | ForEach-Object {
                        @{ object = 'fine_tuning.job.event'; id = "ftevent-$_"; created_at = 1764316800 + $_ * 60; level = 'info'; type = 'metrics'
                            message = "Step $_/3: training loss=0.5$_"; data = @{ step = $_; total_steps = 3; train_loss = 0.5 + $_ / 100 } }
                    })
            }
            '^GET fine_tuning/jobs/([^/]+)/checkpoints$' {
                $job = Finish (JobObject $Matches[1])
                Page @(@{ object = 'fine_tuning.job.checkpoint'; id = 'ftckpt-fake1'; created_at = 1764319000; fine_tuning_job_id = $job.id; step_number = 3
                        fine_tuned_model_checkpoint = "$($job.fine_tuned_model):ckpt-step-3"; metrics = @{ step = 3; train_loss = 0.74; valid_loss = 0.98; full_valid_loss = 1.01 } })
            }
            '^POST fine_tuning/jobs/([^/]+)/(cancel|pause|resume)$' {
                $job = JobObject $Matches[1]
                $job.status = @{ cancel = 'cancelled'; pause = 'paused'; resume = 'running' }[$Matches[2]]
                Json $job
            }
            '^GET fine_tuning/jobs/([^/]+)$' { Json (Finish (JobObject $Matches[1])) }
            '^DELETE models/(.+)$' { Json @{ id = [uri]::UnescapeDataString($Matches[1]); object = 'model'; deleted = $true } }
            '^POST chat/completions$' {
                $sent = $body | ConvertFrom-Json
                if ([string]$sent.messages[-1].content -match '(?s)^\s*\{.*"answer_a"') { return (Get-FakeChatCompletion $body) }
                Json @{ id = 'chatcmpl-fake'; object = 'chat.completion'; created = 1764316800; model = $sent.model
                    usage = @{ prompt_tokens = 12; completion_tokens = 9; total_tokens = 21 }
                    choices = @(@{ index = 0; finish_reason = 'stop'; logprobs = $null
                            message = @{ role = 'assistant'; content = "Try reconnecting the VPN client. (You said: $($sent.messages[-1].content))"; refusal = $null } }) }
            }
            default {
                $status = 404
                Json @{ error = @{ message = "The fake service has no route for $($request.HttpMethod) $path."; type = 'invalid_request_error'; code = $null; param = $null } }
            }
        }
    }
    $saved = @{}
    foreach ($name in 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_ORG_ID', 'OPENAI_PROJECT_ID', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT', 'OPENAI_API_VERSION', 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'AZURE_SUBSCRIPTION_ID') {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    $env:OPENAI_API_KEY = $state.Key
    $env:OPENAI_BASE_URL = "$($server.Prefix)v1"
    $server | Add-Member -NotePropertyName SavedEnvironment -NotePropertyValue $saved -PassThru |
        Add-Member -NotePropertyName BaseUri -NotePropertyValue "$($server.Prefix)v1" -PassThru
}

# Jobs, files and deployments as at the start, with the deployments the examples name.
function Reset-FakeFineTuneService {
    param([Parameter(Mandatory)] $Server)
    $state = $Server.State
    $state.Jobs.Clear()
    $state.Files.Clear()
    $state.Contents.Clear()
    $state.Deployments.Clear()
    foreach ($name in 'helpdesk', 'test-vpn') {
        $state.Deployments[$name] = @{ Name = $name; Model = 'gpt-4.1-mini-2025-04-14.ft-abc123'; Sku = 'GlobalStandard'; Capacity = 1; State = 'Succeeded'; Created = '2025-11-28T08:00:00Z' }
    }
}

# Signs in to this server as Azure OpenAI with its managed identity, Resource Manager included.
function Connect-FakeAzure {
    param([Parameter(Mandatory)] $Server)
    $env:IDENTITY_ENDPOINT = "$($Server.Prefix)msi/token"
    $env:IDENTITY_HEADER = $Server.State.IdentityHeader
    Connect-FineTuneService -Provider AzureOpenAI -Endpoint $Server.Prefix -Identity -ResourceManagerUri $Server.Prefix
}

function Stop-FakeFineTuneService {
    param([Parameter(Mandatory)] $Server)
    Stop-LoopbackServer $Server
    foreach ($name in $Server.SavedEnvironment.Keys) { [Environment]::SetEnvironmentVariable($name, $Server.SavedEnvironment[$name]) }
}
