#Requires -Modules Pester
# The module as its documentation shows it. Every example of every exported cmdlet's help, read
# from the BUILT help (Get-Help on out/FineTune), and every ```powershell block of README.md run
# here: offline, or against the fake service on 127.0.0.1 (FakeService.ps1). A new cmdlet or a new
# example is picked up without touching this file; one that cannot run must be listed in
# $CannotRun with its reason. Each exported cmdlet also has a Describe block of its own somewhere
# in tests/pester.
#
# How an example runs: in a fresh copy of the fixture folder (the files the examples name:
# ./qa.csv, ./train.jsonl, ./data/*.jsonl, ./holdout.csv, ./openai-archive made by
# Export-FineTuneArchive, ...), with OPENAI_API_KEY and OPENAI_BASE_URL pointing at the fake
# service (its jobs, files and deployments reset), with the variables examples take as given
# ($job, $key, $more, $tenant, $appId), with Read-Host and Get-Credential answering the fake key,
# with $ConfirmPreference = 'None' (as if the user answered Yes) and a two-minute timeout on
# waits. An example of a deployment cmdlet, or one that passes -TrainingType, is Azure-only: it
# runs signed in to the same fake as Azure OpenAI (managed identity, Resource Manager). It
# passes when it writes no error and no warning (except one that depends on today's date: a
# model retiring or about to stop answering) and its output formats without failing.

BeforeDiscovery {
    $root = [System.IO.Path]::GetFullPath("$PSScriptRoot/../..")
    Import-Module "$root/out/FineTune" -Force -ErrorAction Stop
    $script:Commands = @(Get-Command -Module FineTune -CommandType Cmdlet | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
    $script:HelpExamples = foreach ($command in Get-Command -Module FineTune -CommandType Cmdlet | Sort-Object Name) {
        $number = 0
        foreach ($example in (Get-Help $command.Name -Examples).examples.example) {
            $number++
            $code = (@($example.code) -join "`n").Trim()
            $azureOnly = $command.ImplementingType.IsSubclassOf([FineTune.PowerShell.FineTuneDeploymentCmdlet]) -or $code -match '-TrainingType\b'
            @{ Example = "$($command.Name) #$number"; Code = $code; Azure = $azureOnly }
        }
    }
}

BeforeAll {
    $script:Root = [System.IO.Path]::GetFullPath("$PSScriptRoot/../..")
    Import-Module "$script:Root/out/FineTune" -Force -ErrorAction Stop
    . "$PSScriptRoot/LoopbackServer.ps1"
    . "$PSScriptRoot/FakeService.ps1"

    # Help examples that cannot run here, each with the reason. An entry names the example and its
    # code: when the example's text changes, the entry stops matching and the example runs again.
    $script:CannotRun = @(
    )

    # README blocks that cannot run here, by their first line, with the reason.
    $script:ReadmeCannotRun = @(
        if (-not $IsLinux) {
            @{ FirstLine = '$results = Compare-FineTuneModel -Model gpt-4o-mini-2024-07-18, $job.FineTunedModel `'
                Reason = 'its -Show would open a real browser: only on Linux does the opener (xdg-open) come from PATH, where the test puts one that records the file' }
        }
    )

    # Warnings that depend on today's date: a model retiring, or about to stop answering.
    $script:DateDependentWarning = 'retire|stops? answering|stopped answering'

    # The files the examples name, written once; each example gets a fresh copy.
    $script:Fixtures = Join-Path $TestDrive 'fixtures'
    $null = New-Item -ItemType Directory -Path $script:Fixtures, (Join-Path $script:Fixtures 'data'), (Join-Path $script:Fixtures 'results')
    Copy-Item "$script:Root/samples/helpdesk.csv" (Join-Path $script:Fixtures 'qa.csv')
    $rows = Import-Csv (Join-Path $script:Fixtures 'qa.csv')
    $rows | Select-Object @{ n = 'prompt'; e = { $_.Question } }, @{ n = 'completion'; e = { $_.Answer } } |
        Export-Csv (Join-Path $script:Fixtures 'pairs.csv') -NoTypeInformation
    $rows | Select-Object @{ n = 'Prompt'; e = { $_.Question } }, @{ n = 'Good'; e = { $_.Answer } }, @{ n = 'Bad'; e = { 'Please open a ticket.' } } |
        Export-Csv (Join-Path $script:Fixtures 'prefs.csv') -NoTypeInformation
    $examples = @($rows | ConvertTo-FineTuneExample -SystemMessage 'You answer IT support questions.')
    foreach ($name in 'qa.jsonl', 'train.jsonl', 'a.jsonl', 'big.jsonl', 'data/helpdesk.jsonl', 'data/helpdesk-2.jsonl') {
        $examples | Export-Jsonl (Join-Path $script:Fixtures $name)
    }
    $examples | Select-Object -First 12 | Export-Jsonl (Join-Path $script:Fixtures 'valid.jsonl')
    $rows | Select-Object -First 3 | ForEach-Object Question | Set-Content (Join-Path $script:Fixtures 'questions.txt')
    $examples | Select-Object -Last 12 | Export-Jsonl (Join-Path $script:Fixtures 'helpdesk.validation.jsonl')
    $rows | Select-Object -Last 10 | Export-Csv (Join-Path $script:Fixtures 'holdout.csv') -NoTypeInformation

    $script:Fake = Start-FakeFineTuneService
    # The archive the Import-FineTuneArchive examples read: what Export-FineTuneArchive makes of the fake account.
    Reset-FakeFineTuneService $script:Fake
    $null = Export-FineTuneArchive -Path (Join-Path $script:Fixtures 'openai-archive') -Confirm:$false -ErrorAction Stop -WarningAction Stop

    # Runs one example as described at the top; returns what it wrote, by kind.
    function Invoke-Example([string] $Code, [switch] $Azure) {
        $sandbox = Join-Path $TestDrive ('run-' + [guid]::NewGuid().ToString('N'))
        Copy-Item -LiteralPath $script:Fixtures -Destination $sandbox -Recurse
        # Each example meets the service fresh: no job paused or cancelled, no deployment removed by the one before.
        Reset-FakeFineTuneService $script:Fake
        if ($Azure) { Connect-FakeAzure $script:Fake }
        $given = @{
            job    = Get-FineTuneJob -Id ftjob-abc123
            key    = ConvertTo-SecureString $script:Fake.State.Key -AsPlainText -Force
            more   = @([pscustomobject]@{ Question = 'Printer offline?'; Answer = 'Restart the print spooler.' } | ConvertTo-FineTuneExample)
            tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47'
            appId  = '0b7c2f2e-3d4a-4c1e-9a55-5f1d2e3c4b6a'
        }
        Push-Location -LiteralPath $sandbox
        try {
            $records = & {
                param($given, $code)
                $ConfirmPreference = 'None'
                # A wait that would not end fails the example instead of the whole run.
                $PSDefaultParameterValues = @{ 'Wait-FineTuneJob:Timeout' = [timespan]::FromMinutes(2); 'New-FineTuneJob:Timeout' = [timespan]::FromMinutes(2) }
                $job = $given.job; $key = $given.key; $more = $given.more; $tenant = $given.tenant; $appId = $given.appId
                # What a user types at a prompt: the fake key (and the application id Get-Credential was given).
                function Read-Host { param([Parameter(Position = 0)] $Prompt, [switch] $AsSecureString) $key }
                function Get-Credential { param([Parameter(Position = 0)] [string] $UserName, [string] $Message, [string] $Title) [pscredential]::new($UserName, $key) }
                $output = . ([scriptblock]::Create($code))
                $output
                $null = $output | Out-String -Width 80
            } $given $Code *>&1
        }
        catch {
            $records = @($_)
        }
        finally {
            Pop-Location
            Disconnect-FineTuneService
            $env:IDENTITY_ENDPOINT = $null
            $env:IDENTITY_HEADER = $null
        }
        $records = @($records)
        [pscustomobject]@{
            Errors   = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" })
            Warnings = @($records | Where-Object { $_ -is [System.Management.Automation.WarningRecord] -and $_.Message -notmatch $script:DateDependentWarning } | ForEach-Object Message)
        }
    }

    # The ```powershell blocks of README.md, in order.
    function Get-ReadmeBlocks {
        $text = Get-Content -Raw "$script:Root/README.md"
        [regex]::Matches($text, '(?ms)^```powershell\r?\n(.*?)^```') | ForEach-Object { $_.Groups[1].Value }
    }
}

AfterAll {
    if ($script:Fake) { Stop-FakeFineTuneService $script:Fake }
}

Describe 'Every exported cmdlet has its own Describe block' {
    BeforeAll {
        $script:Described = foreach ($file in Get-ChildItem $PSScriptRoot -Filter *.Tests.ps1) {
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$null, [ref]$null)
            $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] -and $node.GetCommandName() -eq 'Describe' }, $true) |
                ForEach-Object { $_.CommandElements[1].SafeGetValue() }
        }
    }

    It '<Name>' -TestCases $script:Commands {
        param($Name)
        $script:Described | Should -Contain $Name
    }
}

Describe 'Help examples' {
    It '<Example> runs' -TestCases $script:HelpExamples {
        param($Example, $Code, $Azure)
        $skip = $script:CannotRun | Where-Object { $_.Example -eq $Example -and $_.Code -eq $Code }
        if ($skip) { Set-ItResult -Skipped -Because $skip.Reason; return }
        $result = Invoke-Example $Code -Azure:$Azure
        $result.Errors | Should -BeNullOrEmpty -Because "the example is: $Code"
        $result.Warnings | Should -BeNullOrEmpty -Because "the example is: $Code"
    }

    It 'the list of examples that cannot run names only examples that exist, each with a reason' {
        foreach ($entry in $script:CannotRun) {
            $entry.Reason | Should -Not -BeNullOrEmpty
            $script:HelpExamples.Where({ $_.Example -eq $entry.Example -and $_.Code -eq $entry.Code }) | Should -HaveCount 1 -Because "$($entry.Example) is listed"
        }
    }
}

Describe 'README' {
    BeforeAll {
        $script:ReadmeRun = Join-Path $TestDrive 'readme'
        $null = New-Item -ItemType Directory -Path $script:ReadmeRun, (Join-Path $script:ReadmeRun 'samples'), (Join-Path $script:ReadmeRun 'out')
        Copy-Item "$script:Root/samples/helpdesk.csv" (Join-Path $script:ReadmeRun 'samples')
        # README imports ./out/FineTune from the repository root: the same built module, linked.
        $link = Join-Path $script:ReadmeRun 'out/FineTune'
        if ($IsWindows) { $null = New-Item -ItemType Junction -Path $link -Target "$script:Root/out/FineTune" }
        else { $null = New-Item -ItemType SymbolicLink -Path $link -Target "$script:Root/out/FineTune" }
        # The On Azure runbook's default training file, written as README says Azure wants it.
        Import-Csv "$script:Root/samples/helpdesk.csv" | ConvertTo-FineTuneExample -SystemMessage 'You answer IT support questions.' |
            Export-Jsonl (Join-Path $script:ReadmeRun 'helpdesk.train.jsonl') -Encoding utf8BOM
        # -Show opens the report with the desktop's opener (xdg-open on Linux): this one records what it was given.
        $script:OpenerBin = Join-Path $TestDrive 'opener'
        $script:Opened = Join-Path $TestDrive 'opened.txt'
        $null = New-Item -ItemType Directory -Path $script:OpenerBin
        Set-Content (Join-Path $script:OpenerBin 'xdg-open') "#!/bin/sh`necho `"`$1`" >> '$script:Opened'`n" -NoNewline
        if (-not $IsWindows) { chmod +x (Join-Path $script:OpenerBin 'xdg-open') }
    }

    It 'has PowerShell blocks, offline and online' {
        $blocks = @(Get-ReadmeBlocks)
        $blocks.Count | Should -BeGreaterOrEqual 2
        ($blocks -join "`n") | Should -Match 'Connect-FineTuneService'
    }

    It 'runs every PowerShell block in order, verbatim, in a new pwsh against the fake service' {
        Reset-FakeFineTuneService $script:Fake
        $script:Fake.State.Requests.Clear()
        $number = 0
        $blocks = foreach ($block in Get-ReadmeBlocks) {
            $number++
            $first = ($block -split '\r?\n')[0]
            if ($script:ReadmeCannotRun | Where-Object { $_.FirstLine -eq $first }) { continue }
            if ($first -match '^param\(') {
                # A runbook (On Azure): run as the script it is, verbatim, with this fake as its Azure.
                $runbook = Join-Path $script:ReadmeRun "runbook-$number.ps1"
                Set-Content -LiteralPath $runbook -Value $block -Encoding utf8NoBOM
                "& '$runbook' -Endpoint '$($script:Fake.Prefix)' -SubscriptionId sub-fake -ResourceGroupName rg-fake -AccountName acct-fake -ResourceManagerUri '$($script:Fake.Prefix)' -PollInterval '00:00:01'"
                continue
            }
            $block
        }
        $script = Join-Path $TestDrive 'readme.ps1'
        # The blocks share one scope, as when pasted into one session; warnings are marked so they can be told apart.
        Set-Content -LiteralPath $script -Value @(
            '$ErrorActionPreference = ''Stop'''
            '& {'
            $blocks
            '} 3>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.WarningRecord]) { "WARNING: $($_.Message)" } else { $_ } } | Out-String -Width 80'
        )
        $pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
        # What the blocks' comments say they read: the managed identity (the runbook), AZURE_OPENAI_* (Moving off OpenAI).
        $environment = @{
            IDENTITY_ENDPOINT = "$($script:Fake.Prefix)msi/token"; IDENTITY_HEADER = $script:Fake.State.IdentityHeader
            AZURE_OPENAI_ENDPOINT = $script:Fake.Prefix; AZURE_OPENAI_API_KEY = $script:Fake.State.Key
            PSModulePath = (Join-Path $script:ReadmeRun 'out') + [System.IO.Path]::PathSeparator + $env:PSModulePath
            PATH = $script:OpenerBin + [System.IO.Path]::PathSeparator + $env:PATH
        }
        $saved = @{}
        foreach ($name in $environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $environment[$name]) }
        Push-Location -LiteralPath $script:ReadmeRun
        try { $output = & $pwsh -NoProfile -NonInteractive -File $script 2>&1 | Out-String }
        finally {
            Pop-Location
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
        $LASTEXITCODE | Should -Be 0 -Because $output
        ($output -split '\r?\n' | Where-Object { $_ -match '^WARNING: ' -and $_ -notmatch $script:DateDependentWarning }) | Should -BeNullOrEmpty
        $metrics = Import-Csv (Join-Path $script:ReadmeRun 'metrics.csv')
        $metrics.Count | Should -BeGreaterThan 0
        $metrics[0].Step | Should -Be 1
        $output | Should -Match 'Try reconnecting'
        $jobs = @($script:Fake.State.Requests | Where-Object { $_.Method -eq 'POST' -and $_.Path -eq '/v1/fine_tuning/jobs' })
        $jobs | Should -HaveCount 1
        ($jobs[0].Body | ConvertFrom-Json).validation_file | Should -Not -BeNullOrEmpty
        if ($IsLinux) {
            # -Show handed the report to the opener.
            $deadline = [datetime]::UtcNow.AddSeconds(30)
            while (-not (Test-Path $script:Opened) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            Get-Content $script:Opened | Should -Be (Join-Path $script:ReadmeRun 'helpdesk-report.html')
        }
        # On Azure: trained on the Global tier, deployed, asked, removed.
        $azureJobs = @($script:Fake.State.Requests | Where-Object { $_.Method -eq 'POST' -and $_.Path -eq '/openai/v1/fine_tuning/jobs' })
        ($azureJobs[0].Body | ConvertFrom-Json).trainingType | Should -Be 'GlobalStandard'
        @($script:Fake.State.Requests | Where-Object { $_.Method -eq 'PUT' -and $_.Path -like '*/deployments/helpdesk-candidate' }) | Should -HaveCount 1
        @($script:Fake.State.Requests | Where-Object { $_.Method -eq 'DELETE' -and $_.Path -like '*/deployments/helpdesk-candidate' }) | Should -HaveCount 1
        # Moving off OpenAI: the archive, and the archived job trained again on Azure.
        Test-Path (Join-Path $script:ReadmeRun 'openai-archive/manifest.json') | Should -BeTrue
        # (The fake keeps one list of jobs for both, so the runbook's job is archived too.)
        $archived = @(Import-FineTuneArchive (Join-Path $script:ReadmeRun 'openai-archive') | Where-Object Status -eq succeeded)
        $azureJobs | Should -HaveCount (1 + $archived.Count)
        $again = @($azureJobs | Select-Object -Skip 1 | ForEach-Object { $_.Body | ConvertFrom-Json } | Where-Object validation_file)
        $again | Should -HaveCount 1 -Because 'the job README trained on OpenAI with a validation file is trained again'
        $again[0].suffix | Should -Be 'helpdesk'
        $again[0].trainingType | Should -Be 'GlobalStandard'
    }
}
