#Requires -Version 7.4
<#
.SYNOPSIS
    The evaluation step on the bundled sample, offline: base and "fine-tuned" model side by side
    on the validation split, and the HTML report, against the loopback fake server.
.DESCRIPTION
    Builds helpdesk.jsonl from samples/helpdesk.csv and splits it (as Quickstart.ps1 does), starts
    the benchmark project's fake server on 127.0.0.1 (deterministic models: the fine-tuned name
    answers from what it "learnt", the base name answers generically, any model can judge; one
    finished job, ftjob-helpdesk, with a result file), then runs Compare-FineTuneModel with a
    judge and Export-FineTuneReport. With -Screenshot, Debian's headless Chromium saves a
    picture of the page (README's is made this way). Nothing leaves the machine.
.EXAMPLE
    dotnet build -c Release; dotnet pwsh ./samples/Evaluate.ps1 -Screenshot ./docs/report-helpdesk.png
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/FineTune'),
    [string] $OutputFolder = (Join-Path $PSScriptRoot '../out/evaluate'),
    [string] $Screenshot
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot
$server = Join-Path $root 'bench/FineTune.Benchmarks/bin/Release/net10.0/FineTune.Benchmarks.dll'
if (-not (Test-Path $server)) { throw "The fake server is not built ($server): run dotnet build -c Release." }
Import-Module $ModulePath -Force
$null = New-Item -ItemType Directory -Force -Path $OutputFolder
$jsonl = Join-Path $OutputFolder 'helpdesk.jsonl'
Import-Csv (Join-Path $PSScriptRoot 'helpdesk.csv') | ConvertTo-FineTuneExample -SystemMessage 'You answer IT support questions.' | Export-Jsonl $jsonl
$split = Split-FineTuneDataset $jsonl -ValidationRatio 0.2 -Seed 7

$start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
foreach ($a in @($server, 'fake-chat', '--memory', $jsonl)) { $start.ArgumentList.Add($a) }
$start.RedirectStandardInput = $true
$start.RedirectStandardOutput = $true
$start.UseShellExecute = $false
$fake = [System.Diagnostics.Process]::Start($start)
$saved = @{ OPENAI_API_KEY = $env:OPENAI_API_KEY; OPENAI_BASE_URL = $env:OPENAI_BASE_URL }
try {
    $env:OPENAI_BASE_URL = $fake.StandardOutput.ReadLine()
    $env:OPENAI_API_KEY = 'fake-server-accepts-any-key'
    $job = Get-FineTuneJob -Id ftjob-helpdesk

    Write-Host "`n== Compare-FineTuneModel (base vs $($job.FineTunedModel), judged by gpt-4.1)" -ForegroundColor Cyan
    $results = Compare-FineTuneModel -Model $job.Model, $job.FineTunedModel -Path $split.ValidationPath -JudgeModel gpt-4.1-2025-04-14 -Summary
    $results | Where-Object Line | Format-Table | Out-Host
    $results | Where-Object Role | Format-Table | Out-Host

    Write-Host '== Export-FineTuneReport' -ForegroundColor Cyan
    $report = @($job) + $results | Export-FineTuneReport -Path (Join-Path $OutputFolder 'helpdesk-report.html') -Title 'Helpdesk model: base vs fine-tuned' -PassThru
    $report | Format-Table Name, Length, LastWriteTime | Out-Host
}
finally {
    $fake.StandardInput.Close()
    if (-not $fake.WaitForExit(10000)) { $fake.Kill() }
    $fake.Dispose()
    foreach ($name in $saved.Keys) { Set-Item "env:$name" -Value $saved[$name] -ErrorAction Ignore }
}

if ($Screenshot) {
    $chromium = (Get-Command chromium -ErrorAction Ignore).Source
    if (-not $chromium) { throw 'Chromium is needed for -Screenshot: apt-get install chromium.' }
    $chromeProfile = Join-Path ([System.IO.Path]::GetTempPath()) ('finetune-shot-' + [guid]::NewGuid().ToString('N'))
    $target = [System.IO.Path]::GetFullPath($Screenshot, (Get-Location).Path)
    $null = New-Item -ItemType Directory -Force (Split-Path $target)
    $pageUrl = [uri]::new($report.FullName).AbsoluteUri
    & $chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking `
        --disable-component-update --disable-sync --hide-scrollbars "--user-data-dir=$chromeProfile" '--window-size=1280,1700' `
        "--screenshot=$target" $pageUrl 2>&1 | Write-Verbose
    Remove-Item -Recurse -Force $chromeProfile -ErrorAction Ignore
    if (-not (Test-Path $target)) { throw "Chromium made no screenshot at $target." }
    Write-Host "Screenshot: $target"
}
