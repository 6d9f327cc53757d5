# Two loopback servers for the archive tests (dot-source after LoopbackServer.ps1):
#
#   Start-OpenAiStandIn   an OpenAI account about to close: three jobs with events, checkpoints,
#                         training, validation and result files, one result file no longer served.
#                         $state.HangOn = '<file id>' makes the next download of that file wait
#                         (it sets $state.Hanging) until $state.Release is set.
#   Start-AzureStandIn    the new provider: takes uploads (multipart) and job creations, under
#                         /openai/... (dated api-version) and /openai/v1/... alike.

function New-ArchiveState {
    [hashtable]::Synchronized(@{ Requests = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new()) })
}

function New-ChatLines([string] $Tag, [int] $Count) {
    (1..$Count | ForEach-Object { "{`"messages`":[{`"role`":`"user`",`"content`":`"$Tag question $_`"},{`"role`":`"assistant`",`"content`":`"$Tag answer $_`"}]}" }) -join "`n"
}

function New-PreferenceLines([int] $Count) {
    (1..$Count | ForEach-Object {
            "{`"input`":{`"messages`":[{`"role`":`"user`",`"content`":`"question $_`"}]},`"preferred_output`":[{`"role`":`"assistant`",`"content`":`"kind answer $_`"}],`"non_preferred_output`":[{`"role`":`"assistant`",`"content`":`"rude answer $_`"}]}"
        }) -join "`n"
}

function Start-OpenAiStandIn([hashtable] $State) {
    $State.Files = @{
        'file-train' = @{ name = 'helpdesk train.jsonl'; purpose = 'fine-tune'; content = (New-ChatLines 'train' 12) + "`n" }
        'file-valid' = @{ name = 'valid.jsonl'; purpose = 'fine-tune'; content = (New-ChatLines 'valid' 10) + "`n" }
        'file-prefs' = @{ name = 'prefs.jsonl'; purpose = 'fine-tune'; content = (New-PreferenceLines 10) + "`n" }
        'file-res1'  = @{ name = 'step_metrics.csv'; purpose = 'fine-tune-results'; content = "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy`n1,1.5,0.5,,`n2,1.0,0.6,1.1,0.55`n" }
        'file-res2'  = @{ name = 'step_metrics.csv'; purpose = 'fine-tune-results'; content = "step,train_loss,train_accuracy`n1,0.9,0.7`n" }
    }
    function Method($type, $hyperparameters) { [ordered]@{ type = $type; $type = [ordered]@{ hyperparameters = $hyperparameters } } }
    $State.Jobs = @(
        [ordered]@{ object = 'fine_tuning.job'; id = 'ftjob-ghi789'; model = 'ft:gpt-4o-mini-2024-07-18:org-1:helpdesk:abc'; created_at = 1721770000; finished_at = 1721771000
            fine_tuned_model = $null; organization_id = 'org-1'; result_files = @('file-gone'); status = 'failed'; validation_file = $null; training_file = 'file-train'
            error = @{ code = 'invalid_training_file'; message = 'Line 4 has no assistant message.'; param = 'training_file' }; seed = 5; metadata = $null
            method = (Method 'supervised' @{ n_epochs = 'auto'; batch_size = 'auto'; learning_rate_multiplier = 'auto' }) }
        [ordered]@{ object = 'fine_tuning.job'; id = 'ftjob-def456'; model = 'gpt-4o-mini-2024-07-18'; created_at = 1721767000; finished_at = 1721768000
            fine_tuned_model = 'ft:gpt-4o-mini-2024-07-18:org-1:prefs:def'; organization_id = 'org-1'; result_files = @('file-res2'); status = 'succeeded'
            validation_file = $null; training_file = 'file-prefs'; error = $null; seed = 11; metadata = @{ team = 'it' }
            method = (Method 'dpo' ([ordered]@{ n_epochs = 2; batch_size = 4; learning_rate_multiplier = 0.5; beta = 0.2 })) }
        [ordered]@{ object = 'fine_tuning.job'; id = 'ftjob-abc123'; model = 'gpt-4o-mini-2024-07-18'; created_at = 1721764800; finished_at = 1721766000
            fine_tuned_model = 'ft:gpt-4o-mini-2024-07-18:org-1:helpdesk:abc'; organization_id = 'org-1'; result_files = @('file-res1'); status = 'succeeded'
            validation_file = 'file-valid'; training_file = 'file-train'; error = $null; seed = 42; metadata = @{ team = 'it' }
            method = (Method 'supervised' ([ordered]@{ n_epochs = 3; batch_size = 1; learning_rate_multiplier = 1.8 })) }
    )
    Start-LoopbackServer -State $State -Respond {
        function NotFound($message) { @{ error = @{ message = $message; type = 'invalid_request_error'; code = $null; param = 'id' } } | ConvertTo-Json }
        function Events($id) {
            $events = 1..3 | ForEach-Object {
                [ordered]@{ object = 'fine_tuning.job.event'; id = "ftevent-$id-$_"; created_at = 1721764800 + $_; level = 'info'; message = "Step $_/3: training loss=0.5"; type = 'metrics'; data = @{ step = $_; train_loss = 0.5; total_steps = 3 } }
            }
            [array]::Reverse($events)
            $events
        }
        $status = 200
        switch -Regex ("$($request.HttpMethod) $path") {
            '^GET /v1/fine_tuning/jobs$' { @{ object = 'list'; has_more = $false; data = @($state.Jobs) } | ConvertTo-Json -Depth 20 }
            '^GET /v1/fine_tuning/jobs/([^/]+)$' {
                $job = $state.Jobs | Where-Object { $_.id -eq $Matches[1] }
                if ($job) { $job | ConvertTo-Json -Depth 20 } else { $status = 404; NotFound "Could not find fine-tune: $($Matches[1])" }
            }
            '^GET /v1/fine_tuning/jobs/([^/]+)/events$' { @{ object = 'list'; has_more = $false; data = @(Events $Matches[1]) } | ConvertTo-Json -Depth 20 }
            '^GET /v1/fine_tuning/jobs/([^/]+)/checkpoints$' {
                $id = $Matches[1]
                @{ object = 'list'; has_more = $false; data = @([ordered]@{ object = 'fine_tuning.job.checkpoint'; id = "ftckpt-$id"; created_at = 1721765000; fine_tuned_model_checkpoint = "ft:gpt-4o-mini-2024-07-18:org-1::$($id):ckpt-step-2"; fine_tuning_job_id = $id; step_number = 2; metrics = @{ step = 2; train_loss = 1.0 } }) } | ConvertTo-Json -Depth 20
            }
            '^GET /v1/files/([^/]+)$' {
                $file = $state.Files[$Matches[1]]
                if ($file) { @{ id = $Matches[1]; object = 'file'; bytes = [System.Text.Encoding]::UTF8.GetByteCount($file.content); created_at = 1721764000; filename = $file.name; purpose = $file.purpose; status = 'processed' } | ConvertTo-Json }
                else { $status = 404; NotFound "No such File object: $($Matches[1])" }
            }
            '^GET /v1/files/([^/]+)/content$' {
                $id = $Matches[1]
                if ($state.HangOn -eq $id) {
                    $state.HangOn = $null
                    $state.Hanging = $true
                    $deadline = [datetime]::UtcNow.AddSeconds(60)
                    while (-not $state.Release -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                }
                $file = $state.Files[$id]
                if ($file) { $contentType = 'application/octet-stream'; $file.content } else { $status = 404; NotFound "No such File object: $id" }
            }
            default { $status = 404; NotFound "No route for $path" }
        }
    }
}

function Start-AzureStandIn([hashtable] $State) {
    $State.Uploads = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
    $State.Created = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
    Start-LoopbackServer -State $State -Respond {
        $status = 200
        if ($request.Headers['api-key'] -ne $state.Key) {
            $status = 401
            return (@{ error = @{ code = '401'; message = 'Access denied due to invalid subscription key.' } } | ConvertTo-Json)
        }
        switch -Regex ("$($request.HttpMethod) $path") {
            '^POST /openai(/v1)?/files$' {
                $name = if ($body -match 'filename="([^"]+)"') { $Matches[1] } else { 'unknown' }
                $content = if ($body -match '(?s)name="file"[^\r]*\r\n(?:[^\r]+\r\n)*\r\n(.*?)\r\n--') { $Matches[1] } else { '' }
                $id = "file-az$($state.Uploads.Count + 1)"
                [void]$state.Uploads.Add([pscustomobject]@{ Id = $id; Name = $name; Content = $content })
                @{ id = $id; object = 'file'; bytes = [System.Text.Encoding]::UTF8.GetByteCount($content); created_at = 1764300000; filename = $name; purpose = 'fine-tune'; status = 'pending' } | ConvertTo-Json
            }
            '^GET /openai(/v1)?/files/([^/]+)$' {
                $upload = $state.Uploads | Where-Object Id -eq $Matches[2]
                @{ id = $upload.Id; object = 'file'; bytes = 1; created_at = 1764300000; filename = $upload.Name; purpose = 'fine-tune'; status = 'processed' } | ConvertTo-Json
            }
            '^POST /openai(/v1)?/fine_tuning/jobs$' {
                $sent = $body | ConvertFrom-Json
                [void]$state.Created.Add($sent)
                [ordered]@{ object = 'fine_tuning.job'; id = "ftjob-az$($state.Created.Count)"; model = $sent.model; created_at = 1764300000; status = 'pending'
                    training_file = $sent.training_file; validation_file = $sent.validation_file; seed = $sent.seed; suffix = $sent.suffix; method = $sent.method; metadata = $sent.metadata } | ConvertTo-Json -Depth 20
            }
            default { $status = 404; @{ error = @{ code = '404'; message = "Resource not found: $path" } } | ConvertTo-Json }
        }
    }
}
