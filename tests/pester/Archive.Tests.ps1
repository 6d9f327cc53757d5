#Requires -Modules Pester
# Export-FineTuneArchive, Import-FineTuneArchive and New-FineTuneJob's replay of archived jobs,
# against two loopback servers started by this file (see ArchiveServers.ps1): an OpenAI account
# about to close, and an Azure OpenAI resource standing in for the new provider. Also runs the
# cmdlets' help examples and README's "Moving off OpenAI" verbatim.
# Run from the repository root after `dotnet build -c Release`:  Invoke-Pester tests/pester/Archive.Tests.ps1

Describe 'Archive and replay against loopback servers' {
    BeforeAll {
        Import-Module "$PSScriptRoot/../../out/FineTune" -Force -ErrorAction Stop
        Disconnect-FineTuneService -ErrorAction Ignore
        $script:module = (Resolve-Path "$PSScriptRoot/../../out/FineTune").Path
        $script:pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })

        . "$PSScriptRoot/LoopbackServer.ps1"
        . "$PSScriptRoot/ArchiveServers.ps1"
        $script:openAi = New-ArchiveState
        $script:openAiServer = Start-OpenAiStandIn $script:openAi
        $script:azure = New-ArchiveState
        $script:azure.Key = 'fake-azure-key-Hw3nQ8vZ'
        $script:azureServer = Start-AzureStandIn $script:azure

        $script:savedEnvironment = @{}
        foreach ($name in 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_ORG_ID', 'OPENAI_PROJECT_ID', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT', 'OPENAI_API_VERSION', 'FINETUNE_CATALOG_PATH') {
            $script:savedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $null)
        }
        $env:OPENAI_API_KEY = 'fake-pester-archive-Rk2vW9'
        $env:OPENAI_BASE_URL = "$($script:openAiServer.Prefix)v1"
        $env:AZURE_OPENAI_ENDPOINT = $script:azureServer.Prefix.TrimEnd('/')
        $env:AZURE_OPENAI_API_KEY = $script:azure.Key

        # What the OpenAI stand-in was asked to download, in order.
        function Get-Downloads { @($script:openAi.Requests | Where-Object { $_.Method -eq 'GET' -and $_.Path -like '*/content' } | ForEach-Object { $_.Path -replace '^/v1/files/|/content$' }) }
        function Get-Manifest($archive) { Get-Content -Raw -LiteralPath (Join-Path $archive 'manifest.json') | ConvertFrom-Json }
        function New-ArchivePath { Join-Path $TestDrive ('archive-' + [guid]::NewGuid().ToString('N').Substring(0, 8)) }
        # An archive of the whole OpenAI stand-in; the one error expected is the file it no longer serves.
        function New-TestArchive([string] $Path) {
            Disconnect-FineTuneService -ErrorAction Ignore
            Export-FineTuneArchive -Path $Path -ErrorAction SilentlyContinue -ErrorVariable problems
            @($problems | Where-Object { $_.FullyQualifiedErrorId -notlike 'FineTune.Archive.NotServed,*' }) | Should -BeNullOrEmpty
            Test-Path (Join-Path $Path 'manifest.json') | Should -BeTrue
        }
        function Invoke-Pwsh([string] $Command) {
            & $script:pwsh -NoProfile -NonInteractive -Command "Import-Module '$($script:module)'; $Command" 2>&1 | Out-String
        }
    }

    AfterAll {
        Disconnect-FineTuneService -ErrorAction Ignore
        foreach ($name in $script:savedEnvironment.Keys) { [Environment]::SetEnvironmentVariable($name, $script:savedEnvironment[$name]) }
        if ($script:openAiServer) { Stop-LoopbackServer $script:openAiServer }
        if ($script:azureServer) { Stop-LoopbackServer $script:azureServer }
    }

    BeforeEach {
        Disconnect-FineTuneService -ErrorAction Ignore
        $script:openAi.Requests.Clear()
        $script:azure.Requests.Clear()
        $script:azure.Uploads.Clear()
        $script:azure.Created.Clear()
        $script:openAi.HangOn = $null
        $script:openAi.Hanging = $false
        $script:openAi.Release = $false
    }

    Describe 'Export-FineTuneArchive' {
        It 'archives every job with its events, checkpoints, metrics and files, and records a file no longer served' {
            $archive = New-ArchivePath
            $results = Export-FineTuneArchive -Path $archive -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue

            $results.JobId | Should -Be @('ftjob-ghi789', 'ftjob-def456', 'ftjob-abc123')
            $results[0] | Should -BeOfType FineTune.JobArchiveResult
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Archive.NotServed,*'
            $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $problems[0].TargetObject | Should -Be 'file-gone'
            $problems[0].Exception.Message | Should -Match 'result file file-gone of job ftjob-ghi789: No such File object: file-gone'
            ($results | Where-Object JobId -eq 'ftjob-ghi789').Missing | Should -Be 2

            $manifest = Get-Manifest $archive
            $manifest.format | Should -Be 'FineTune.Archive'
            $manifest.schemaVersion | Should -Be 1
            $manifest.source.provider | Should -Be 'OpenAI'
            $manifest.jobs.id | Should -Be @('ftjob-ghi789', 'ftjob-def456', 'ftjob-abc123')
            $gone = $manifest.jobs[0].items | Where-Object fileId -eq 'file-gone'
            $gone.state | Should -Be 'missing'
            $gone.statusCode | Should -Be 404
            $gone.reason | Should -Be 'No such File object: file-gone'

            $job = Join-Path $archive 'jobs/ftjob-abc123'
            (Get-Content -Raw (Join-Path $job 'job.json') | ConvertFrom-Json).seed | Should -Be 42
            @(Get-Content (Join-Path $job 'events.jsonl') | ForEach-Object { ($_ | ConvertFrom-Json).id }) | Should -Be @('ftevent-ftjob-abc123-1', 'ftevent-ftjob-abc123-2', 'ftevent-ftjob-abc123-3')
            @(Get-Content (Join-Path $job 'checkpoints.jsonl')).Count | Should -Be 1
            $metrics = Import-Csv (Join-Path $job 'metrics.csv')
            $metrics.step | Should -Be @('1', '2')
            $metrics[1].valid_mean_token_accuracy | Should -Be '0.55'
            [System.IO.File]::ReadAllText((Join-Path $archive 'files/file-train/helpdesk train.jsonl')) | Should -BeExactly $script:openAi.Files['file-train'].content
            @(Get-ChildItem $archive -Recurse -Force -Filter '*.tmp').Count | Should -Be 0
            # The training file two jobs share is downloaded once.
            @(Get-Downloads | Where-Object { $_ -eq 'file-train' }).Count | Should -Be 1
        }

        It 'fetches nothing again on a second run, and again a file whose size differs' {
            $archive = New-ArchivePath
            Export-FineTuneArchive -Path $archive -ErrorAction SilentlyContinue
            $script:openAi.Requests.Clear()

            $again = Export-FineTuneArchive -Path $archive -PassThru -ErrorAction SilentlyContinue
            Get-Downloads | Should -BeNullOrEmpty
            ($again | Measure-Object Written -Sum).Sum | Should -Be 0
            ($again | Where-Object JobId -eq 'ftjob-abc123').Skipped | Should -Be 7

            Add-Content -LiteralPath (Join-Path $archive 'files/file-res1/step_metrics.csv') -Value '3,0.1,0.9,,'
            $script:openAi.Requests.Clear()
            $third = Export-FineTuneArchive -Path $archive -PassThru -ErrorAction SilentlyContinue
            Get-Downloads | Should -Be @('file-res1')
            ($third | Where-Object JobId -eq 'ftjob-abc123').Written | Should -Be 2 # the result file and the metrics made from it
            [System.IO.File]::ReadAllText((Join-Path $archive 'files/file-res1/step_metrics.csv')) | Should -BeExactly $script:openAi.Files['file-res1'].content
        }

        It 'takes jobs from Get-FineTuneJob on the pipeline, and an unknown job id is an error for that id only' {
            $archive = New-ArchivePath
            $results = Get-FineTuneJob -Status succeeded | Export-FineTuneArchive -Path $archive -PassThru
            $results.JobId | Should -Be @('ftjob-def456', 'ftjob-abc123')
            (Get-Manifest $archive).jobs.id | Should -Be @('ftjob-def456', 'ftjob-abc123')

            $more = Export-FineTuneArchive -Path $archive -JobId ftjob-nope, ftjob-ghi789 -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue
            $more.JobId | Should -Be 'ftjob-ghi789'
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Service.NotFound,*'
            $problems[0].TargetObject | Should -Be 'ftjob-nope'
        }

        It 'lists under -WhatIf what it would fetch, and writes and downloads nothing' {
            $archive = New-ArchivePath
            $output = Invoke-Pwsh "Export-FineTuneArchive -Path '$archive' -WhatIf"
            $output | Should -Match ([regex]::Escape("What if: Archive job ftjob-abc123 (succeeded) into '$(Join-Path $archive 'jobs/ftjob-abc123')': fetch job object, events, checkpoints, training file file-train (helpdesk train.jsonl, 1.3 KB)"))
            $output | Should -Match 'record as missing \(no longer served\) result file file-gone'
            Test-Path $archive | Should -BeFalse
            Get-Downloads | Should -BeNullOrEmpty
        }

        It 'stops at once on Ctrl+C, leaves no half-written file, and the next run fetches only the rest' {
            $archive = New-ArchivePath
            $script:openAi.HangOn = 'file-res2'
            $shell = [powershell]::Create().AddScript("Import-Module '$($script:module)'; Export-FineTuneArchive -Path '$archive'")
            $handle = $shell.BeginInvoke()
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while (-not $script:openAi.Hanging -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $script:openAi.Hanging | Should -BeTrue -Because 'the download of file-res2 should have started'

            $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $stopwatch.Stop()
            $script:openAi.Release = $true
            $shell.Dispose()
            $stopwatch.Elapsed.TotalSeconds | Should -BeLessThan 15

            @(Get-ChildItem $archive -Recurse -Force -File | Where-Object { $_.Name -like '*.tmp' -or $_.FullName -like '*file-res2*' }).Count | Should -Be 0
            $interrupted = (Get-Manifest $archive).jobs | Where-Object id -eq 'ftjob-def456'
            $interrupted.status | Should -BeNullOrEmpty
            $interrupted.items.kind | Should -Be @('job', 'events', 'checkpoints', 'training_file')
            $before = Get-Downloads

            $rest = Export-FineTuneArchive -Path $archive -PassThru -ErrorAction SilentlyContinue
            $after = Get-Downloads | Select-Object -Skip $before.Count
            $after | Should -Be @('file-res2', 'file-valid', 'file-res1')
            ($rest | Where-Object JobId -eq 'ftjob-def456').Written | Should -Be 2
            ($rest | Where-Object JobId -eq 'ftjob-ghi789').Written | Should -Be 0
            ((Get-Manifest $archive).jobs | Where-Object id -eq 'ftjob-def456').status | Should -Be 'succeeded'
        }

        It 'completes every progress bar it starts' {
            $archive = New-ArchivePath
            $shell = [powershell]::Create().AddScript("Import-Module '$($script:module)'; Export-FineTuneArchive -Path '$archive' -ErrorAction SilentlyContinue")
            [void]$shell.Invoke()
            $records = @($shell.Streams.Progress)
            $shell.Dispose()

            $records.Count | Should -BeGreaterThan 0
            @($records | Where-Object ParentActivityId -eq 40).Count | Should -BeGreaterThan 0
            foreach ($bar in $records | Group-Object ActivityId) {
                $bar.Group[-1].RecordType | Should -Be 'Completed' -Because "activity $($bar.Name) must end completed"
            }
        }

        It 'writes results that flatten into Export-Csv and fit an 80-column console' {
            $archive = New-ArchivePath
            $results = Export-FineTuneArchive -Path $archive -PassThru -ErrorAction SilentlyContinue
            $csv = Join-Path $TestDrive 'archived.csv'
            $results | Export-Csv -LiteralPath $csv -NoTypeInformation
            $rows = Import-Csv $csv
            $rows[0].PSObject.Properties.Name | Should -Be @('JobId', 'Status', 'Model', 'Written', 'Skipped', 'Missing', 'BytesWritten', 'Path')
            (Get-Content -Raw $csv) | Should -Not -Match 'System\.'
            $rows[2].Path | Should -Be (Join-Path $archive 'jobs/ftjob-abc123')

            $table = $results | Format-Table | Out-String -Width 80
            $table | Should -Match 'JobId\s+Status\s+Written\s+Skipped\s+Missing\s+Bytes'
            $table | Should -Match 'ftjob-abc123\s+succeeded\s+6\s+1\s+0\s+\d'
            foreach ($line in $table -split "`r?`n") { $line.Length | Should -BeLessOrEqual 80 }
        }

        It 'refuses an archive of another account' {
            $archive = New-ArchivePath
            Export-FineTuneArchive -Path $archive -JobId ftjob-abc123
            $azure = Connect-FineTuneService -Provider AzureOpenAI -PassThru
            try {
                { Export-FineTuneArchive -Path $archive -Connection $azure -ErrorAction Stop } | Should -Throw -ErrorId 'FineTune.Archive.OtherAccount*'
                $script:azure.Requests.Count | Should -Be 0
            }
            finally { Disconnect-FineTuneService }
        }
    }

    Describe 'Import-FineTuneArchive' {
        BeforeAll {
            $script:archive = Join-Path $TestDrive 'imported'
            New-TestArchive $script:archive
        }

        It 'reads the jobs back as FineTune.Job objects carrying their archived files' {
            $jobs = @(Import-FineTuneArchive $script:archive)
            $jobs.Id | Should -Be @('ftjob-ghi789', 'ftjob-def456', 'ftjob-abc123')
            $jobs[0] | Should -BeOfType FineTune.Job
            $job = $jobs[2]
            $job.Hyperparameters.Epochs | Should -Be 3
            $job.Seed | Should -Be 42
            $job.ArchivePath | Should -Be (Join-Path $script:archive 'jobs/ftjob-abc123')
            [System.IO.File]::ReadAllText($job.TrainingFilePath) | Should -BeExactly $script:openAi.Files['file-train'].content
            [System.IO.File]::ReadAllText($job.ValidationFilePath) | Should -BeExactly $script:openAi.Files['file-valid'].content
            $script:openAi.Requests.Count | Should -Be 0
        }

        It 'takes archive folders from Get-ChildItem' {
            @(Get-Item $script:archive | Import-FineTuneArchive).Count | Should -Be 3
            @(Import-FineTuneArchive -LiteralPath (Join-Path $script:archive 'manifest.json')).Count | Should -Be 3
        }

        It 'names the manifest and the field that is wrong' {
            $damaged = Join-Path $TestDrive 'damaged'
            Copy-Item $script:archive $damaged -Recurse
            $manifest = Join-Path $damaged 'manifest.json'
            (Get-Content -Raw $manifest) -replace '"bytes": \d+', '"bytes": "many"' | Set-Content -LiteralPath $manifest
            $jobs = Import-FineTuneArchive $damaged -ErrorVariable problems -ErrorAction SilentlyContinue
            $jobs | Should -BeNullOrEmpty
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Archive.InvalidManifest,*'
            $problems[0].Exception.Message | Should -BeLike "*'$manifest'*`$.jobs[[]0].items[[]0].bytes is a string, not a whole number*"
            $problems[0].TargetObject | Should -Be $damaged
        }

        It 'says a folder without a manifest is not an archive' {
            { Import-FineTuneArchive $TestDrive -ErrorAction Stop } | Should -Throw -ErrorId 'FineTune.Archive.NotFound*'
            { Import-FineTuneArchive (Join-Path $TestDrive 'nothing-here') -ErrorAction Stop } | Should -Throw -ErrorId 'FineTune.Path.NotFound*'
        }
    }

    Describe 'New-FineTuneJob with an archived job' {
        BeforeAll {
            $script:archive = Join-Path $TestDrive 'replayed'
            New-TestArchive $script:archive
        }

        It 'shows under -WhatIf each new job with its settings and estimated cost, and sends nothing' {
            $output = Invoke-Pwsh "Import-FineTuneArchive '$($script:archive)' | Where-Object Status -eq succeeded | New-FineTuneJob -Model gpt-4o-mini-2024-07-18 -WhatIf"
            $output | Should -Match ([regex]::Escape("What if: Train job ftjob-abc123 from the archive again (seed 42, epochs 3, batch size 1, learning rate multiplier 1.8): Create a supervised fine-tuning job of model 'gpt-4o-mini-2024-07-18' with training file '$(Join-Path $script:archive 'files/file-train/helpdesk train.jsonl')' (uploaded first)"))
            $output | Should -Match "suffix 'helpdesk'; estimated cost: \d+ billable tokens x 3 epochs = \d+ trained tokens, about USD"
            $output | Should -Match "Train job ftjob-def456 from the archive again \(seed 11, epochs 2, batch size 4, learning rate multiplier 0.5, beta 0.2\): Create a dpo"
            @($script:openAi.Requests | Where-Object Method -ne 'GET').Count | Should -Be 0
        }

        It 'trains the same data with the same method, hyperparameters, suffix and seed on the connected provider' {
            Connect-FineTuneService -Provider AzureOpenAI
            $created = @(Import-FineTuneArchive $script:archive | Where-Object Status -eq succeeded | New-FineTuneJob -Model gpt-4.1-mini-2025-04-14)

            $created.Id | Should -Be @('ftjob-az1', 'ftjob-az2')
            $created[0] | Should -BeOfType FineTune.Job
            $sent = @($script:azure.Created)
            foreach ($pair in @(@(0, 'ftjob-def456'), @(1, 'ftjob-abc123'))) {
                $body = $sent[$pair[0]]
                $original = $script:openAi.Jobs | Where-Object { $_.id -eq $pair[1] }
                $body.model | Should -Be 'gpt-4.1-mini-2025-04-14'
                ($body.method | ConvertTo-Json -Depth 10 -Compress) | Should -Be ($original.method | ConvertTo-Json -Depth 10 -Compress)
                $body.seed | Should -Be $original.seed
                $body.suffix | Should -Be ($original.fine_tuned_model -split ':')[3]
                $body.metadata.team | Should -Be 'it'
            }
            $uploads = @($script:azure.Uploads)
            $uploads.Name | Should -Be @('prefs.jsonl', 'helpdesk train.jsonl', 'valid.jsonl')
            $uploads[1].Content | Should -BeExactly $script:openAi.Files['file-train'].content
            $sent[1].training_file | Should -Be $uploads[1].Id
            $sent[1].validation_file | Should -Be $uploads[2].Id
        }

        It 'asks for -Model when the archived base model cannot be used there, and uploads nothing' {
            Connect-FineTuneService -Provider AzureOpenAI
            $job = Import-FineTuneArchive $script:archive | Where-Object Id -eq 'ftjob-ghi789'
            $job | New-FineTuneJob -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Job.ReplayModelRequired,*'
            $problems[0].Exception.Message | Should -Match "continued training of the fine-tuned model 'ft:gpt-4o-mini-2024-07-18:org-1:helpdesk:abc'"
            $problems[0].TargetObject.Id | Should -Be 'ftjob-ghi789'
            $script:azure.Requests.Count | Should -Be 0
        }
    }

    Describe 'Help examples and README' {
        It 'runs the help examples of Export-FineTuneArchive, Import-FineTuneArchive and the replay example of New-FineTuneJob' {
            $folder = Join-Path $TestDrive 'examples'
            New-Item -ItemType Directory $folder | Out-Null
            $examples = @(
                (Get-Help Export-FineTuneArchive).examples.example.code
                (Get-Help Import-FineTuneArchive).examples.example.code
            )
            $examples.Count | Should -Be 5
            Push-Location $folder
            try {
                $problems = foreach ($code in $examples) {
                    & ([scriptblock]::Create($code)) 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }
                }
                Test-Path ./openai-archive/manifest.json | Should -BeTrue
                (Import-Csv ./archived.csv).JobId | Should -Be 'ftjob-abc123'

                Connect-FineTuneService -Provider AzureOpenAI
                $replay = (Get-Help New-FineTuneJob).examples.example.code | Where-Object { $_ -like '*Import-FineTuneArchive*' }
                $replay | Should -Not -BeNullOrEmpty
                $problems = @($problems) + @(& ([scriptblock]::Create($replay)) 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
                $script:azure.Created.Count | Should -Be 2
            }
            finally { Pop-Location }
            # The only errors are the file the service no longer serves, once per archiving run that meets it.
            @($problems | Where-Object { $_.FullyQualifiedErrorId -notlike 'FineTune.Archive.NotServed,*' }) | Should -BeNullOrEmpty
        }

        It 'runs README "Moving off OpenAI" verbatim: archive from OpenAI, then replay on Azure' {
            $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
            $readme -match '(?s)### Moving off OpenAI.*?```powershell\r?\n(.*?)```' | Should -BeTrue
            $code = $Matches[1]
            $folder = Join-Path $TestDrive 'readme'
            New-Item -ItemType Directory $folder | Out-Null
            Push-Location $folder
            try {
                $output = & ([scriptblock]::Create($code)) 2>&1
            }
            finally { Pop-Location }

            @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -and $_.FullyQualifiedErrorId -notlike 'FineTune.Archive.NotServed,*' }) | Should -BeNullOrEmpty
            @($output | Where-Object { $_ -is [FineTune.JobArchiveResult] }).Count | Should -Be 3
            (Get-Manifest (Join-Path $folder 'openai-archive')).jobs.Count | Should -Be 3
            @($script:azure.Created).Count | Should -Be 2
            @($script:azure.Created).seed | Should -Be @(11, 42)
            @($script:azure.Created).suffix | Should -Be @('prefs', 'helpdesk')
            @($script:azure.Created).method.type | Should -Be @('dpo', 'supervised')
            @($output | Where-Object { $_ -is [FineTune.Job] }).Id | Should -Be @('ftjob-az1', 'ftjob-az2')
        }
    }
}
