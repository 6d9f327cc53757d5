#Requires -Version 7.4
<#
.SYNOPSIS
    Compare-FineTuneModel on N examples x 2 models against the loopback fake (bench `fake-chat`):
    wall time, peak working set, and the same chat calls sent by ForEach-Object -Parallel with
    Invoke-FineTuneChat as the reference, measured in the same run.
.DESCRIPTION
    Each measurement runs in a fresh pwsh process so that its peak working set is its own:
      compare   Compare-FineTuneModel -Model base, ft -Path test-N.jsonl -ThrottleLimit 8 | Measure-Object
      reference Import-Jsonl test-N.jsonl | ForEach-Object -Parallel { Invoke-FineTuneChat (both models) } -ThrottleLimit 8
    The test sets are built deterministically from samples/helpdesk.csv (question k of row k mod 60,
    numbered so every line differs). The fake server answers from the same file, so the fine-tuned
    fake scores high and the base fake low, as in a real comparison.
.EXAMPLE
    dotnet build -c Release; dotnet pwsh ./bench/compare.ps1 -Examples 1000, 4000 -Runs 3
#>
param(
    [int[]] $Examples = @(1000),
    [int] $ThrottleLimit = 8,
    [int] $Runs = 3,
    [switch] $NoReference
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot
$module = Join-Path $root 'out/FineTune'
$server = Join-Path $root 'bench/FineTune.Benchmarks/bin/Release/net10.0/FineTune.Benchmarks.dll'
$work = Join-Path ([System.IO.Path]::GetTempPath()) 'finetune-bench-compare'
$null = New-Item -ItemType Directory -Force $work
$pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
foreach ($path in $module, $server) { if (-not (Test-Path $path)) { throw "Missing ${path}: run dotnet build -c Release first." } }

# Test sets, and the memory of the fake's fine-tuned model (every question of every set).
Import-Module $module
$rows = Import-Csv (Join-Path $root 'samples/helpdesk.csv')
$sets = @{}
foreach ($n in $Examples) {
    $path = Join-Path $work "test-$n.jsonl"
    $sets[$n] = $path
    1..$n | ForEach-Object { $row = $rows[($_ - 1) % $rows.Count]; [pscustomobject]@{ Question = "#${_}: $($row.Question)"; Answer = $row.Answer } } |
        ConvertTo-FineTuneExample -SystemMessage 'You answer IT support questions.' | Export-Jsonl $path
}
$memory = Join-Path $work 'memory.jsonl'
Get-Content ($sets[[int]($Examples | Measure-Object -Maximum).Maximum]) | Set-Content $memory

# The fake server: prints its URL, serves until its standard input closes.
$start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
foreach ($a in @($server, 'fake-chat', '--memory', $memory)) { $start.ArgumentList.Add($a) }
$start.RedirectStandardInput = $true
$start.RedirectStandardOutput = $true
$start.UseShellExecute = $false
$fake = [System.Diagnostics.Process]::Start($start)
try {
    $url = $fake.StandardOutput.ReadLine()
    if ($url -notmatch '^http://127\.0\.0\.1:\d+/v1$') { throw "The fake server did not start (it said '$url')." }

    $measure = {
        param([string] $Kind, [string] $Path)
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$module'
`$env:OPENAI_API_KEY = 'sk-bench-not-a-key'; `$env:OPENAI_BASE_URL = '$url'
`$models = 'gpt-4o-mini-2024-07-18', 'ft:gpt-4o-mini-2024-07-18:my-org:helpdesk:abc123'
`$watch = [System.Diagnostics.Stopwatch]::StartNew()
if ('$Kind' -eq 'compare') {
    `$count = (Compare-FineTuneModel -Model `$models -Path '$Path' -ThrottleLimit $ThrottleLimit | Measure-Object).Count
} else {
    `$count = (Import-Jsonl '$Path' | ForEach-Object -ThrottleLimit $ThrottleLimit -Parallel {
        Import-Module '$module'
        `$prompt = `$_.messages[0..(`$_.messages.Count - 2)]
        foreach (`$model in `$using:models) { Invoke-FineTuneChat -Model `$model -Messages `$prompt }
    } | Measure-Object).Count / 2
}
`$seconds = `$watch.Elapsed.TotalSeconds
`$peak = [System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB
'{0} {1:0.00} {2:0.0}' -f `$count, `$seconds, `$peak
"@
        $line = & $pwsh -NoProfile -NonInteractive -Command $script
        if ($LASTEXITCODE) { throw "The $Kind run failed: $line" }
        $count, $seconds, $peak = ("$line".Trim() -split ' ')
        [pscustomobject]@{ Kind = $Kind; Examples = [int]$count; Seconds = [double]$seconds; PeakMB = [double]$peak }
    }

    $results = foreach ($n in $Examples) {
        foreach ($run in 1..$Runs) {
            & $measure 'compare' $sets[$n]
            if (-not $NoReference) { & $measure 'reference' $sets[$n] }
        }
    }
    $results | Format-Table -AutoSize | Out-Host
    foreach ($group in $results | Group-Object Examples) {
        $compare = $group.Group | Where-Object Kind -eq compare
        $reference = $group.Group | Where-Object Kind -eq reference
        $best = ($compare | Measure-Object Seconds -Minimum).Minimum
        $median = @($compare.Seconds | Sort-Object)[[int][Math]::Floor(($compare.Count - 1) / 2)]
        $line = '{0} examples x 2 models, -ThrottleLimit {1}: Compare-FineTuneModel {2:0.00} s best, {3:0.00} median, peak working set {4:0.0}-{5:0.0} MB' -f `
            $group.Name, $ThrottleLimit, $best, $median, ($compare | Measure-Object PeakMB -Minimum).Minimum, ($compare | Measure-Object PeakMB -Maximum).Maximum
        if ($reference) {
            $referenceBest = ($reference | Measure-Object Seconds -Minimum).Minimum
            $line += '; reference (ForEach-Object -Parallel + Invoke-FineTuneChat, no scoring) {0:0.00} s best, peak {1:0.0} MB; ratio {2:0.00}x' -f `
                $referenceBest, ($reference | Measure-Object PeakMB -Maximum).Maximum, ($referenceBest / $best)
        }
        $line
    }
}
finally {
    $fake.StandardInput.Close()
    if (-not $fake.WaitForExit(10000)) { $fake.Kill() }
    $fake.Dispose()
}
