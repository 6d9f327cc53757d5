#Requires -Modules Pester
# Compare-FineTuneModel and Export-FineTuneReport against a loopback server (LoopbackServer.ps1)
# that answers chat deterministically per model and serves a finished job with a result file.
# Run from the repository root after `dotnet build -c Release`:  Invoke-Pester tests/pester/Evaluation.Tests.ps1

Describe 'Evaluation against a loopback server' {
    BeforeAll {
        Import-Module "$PSScriptRoot/../../out/FineTune" -Force -ErrorAction Stop

        $script:state = [hashtable]::Synchronized(@{
                Requests = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
                Memory   = [hashtable]::Synchronized(@{})
                Hold     = $false
                Holding  = $false
            })
        . "$PSScriptRoot/LoopbackServer.ps1"
        $script:server = Start-LoopbackServer -State $script:state -Respond {
            function Job($id) {
                @{ object = 'fine_tuning.job'; id = $id; model = 'gpt-4o-mini-2024-07-18'; created_at = 1764316800; finished_at = 1764318510
                   fine_tuned_model = 'ft:gpt-4o-mini-2024-07-18:my-org:helpdesk:abc123'; organization_id = 'org-1'; result_files = @('file-result')
                   status = 'succeeded'; validation_file = 'file-valid'; training_file = 'file-train'; trained_tokens = 14325; error = $null; seed = 7
                   hyperparameters = @{ n_epochs = 3; batch_size = 1; learning_rate_multiplier = 1.8 }; method = @{ type = 'supervised' }; suffix = 'helpdesk' } | ConvertTo-Json -Depth 10
            }
            switch -Regex ("$($request.HttpMethod) $path") {
                '^POST /v1/chat/completions$' {
                    $sent = $body | ConvertFrom-Json
                    if ($sent.model -eq 'broken-model') { $status = 400; @{ error = @{ message = 'The model broken-model does not exist.'; type = 'invalid_request_error'; code = 'model_not_found'; param = 'model' } } | ConvertTo-Json }
                    else {
                        if ($sent.model -eq 'slow-model') {
                            $state.Holding = $true
                            $until = [datetime]::UtcNow.AddSeconds(60)
                            while ($state.Hold -and [datetime]::UtcNow -lt $until) { Start-Sleep -Milliseconds 20 }
                            $state.Holding = $false
                        }
                        Get-FakeChatCompletion -Body $body -Memory $state.Memory
                    }
                }
                '^GET /v1/fine_tuning/jobs/(ftjob-[a-z0-9]+)$' { Job $Matches[1] }
                '^GET /v1/files/file-result/content$' {
                    $contentType = 'text/csv'
                    "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy`n" + ((1..20 | ForEach-Object { '{0},{1},{2},{3},{4}' -f $_, (2.0 / $_), (0.5 + $_ / 50), $(if ($_ % 4 -eq 0) { 2.2 / $_ }), $(if ($_ % 4 -eq 0) { 0.45 + $_ / 60 }) }) -join "`n")
                }
                default { $status = 404; @{ error = @{ message = "No route for $path"; type = 'invalid_request_error'; code = $null; param = $null } } | ConvertTo-Json }
            }
        }

        $script:savedEnvironment = @{ OPENAI_API_KEY = $env:OPENAI_API_KEY; OPENAI_BASE_URL = $env:OPENAI_BASE_URL }
        $env:OPENAI_API_KEY = 'sk-pester-Ev4lK3y9'
        $env:OPENAI_BASE_URL = "$($script:server.Prefix)v1"

        $script:base = 'gpt-4o-mini-2024-07-18'
        $script:tuned = 'ft:gpt-4o-mini-2024-07-18:my-org:helpdesk:abc123'
        $script:folder = Join-Path $TestDrive 'work'
        $null = New-Item -ItemType Directory $script:folder
        $script:csv = Import-Csv "$PSScriptRoot/../../samples/helpdesk.csv"
        foreach ($row in $script:csv) { $script:state.Memory[$row.Question] = $row.Answer }
        $script:testSet = Join-Path $script:folder 'helpdesk.validation.jsonl'
        $script:csv | Select-Object -First 8 | ConvertTo-FineTuneExample -SystemMessage 'You answer IT support questions.' | Export-Jsonl $script:testSet
    }

    AfterAll {
        foreach ($name in $script:savedEnvironment.Keys) { Set-Item "env:$name" -Value $script:savedEnvironment[$name] -ErrorAction SilentlyContinue }
        if ($script:server) { Stop-LoopbackServer $script:server }
    }

    BeforeEach { $script:state.Requests.Clear(); $script:state.Hold = $false }

    Describe 'Compare-FineTuneModel' {
        It 'writes one flat row per example in file order' {
            $rows = @(Compare-FineTuneModel -Model $script:base, $script:tuned -Path $script:testSet -ThrottleLimit 8)
            $rows.Count | Should -Be 8
            $rows.Line | Should -Be (1..8)
            $rows[0].PSObject.TypeNames[0] | Should -Be 'FineTune.ComparisonResult'
            @($rows[0].PSObject.Properties.Name)[0..2] | Should -Be 'Line', 'UserMessage', 'Reference'
            $rows[0].UserMessage | Should -Be $script:csv[0].Question
            $rows[0].Reference | Should -Be $script:csv[0].Answer
            $rows[0].Model1 | Should -Be $script:base
            $rows[0].Answer1 | Should -Be "Please contact the IT help desk about: $($script:csv[0].Question)"
            $rows[0].ExactMatch1 | Should -BeFalse
            $rows | ForEach-Object { $_.F1Score2 | Should -BeGreaterThan $_.F1Score1 }
            @($rows | Where-Object ExactMatch2).Count | Should -BeGreaterThan 0
            $script:state.Requests.Count | Should -Be 16
        }

        It 'exports to CSV with a value in every cell and no type names' {
            $path = Join-Path $script:folder 'rows.csv'
            Compare-FineTuneModel -Model $script:base, $script:tuned -Path $script:testSet -JudgeModel gpt-4.1-2025-04-14 | Export-Csv $path
            $text = Get-Content -Raw $path
            $text | Should -Not -Match 'System\.|FineTune\.|\[\]'
            $read = @(Import-Csv $path)
            $read.Count | Should -Be 8
            $read[0].PSObject.Properties.Name | Should -Contain 'Judge2'
            $read | ForEach-Object { $_.Judge2 | Should -BeIn 'Win', 'Tie' }
            ($read | Where-Object Judge2 -eq Win).Count | Should -BeGreaterThan 0
        }

        It 'asks the judge twice per example with the answers swapped' {
            $row = @(Compare-FineTuneModel -Model $script:base, $script:tuned -Path $script:testSet -JudgeModel gpt-4.1-2025-04-14)[0]
            $asks = @($script:state.Requests.ToArray() | Where-Object { ($_.Body | ConvertFrom-Json).model -eq 'gpt-4.1-2025-04-14' } |
                    ForEach-Object { ($_.Body | ConvertFrom-Json).messages[1].content | ConvertFrom-Json } | Where-Object question -eq $script:csv[0].Question)
            $asks.Count | Should -Be 2
            ($asks | Where-Object answer_a -eq $row.Answer1).answer_b | Should -Be $row.Answer2
            ($asks | Where-Object answer_a -eq $row.Answer2).answer_b | Should -Be $row.Answer1
        }

        It 'turns a judge that always picks the first answer into ties' {
            $rows = @(Compare-FineTuneModel -Model $script:base, $script:tuned -Path $script:testSet -JudgeModel biased-judge)
            $rows.Judge2 | Sort-Object -Unique | Should -Be 'Tie'
            $rows[0].JudgeReason2 | Should -Match 'whichever answer came first'
        }

        It 'adds a summary per model with wins and the catalog price' {
            $all = @(Compare-FineTuneModel -Model $script:base, $script:tuned -Path $script:testSet -Summary)
            $summary = @($all | Where-Object { $_ -is [FineTune.ComparisonSummary] })
            @($all | Where-Object Line).Count | Should -Be 8
            $summary.Role | Should -Be 'Base', 'Candidate'
            $summary[1].Wins | Should -Be 8
            $summary[1].DecidedBy | Should -Be 'F1Score'
            $summary[1].MeanF1Score | Should -BeGreaterThan $summary[0].MeanF1Score
            $summary[0].Cost | Should -Be ([decimal]($summary[0].PromptTokens * 0.15 + $summary[0].CompletionTokens * 0.60) / 1000000)
            $summary[1].Cost | Should -Be ([decimal]($summary[1].PromptTokens * 0.30 + $summary[1].CompletionTokens * 1.20) / 1000000)
            $summary[1].Currency | Should -Be 'USD'
        }

        It 'compares examples piped from ConvertTo-FineTuneExample, in order' {
            $rows = @($script:csv | Select-Object -First 12 | ConvertTo-FineTuneExample | Compare-FineTuneModel -Model $script:base, $script:tuned -ThrottleLimit 3)
            $rows.Line | Should -Be (1..12)
            $rows[11].UserMessage | Should -Be $script:csv[11].Question
        }

        It 'takes the validation file from Split-FineTuneDataset by property name' {
            $all = Join-Path $script:folder 'all.jsonl'
            $script:csv | Select-Object -First 20 | ConvertTo-FineTuneExample | Export-Jsonl $all
            $rows = @(Split-FineTuneDataset $all -ValidationCount 4 -Seed 7 | Compare-FineTuneModel -Model $script:base, $script:tuned)
            $rows.Count | Should -Be 4
        }

        It 'reports bad lines and failed calls per example and goes on' {
            $mixed = Join-Path $script:folder 'mixed.jsonl'
            $lines = @(Get-Content $script:testSet -TotalCount 2) + '{"messages": [' + '{"prompt": "p", "completion": "c"}' + @(Get-Content $script:testSet | Select-Object -Skip 2 -First 1)
            Set-Content $mixed $lines
            $rows = @(Compare-FineTuneModel -Model $script:base, broken-model -Path $mixed -ErrorVariable failures -ErrorAction SilentlyContinue)
            $rows.Line | Should -Be 1, 2, 5
            $rows | ForEach-Object { $_.Error2 | Should -Match 'broken-model does not exist' }
            $rows | ForEach-Object { $_.Answer1 | Should -Not -BeNullOrEmpty }
            $ids = $failures | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*$' }
            $ids | Should -Be 'FineTune.Service.BadRequest', 'FineTune.Service.BadRequest', 'FineTune.Evaluation.InvalidJson', 'FineTune.Evaluation.NotChat', 'FineTune.Service.BadRequest'
            $failures[2].TargetObject | Should -Be "${mixed}:3"
            $failures[2].Exception.Message | Should -Match ([regex]::Escape("${mixed}:3:"))
            $failures[0].Exception.Message | Should -Match ([regex]::Escape("${mixed}:1: broken-model:"))
            ($failures | Out-String) | Should -Not -Match 'sk-pester-Ev4lK3y9'
        }

        It 'stops sending when the pipeline has what it needs' {
            $first = Compare-FineTuneModel -Model $script:base, $script:tuned -Path $script:testSet -ThrottleLimit 1 | Select-Object -First 1
            $first.Line | Should -Be 1
            Start-Sleep -Seconds 1 # the absence of later calls cannot be waited for as an event
            $script:state.Requests.Count | Should -BeLessOrEqual 4 # line 1's two calls, and at most one more started and answered
        }

        It 'refuses fewer than two models before sending anything' {
            { Compare-FineTuneModel -Model $script:base -Path $script:testSet -ErrorAction Stop } | Should -Throw
            $script:state.Requests.Count | Should -Be 0
        }

        It 'shows rows and summaries in 80 columns' {
            $all = @(Compare-FineTuneModel -Model $script:base, $script:tuned -Path $script:testSet -JudgeModel gpt-4.1-2025-04-14 -Summary)
            foreach ($part in @(($all | Where-Object Line), ($all | Where-Object Role))) {
                $text = $part | Format-Table | Out-String -Width 80
                $text -split "`n" | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
            }
            $rowsText = $all | Where-Object Line | Format-Table | Out-String -Width 80
            $rowsText | Should -Match 'Line\s+F1\s+Exact\s+Judge\s+UserMessage'
            $rowsText | Should -Match '\s1 0\.\d\d 1\.00\s+no yes\s+Win'
            ($all | Where-Object Role | Format-Table | Out-String -Width 80) | Should -Match 'Candidate ft:gpt-4o-mini-2024-07-.* \d/\d/0 '
        }

        It 'stops at once on Ctrl+C while a call is in flight' {
            $module = Join-Path $PSScriptRoot '../../out/FineTune'
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddScript({
                        param($module, $path, $url)
                        Import-Module $module
                        $env:OPENAI_API_KEY = 'sk-pester-Ev4lK3y9'; $env:OPENAI_BASE_URL = $url
                        Compare-FineTuneModel -Model gpt-4o-mini-2024-07-18, slow-model -Path $path
                    }).AddArgument($module).AddArgument($script:testSet).AddArgument("$($script:server.Prefix)v1")
                $script:state.Hold = $true
                $handle = $shell.BeginInvoke()
                $deadline = [datetime]::UtcNow.AddSeconds(60)
                while (-not $script:state.Holding -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                $script:state.Holding | Should -BeTrue
                $watch = [System.Diagnostics.Stopwatch]::StartNew()
                $shell.Stop()
                $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
                $handle.IsCompleted | Should -BeTrue
                $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            }
            finally {
                $script:state.Hold = $false
                $shell.Dispose()
            }
        }
    }

    Describe 'Export-FineTuneReport' {
        It 'writes a job and a comparison into one self-contained page' {
            $path = Join-Path $script:folder 'report.html'
            $rows = Compare-FineTuneModel -Model $script:base, $script:tuned -Path $script:testSet -JudgeModel gpt-4.1-2025-04-14 -Summary
            $file = @(Get-FineTuneJob -Id ftjob-abc123) + $rows | Export-FineTuneReport -Path $path -Title 'Helpdesk <first> run' -PassThru
            $file | Should -BeOfType System.IO.FileInfo
            $file.FullName | Should -Be $path
            $html = Get-Content -Raw $path
            $html | Should -Match '<h2>Job ftjob-abc123</h2>'
            $html | Should -Match '<title>Helpdesk &lt;first&gt; run</title>'
            ([regex]::Matches($html, '<path class="line"')).Count | Should -Be 4
            ([regex]::Matches($html, '<tr data-verdicts=')).Count | Should -Be 8
            $html | Should -Match '<dt>Trained tokens</dt><dd>14,325</dd>'
            $html | Should -Match '<dt>Duration</dt><dd>28 min 30 s</dd>'
            $html | Should -Match 'Content-Security-Policy" content="default-src &#39;none&#39;'
            $html | Should -Not -Match '(src|href)="https?:'
            Get-ChildItem $script:folder -Force -Filter '.report.html*' | Should -BeNullOrEmpty
        }

        It 'reads comparison rows back from a CSV file' {
            $csvPath = Join-Path $script:folder 'round.csv'
            Compare-FineTuneModel -Model $script:base, $script:tuned -Path $script:testSet | Export-Csv $csvPath
            $path = Join-Path $script:folder 'from-csv.html'
            Import-Csv $csvPath | Export-FineTuneReport -Path $path
            $html = Get-Content -Raw $path
            ([regex]::Matches($html, '<tr data-verdicts=')).Count | Should -Be 8
            $html | Should -Match '<table id="summary">'
        }

        It 'keeps hostile text as text' {
            $hostile = Join-Path $script:folder 'hostile.jsonl'
            '{"messages":[{"role":"user","content":"<script>alert(1)</script><img src=x onerror=alert(2)>"},{"role":"assistant","content":"</td><b>x</b>"}]}' | Set-Content $hostile
            $path = Join-Path $script:folder 'hostile.html'
            Compare-FineTuneModel -Model $script:base, $script:tuned -Path $hostile | Export-FineTuneReport -Path $path
            $html = Get-Content -Raw $path
            ([regex]::Matches($html, '<script')).Count | Should -Be 1
            $html | Should -Match '&lt;script&gt;alert\(1\)&lt;/script&gt;&lt;img src=x onerror=alert\(2\)&gt;'
            $html | Should -Not -Match '<b>x</b>'
        }

        It 'writes nothing and calls nothing under -WhatIf' {
            $path = Join-Path $script:folder 'whatif.html'
            Get-FineTuneJob -Id ftjob-abc123 | Export-FineTuneReport -Path $path -WhatIf
            Test-Path $path | Should -BeFalse
            @($script:state.Requests | Where-Object Path -like '*/files/*').Count | Should -Be 0
        }

        It 'opens the report with the default browser under -Show' {
            $bin = Join-Path $TestDrive 'bin'
            $null = New-Item -ItemType Directory -Force $bin
            $log = Join-Path $TestDrive 'opened.txt'
            Set-Content (Join-Path $bin 'xdg-open') "#!/bin/sh`necho `"`$1`" > '$log'`n" -NoNewline
            chmod +x (Join-Path $bin 'xdg-open')
            $savedPath = $env:PATH
            try {
                $env:PATH = "$bin$([System.IO.Path]::PathSeparator)$savedPath"
                $path = Join-Path $script:folder 'show.html'
                Get-FineTuneJob -Id ftjob-abc123 | Export-FineTuneReport -Path $path -Show
                $deadline = [datetime]::UtcNow.AddSeconds(30)
                while (-not (Test-Path $log) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                (Get-Content $log) | Should -Be $path
            }
            finally { $env:PATH = $savedPath }
        } -Skip:(-not $IsLinux)

        It 'refuses an empty report and objects it cannot show' {
            { Export-FineTuneReport -Path (Join-Path $script:folder 'empty.html') -ErrorAction Stop } | Should -Throw -ErrorId 'FineTune.Report.NothingToReport*'
            $path = Join-Path $script:folder 'odd.html'
            @((Get-Item $script:testSet), (Get-FineTuneJob -Id ftjob-abc123)) | Export-FineTuneReport -Path $path -ErrorVariable odd -ErrorAction SilentlyContinue
            $odd.Count | Should -Be 1
            $odd[0].FullyQualifiedErrorId | Should -Match '^FineTune.Report.UnsupportedInput'
            $odd[0].TargetObject.FullName | Should -Be (Get-Item $script:testSet).FullName
            Test-Path $path | Should -BeTrue
        }
    }

    Describe 'Help examples' {
        BeforeAll {
            $script:exampleFolder = Join-Path $TestDrive 'examples'
            $null = New-Item -ItemType Directory -Force $script:exampleFolder
            Copy-Item $script:testSet (Join-Path $script:exampleFolder 'helpdesk.validation.jsonl')
            $script:csv | Select-Object -Skip 50 | Export-Csv (Join-Path $script:exampleFolder 'holdout.csv')
        }

        It 'runs every example of <Name>' -ForEach @(@{ Name = 'Compare-FineTuneModel' }, @{ Name = 'Export-FineTuneReport' }) {
            $examples = @((Get-Help $Name -Full).examples.example)
            $examples.Count | Should -BeGreaterOrEqual 2
            Push-Location $script:exampleFolder
            try {
                foreach ($example in $examples) {
                    $code = $example.code
                    $Error.Clear()
                    $output = @(& ([scriptblock]::Create($code)) -ErrorAction Stop)
                    $Error.Count | Should -Be 0 -Because $code
                    if ($code -notmatch 'Export-Csv|Export-FineTuneReport -Path \S+ -Title') { $output.Count | Should -BeGreaterThan 0 -Because $code }
                }
            }
            finally { Pop-Location }
            if ($Name -eq 'Compare-FineTuneModel') { Test-Path (Join-Path $script:exampleFolder 'losses.csv') | Should -BeTrue }
            if ($Name -eq 'Export-FineTuneReport') {
                (Get-Content -Raw (Join-Path $script:exampleFolder 'helpdesk-report.html')) | Should -Match '<h2>Job ftjob-abc123</h2>'
                Test-Path (Join-Path $script:exampleFolder 'training.html') | Should -BeTrue
            }
        }
    }
}
