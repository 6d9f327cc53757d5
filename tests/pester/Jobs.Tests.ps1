#Requires -Modules Pester
# Jobs, events, checkpoints, metrics, models and chat cmdlets against a small HTTP server on
# 127.0.0.1 that this file starts in its own runspace (HttpListener; no other dependency).
# Run from the repository root after `dotnet build -c Release`:  Invoke-Pester tests/pester/Jobs.Tests.ps1

Describe 'Jobs against a loopback server' {
    BeforeAll {
        Import-Module "$PSScriptRoot/../../out/FineTune" -Force -ErrorAction Stop

        $script:state = [hashtable]::Synchronized(@{ Requests = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new()); Polls = 0 })

        . "$PSScriptRoot/LoopbackServer.ps1"
        $script:server = Start-LoopbackServer -State $script:state -Respond {
            function Job($id, $status, $extra) {
                $job = [ordered]@{
                    object = 'fine_tuning.job'; id = $id; model = 'gpt-4o-mini-2024-07-18'; created_at = 1721764800; finished_at = $null
                    fine_tuned_model = $null; organization_id = 'org-1'; result_files = @(); status = $status; validation_file = $null
                    training_file = 'file-train'; hyperparameters = @{ n_epochs = 'auto' }; trained_tokens = $null; error = $null; seed = 1
                    metadata = @{ team = 'it' }
                }
                if ($extra) { foreach ($k in $extra.Keys) { $job[$k] = $extra[$k] } }
                $job
            }
            switch -Regex ("$($request.HttpMethod) $path") {
                '^POST /v1/fine_tuning/jobs$' {
                    $sent = $body | ConvertFrom-Json
                    Job 'ftjob-new' 'validating_files' @{ training_file = $sent.training_file; metadata = $sent.metadata } | ConvertTo-Json -Depth 10
                }
                '^GET /v1/fine_tuning/jobs$' {
                    @{ object = 'list'; has_more = $false; data = @((Job 'ftjob-2' 'running'), (Job 'ftjob-1' 'succeeded' @{ fine_tuned_model = 'ft:gpt-4o-mini-2024-07-18:org::abc' })) } | ConvertTo-Json -Depth 10
                }
                '^GET /v1/fine_tuning/jobs/ftjob-1$' {
                    $state.Polls++
                    if ($state.Polls -lt 2) { Job 'ftjob-1' 'running' @{ estimated_finish = 1721768400 } | ConvertTo-Json -Depth 10 }
                    else { Job 'ftjob-1' 'succeeded' @{ fine_tuned_model = 'ft:gpt-4o-mini-2024-07-18:org::abc'; result_files = @('file-result') } | ConvertTo-Json -Depth 10 }
                }
                '^GET /v1/fine_tuning/jobs/ftjob-2$' { Job 'ftjob-2' 'running' | ConvertTo-Json -Depth 10 }
                '^GET /v1/fine_tuning/jobs/ftjob-bad$' {
                    Job 'ftjob-bad' 'failed' @{ error = @{ code = 'invalid_training_file'; message = 'Line 4 has no assistant message.'; param = 'training_file' } } | ConvertTo-Json -Depth 10
                }
                '^POST /v1/fine_tuning/jobs/ftjob-2/(cancel|pause|resume)$' {
                    $new = @{ cancel = 'cancelled'; pause = 'paused'; resume = 'running' }[$Matches[1]]
                    Job 'ftjob-2' $new | ConvertTo-Json -Depth 10
                }
                '^GET /v1/fine_tuning/jobs/ftjob-[^/]+/events$' {
                    # ftjob-1 gains events as it is polled (3 before its first poll, all 6 once it succeeds).
                    $count = if ($path -like '*/ftjob-1/*') { [Math]::Min(6, [Math]::Max(3, 3 * $state.Polls)) } else { 6 }
                    $events = 1..$count | ForEach-Object {
                        @{ object = 'fine_tuning.job.event'; id = "ev-$_"; created_at = 1721764800 + $_; level = 'info'; message = "Step $_/6: training loss=0.5"; type = 'metrics'; data = @{ step = $_; train_loss = 0.5; total_steps = 6 } }
                    }
                    [array]::Reverse($events)
                    @{ object = 'list'; has_more = $false; data = $events } | ConvertTo-Json -Depth 10
                }
                '^GET /v1/fine_tuning/jobs/ftjob-1/checkpoints$' {
                    @{ object = 'list'; has_more = $false; data = @(@{ object = 'fine_tuning.job.checkpoint'; id = 'ftckpt_1'; created_at = 1721764900; fine_tuned_model_checkpoint = 'ft:gpt-4o-mini:org::abc:ckpt-step-3'; fine_tuning_job_id = 'ftjob-1'; step_number = 3; metrics = @{ step = 3; train_loss = 0.4 } }) } | ConvertTo-Json -Depth 10
                }
                '^GET /v1/files/file-result/content$' { $contentType = 'text/csv'; "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy`n1,1.5,0.5,,`n2,1.0,0.6,1.1,0.55`n" }
                '^DELETE /v1/models/' { @{ id = [uri]::UnescapeDataString($path.Substring(11)); object = 'model'; deleted = $true } | ConvertTo-Json }
                '^POST /v1/chat/completions$' {
                    $sent = $body | ConvertFrom-Json
                    @{ id = 'chatcmpl-1'; object = 'chat.completion'; created = 1741570283; model = $sent.model; usage = @{ prompt_tokens = 9; completion_tokens = 3; total_tokens = 12 }
                       choices = @(@{ index = 0; finish_reason = 'stop'; logprobs = $null; message = @{ role = 'assistant'; content = "Echo: $($sent.messages[-1].content)"; refusal = $null } }) } | ConvertTo-Json -Depth 10
                }
                default { $status = 404; @{ error = @{ message = "No route for $path"; type = 'invalid_request_error'; code = $null; param = $null } } | ConvertTo-Json }
            }
        }
        $script:port = $script:server.Port
        $script:prefix = $script:server.Prefix

        $script:savedEnvironment = @{ OPENAI_API_KEY = $env:OPENAI_API_KEY; OPENAI_BASE_URL = $env:OPENAI_BASE_URL }
        $env:OPENAI_API_KEY = 'sk-pester-Jq3mZ8vWx1'
        $env:OPENAI_BASE_URL = "$($script:prefix)v1"
    }

    AfterAll {
        foreach ($name in $script:savedEnvironment.Keys) { Set-Item "env:$name" -Value $script:savedEnvironment[$name] -ErrorAction SilentlyContinue }
        if ($script:server) { Stop-LoopbackServer $script:server }
    }

    BeforeEach { $script:state.Requests.Clear(); $script:state.Polls = 0 }

    Describe 'Module surface' {
        It 'exports the job cmdlets' {
            $names = 'New-FineTuneJob', 'Get-FineTuneJob', 'Stop-FineTuneJob', 'Suspend-FineTuneJob', 'Resume-FineTuneJob', 'Wait-FineTuneJob',
                'Get-FineTuneEvent', 'Get-FineTuneCheckpoint', 'Get-FineTuneMetric', 'Remove-FineTuneModel', 'Invoke-FineTuneChat'
            foreach ($name in $names) { Get-Command $name -Module FineTune -ErrorAction Stop | Should -Not -BeNullOrEmpty }
        }

        It 'asks for confirmation before cancelling a job, which cannot be undone' {
            (Get-Command Stop-FineTuneJob).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
                Should -Be ([System.Management.Automation.ConfirmImpact]::High)
        }

        It 'asks for confirmation before deleting a model' {
            (Get-Command Remove-FineTuneModel).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
                Should -Be ([System.Management.Automation.ConfirmImpact]::High)
        }
    }

    Describe 'New-FineTuneJob' {
        It 'does nothing remote under -WhatIf' {
            $file = [FineTune.ServiceFile]::new()
            $file.Id = 'file-abc'
            $file | New-FineTuneJob -Model gpt-4o-mini-2024-07-18 -WhatIf
            $script:state.Requests.Count | Should -Be 0
        }

        It 'prices a local training file under -WhatIf with no key and no connection' {
            $train = Join-Path $TestDrive 'train.jsonl'
            $lines = foreach ($i in 1..10) { "{`"messages`":[{`"role`":`"user`",`"content`":`"q $i`"},{`"role`":`"assistant`",`"content`":`"a $i`"}]}" }
            [System.IO.File]::WriteAllText($train, (($lines -join "`n") + "`n"))
            $module = Join-Path $PSScriptRoot '../../out/FineTune'
            # The running pwsh, also when it is the .NET tool (then this process is `dotnet`).
            $pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
            $script = "Remove-Item Env:OPENAI_API_KEY, Env:AZURE_OPENAI_API_KEY -ErrorAction Ignore; Import-Module '$module'; " +
                "New-FineTuneJob -Model gpt-4o-mini-2024-07-18 -TrainingFile '$train' -WhatIf"
            $output = & $pwsh -NoProfile -NonInteractive -Command $script 2>&1 | Out-String
            $output | Should -Match "estimated cost: \d+ billable tokens x \d+ epochs = \d+ trained tokens, about USD"
            $output | Should -Not -Match 'No API key'
        }

        It 'runs under -WhatIf the checks the real call runs, and says what would fail' {
            $train = Join-Path $TestDrive 'train12.jsonl'
            $valid = Join-Path $TestDrive 'valid6.jsonl'
            $line = { param($i) "{`"messages`":[{`"role`":`"system`",`"content`":`"s`"},{`"role`":`"user`",`"content`":`"q $i`"},{`"role`":`"assistant`",`"content`":`"a $i`"}]}" }
            [System.IO.File]::WriteAllText($train, ((1..12 | ForEach-Object { & $line $_ }) -join "`n") + "`n")
            [System.IO.File]::WriteAllText($valid, ((1..6 | ForEach-Object { & $line $_ }) -join "`n") + "`n")
            New-FineTuneJob -Model gpt-4o-mini-2024-07-18 -TrainingFile $train -ValidationFile $valid -WhatIf -ErrorVariable planned -ErrorAction SilentlyContinue
            New-FineTuneJob -Model gpt-4o-mini-2024-07-18 -TrainingFile $train -ValidationFile $valid -Confirm:$false -ErrorVariable real -ErrorAction SilentlyContinue
            $script:state.Requests | Should -BeNullOrEmpty
            $real | Should -HaveCount 1
            $planned | Should -HaveCount 1
            $planned[0].FullyQualifiedErrorId | Should -Be $real[0].FullyQualifiedErrorId
            $planned[0].Exception.Message | Should -Match 'valid6\.jsonl'
            $planned[0].Exception.Message | Should -Match 'TooFewExamples'
        }

        It 'binds a service file from the pipeline by its Id and describes model and file' {
            $file = [FineTune.ServiceFile]::new()
            $file.Id = 'file-abc'
            $verbose = $file | New-FineTuneJob -Model gpt-4o-mini-2024-07-18 -Confirm:$false -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String
            $verbose | Should -Match "model 'gpt-4o-mini-2024-07-18' with training file 'file-abc'"
            $sent = $script:state.Requests | Where-Object Method -eq 'POST' | Select-Object -First 1
            ($sent.Body | ConvertFrom-Json).training_file | Should -Be 'file-abc'
        }

        It 'creates a job tagged with a request id' {
            $job = New-FineTuneJob -Model gpt-4o-mini-2024-07-18 -TrainingFile file-train -Suffix helpdesk -Epochs 3 -Metadata @{ team = 'it' } -Confirm:$false
            $job | Should -BeOfType FineTune.Job
            $job.Id | Should -Be 'ftjob-new'
            $sent = $script:state.Requests | Where-Object Method -eq 'POST' | Select-Object -First 1
            $body = $sent.Body | ConvertFrom-Json
            $body.suffix | Should -Be 'helpdesk'
            $body.method.supervised.hyperparameters.n_epochs | Should -Be 3
            $body.metadata.team | Should -Be 'it'
            $body.metadata.finetune_request_id | Should -Match '^ftreq_'
        }

        It 'refuses Beta without the DPO method with a FineTune error id' {
            { New-FineTuneJob -Model m -TrainingFile file-train -Beta 0.5 -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'FineTune.Job.InvalidBeta*'
        }
    }

    Describe 'Get-FineTuneJob' {
        It 'lists jobs filtered by status' {
            $jobs = @(Get-FineTuneJob -Status running)
            $jobs.Count | Should -Be 1
            $jobs[0].Id | Should -Be 'ftjob-2'
        }

        It 'sends metadata filters as metadata[k]=v' {
            Get-FineTuneJob -Metadata @{ team = 'it' } | Out-Null
            $script:state.Requests[0].Query | Should -Match 'metadata%5Bteam%5D=it'
        }
    }

    Describe 'Wait-FineTuneJob' {
        It 'pipes a job through Wait-FineTuneJob into Get-FineTuneMetric' {
            $metrics = @(Get-FineTuneJob -Id ftjob-1 | Wait-FineTuneJob -Timeout ([timespan]::FromMinutes(5)) -PollInterval ([timespan]::FromSeconds(1)) | Get-FineTuneMetric)
            $metrics.Count | Should -Be 2
            $metrics[1].Step | Should -Be 2
            $metrics[1].ValidMeanTokenAccuracy | Should -Be 0.55
            $metrics[0].ValidLoss | Should -BeNullOrEmpty
        }

        It 'writes the events that arrive while waiting to the information stream' {
            $info = @(Wait-FineTuneJob -Id ftjob-1 -PollInterval ([timespan]::FromSeconds(1)) 6>&1 | Where-Object { $_ -is [System.Management.Automation.InformationRecord] })
            $info.Count | Should -Be 3
            $info[0].MessageData.ToString() | Should -Match 'Step 4/6'
            $info[0].MessageData | Should -BeOfType FineTune.JobEvent
        }

        It 'turns a failed job into an error record with the service reason' {
            $result = Wait-FineTuneJob -Id ftjob-bad -ErrorVariable failure -ErrorAction SilentlyContinue
            $result | Should -BeNullOrEmpty
            $failure[0].FullyQualifiedErrorId | Should -Match '^FineTune.Job.Failed'
            $failure[0].Exception.Message | Should -Match 'Line 4 has no assistant message'
            $failure[0].TargetObject.Id | Should -Be 'ftjob-bad'
        }
    }

    Describe 'Stop-FineTuneJob' {
        It 'cancels jobs from the pipeline by Id' {
            (Get-FineTuneJob -Id ftjob-2 | Stop-FineTuneJob -Confirm:$false -PassThru).Status | Should -Be 'cancelled'
            ($script:state.Requests | Where-Object Method -eq 'POST').Path | Should -Be '/v1/fine_tuning/jobs/ftjob-2/cancel'
        }

        It 'does nothing remote under -WhatIf' {
            Stop-FineTuneJob -Id ftjob-2 -WhatIf
            $script:state.Requests | Where-Object Method -eq 'POST' | Should -BeNullOrEmpty
        }
    }

    Describe 'Suspend-FineTuneJob' {
        It 'pauses jobs from the pipeline by Id' {
            (Get-FineTuneJob -Id ftjob-2 | Suspend-FineTuneJob -Confirm:$false -PassThru).Status | Should -Be 'paused'
            ($script:state.Requests | Where-Object Method -eq 'POST').Path | Should -Be '/v1/fine_tuning/jobs/ftjob-2/pause'
        }
    }

    Describe 'Resume-FineTuneJob' {
        It 'resumes jobs from the pipeline by Id' {
            (Get-FineTuneJob -Id ftjob-2 | Resume-FineTuneJob -Confirm:$false -PassThru).Status | Should -Be 'running'
            ($script:state.Requests | Where-Object Method -eq 'POST').Path | Should -Be '/v1/fine_tuning/jobs/ftjob-2/resume'
        }
    }

    Describe 'Get-FineTuneEvent' {
        It 'pipes running jobs into Get-FineTuneEvent -First 5 without a script block' {
            $events = @(Get-FineTuneJob -Status running | Get-FineTuneEvent -First 5)
            $events.Count | Should -Be 5
            $events[0].Step | Should -Be 2
            $events[-1].Step | Should -Be 6
            $events[0].JobId | Should -Be 'ftjob-2'
        }
    }

    Describe 'Get-FineTuneCheckpoint' {
        It 'lists checkpoints' {
            $checkpoint = Get-FineTuneCheckpoint -JobId ftjob-1
            $checkpoint.Step | Should -Be 3
            $checkpoint.FineTunedModelCheckpoint | Should -Match 'ckpt-step-3'
        }
    }

    Describe 'Get-FineTuneMetric' {
        It 'reads the per-step metrics of a finished job by its id, empty cells as nothing' {
            $script:state.Polls = 5
            $metrics = @(Get-FineTuneMetric -JobId ftjob-1)
            $metrics.Count | Should -Be 2
            $metrics[0].JobId | Should -Be 'ftjob-1'
            $metrics[0].TrainLoss | Should -Be 1.5
            $metrics[0].ValidLoss | Should -BeNullOrEmpty
            $metrics[1].TrainAccuracy | Should -Be 0.6
            ($script:state.Requests | Where-Object Path -like '*/content').Path | Should -Be '/v1/files/file-result/content'
        }
    }

    Describe 'Remove-FineTuneModel' {
        It 'deletes a model after confirmation' {
            $result = Remove-FineTuneModel -Model 'ft:gpt-4o-mini:org::abc' -Confirm:$false -PassThru
            $result.Deleted | Should -BeTrue
        }
    }

    Describe 'Invoke-FineTuneChat' {
        It 'sends the system message first and returns the reply as an object' {
            $reply = Invoke-FineTuneChat -Model 'ft:gpt-4o-mini:org::abc' -Message 'My VPN drops.' -SystemMessage 'You answer IT questions.'
            $reply.Content | Should -Be 'Echo: My VPN drops.'
            $reply.TotalTokens | Should -Be 12
            $sent = ($script:state.Requests | Where-Object Path -eq '/v1/chat/completions' | Select-Object -First 1).Body | ConvertFrom-Json
            $sent.messages[0].role | Should -Be 'system'
            $sent.messages[1].content | Should -Be 'My VPN drops.'
        }

        It 'completes -Model with the catalog''s base models when the service cannot be asked' {
            $saved = $env:OPENAI_API_KEY
            $env:OPENAI_API_KEY = $null
            try {
                $typed = 'Invoke-FineTuneChat -Model gpt-4o-m'
                $completions = (TabExpansion2 -inputScript $typed -cursorColumn $typed.Length).CompletionMatches.CompletionText
                $completions | Should -Contain 'gpt-4o-mini-2024-07-18'
            }
            finally { $env:OPENAI_API_KEY = $saved }
        }

        It 'completes -Model with the fine-tuned models of the account first' {
            $typed = 'Invoke-FineTuneChat -Model '
            $completions = @((TabExpansion2 -inputScript $typed -cursorColumn $typed.Length).CompletionMatches.CompletionText)
            $completions[0] | Should -Be 'ft:gpt-4o-mini-2024-07-18:org::abc'
            $completions | Should -Contain 'gpt-4o-mini-2024-07-18'
        }

        It 'accepts a whole conversation as hashtables' {
            $reply = Invoke-FineTuneChat -Model m -Messages @(@{ role = 'user'; content = 'Hi' }, @{ role = 'assistant'; content = 'Hello' }, @{ role = 'user'; content = 'Bye' })
            $reply.Content | Should -Be 'Echo: Bye'
        }
    }

    Describe 'Jobs and chat together' {
        It 'never shows the API key' {
            $all = & { Get-FineTuneJob -Id ftjob-1 -Verbose; Get-FineTuneJob -Id ftjob-missing -ErrorAction Continue } *>&1 | Out-String
            $all | Should -Not -Match 'sk-pester-Jq3mZ8vWx1'
        }
    }
}
