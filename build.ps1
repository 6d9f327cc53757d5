#Requires -Version 7.4
<#
.SYNOPSIS
    Builds the FineTune module into ./out/FineTune; -Sample runs its main job on the bundled
    sample, -Test runs every test.
.DESCRIPTION
    The build is `dotnet build` of the solution; it also brings Pester from NuGet into
    ./out/Pester. -Test then runs the xunit suites (engine on net10.0 and on the netstandard2.0
    build, module contract) and the Pester suite (tests/pester) in a child pwsh against the
    built module, and ends with one line "N passed, N failed" summed over all of them. A suite
    that cannot run counts as failed: nothing is skipped silently.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Sample

    Builds the module and runs samples/Quickstart.ps1 through the cmdlets.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Test

    Builds, runs every test and prints the totals.
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Runs the main job (samples/Quickstart.ps1) against the built module.
    [switch] $Sample,

    # Runs every test suite.
    [switch] $Test,

    # Skips `dotnet build` (the module must already be built with the same configuration).
    [switch] $NoBuild
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$results = Join-Path $root 'out/TestResults'
$pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })

function Invoke-Build {
    dotnet build (Join-Path $root 'FineTune.PowerShell.sln') -c $Configuration -nologo -clp:ErrorsOnly
    if ($LASTEXITCODE) { throw "dotnet build failed (exit code $LASTEXITCODE)." }
}

# One row per suite: xunit counts come from each project's TRX file.
function Invoke-XunitSuites {
    dotnet test (Join-Path $root 'FineTune.PowerShell.sln') -c $Configuration --no-build -nologo `
        --results-directory $results --logger 'trx;LogFilePrefix=xunit' --logger 'console;verbosity=minimal' | Out-Host
    $exit = $LASTEXITCODE
    $rows = foreach ($trx in Get-ChildItem $results -Filter 'xunit*.trx') {
        [xml] $report = Get-Content -Raw $trx.FullName
        $counters = $report.TestRun.ResultSummary.Counters
        $storage = ([string]$report.TestRun.TestDefinitions.UnitTest[0].storage)
        [pscustomobject]@{
            Suite  = [System.IO.Path]::GetFileNameWithoutExtension($storage)
            Passed = [int]$counters.passed
            Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        }
    }
    if ($exit -and -not ($rows | Where-Object Failed)) {
        # A test host crashed or a project could not run: count it rather than pass.
        $rows = @($rows) + [pscustomobject]@{ Suite = 'dotnet test'; Passed = 0; Failed = 1 }
    }
    $rows
}

function Invoke-PesterSuite {
    $pester = Join-Path $root 'out/Pester/Pester.psd1'
    $summary = Join-Path $results 'pester-summary.json'
    if (-not (Test-Path $pester)) {
        Write-Warning "Pester is missing at ${pester}: the build restores it from NuGet."
        return [pscustomobject]@{ Suite = 'Pester'; Passed = 0; Failed = 1 }
    }
    & $pwsh -NoProfile -NonInteractive -File (Join-Path $root 'build/Invoke-PesterSuite.ps1') `
        -PesterManifest $pester -TestPath (Join-Path $root 'tests/pester') `
        -NUnitPath (Join-Path $results 'pester.xml') -SummaryPath $summary | Out-Host
    if (-not (Test-Path $summary)) {
        return [pscustomobject]@{ Suite = 'Pester'; Passed = 0; Failed = 1 }
    }
    $counts = Get-Content -Raw $summary | ConvertFrom-Json
    [pscustomobject]@{ Suite = 'Pester'; Passed = [int]$counts.Passed; Failed = [int]$counts.Failed }
}

Push-Location $root
try {
    if (-not $NoBuild) { Invoke-Build }
    if ($Sample) {
        & $pwsh -NoProfile -File (Join-Path $root 'samples/Quickstart.ps1') -ModulePath (Join-Path $root 'out/FineTune')
        if ($LASTEXITCODE) { throw "The sample job failed (exit code $LASTEXITCODE)." }
    }
    if ($Test) {
        Remove-Item -Recurse -Force $results -ErrorAction Ignore
        $null = New-Item -ItemType Directory -Force $results
        $suites = @(Invoke-XunitSuites) + @(Invoke-PesterSuite)
        $suites | Format-Table -AutoSize | Out-Host
        $passed = ($suites | Measure-Object Passed -Sum).Sum
        $failed = ($suites | Measure-Object Failed -Sum).Sum
        Write-Host "$passed passed, $failed failed"
        if ($failed) { exit 1 }
    }
}
finally {
    Pop-Location
}
