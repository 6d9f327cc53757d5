#Requires -Version 7.4
<#
.SYNOPSIS
    Builds the FineTune module into ./out/FineTune and, with -Test, runs every test.
.DESCRIPTION
    The same build as `dotnet build -c Release` at the repository root. -Test then runs the
    xunit suites (`dotnet test`) and the Pester suite in tests/pester against the built folder.
.EXAMPLE
    ./build.ps1 -Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [switch] $Test
)

$ErrorActionPreference = 'Stop'
Push-Location $PSScriptRoot
try {
    dotnet build -c $Configuration
    if ($LASTEXITCODE) { throw "dotnet build failed ($LASTEXITCODE)." }
    if ($Test) {
        dotnet test -c $Configuration --no-build
        if ($LASTEXITCODE) { throw "dotnet test failed ($LASTEXITCODE)." }
        # Pester in a child process, so the module assembly is not locked in this session.
        pwsh -NoProfile -NonInteractive -Command {
            param($Path)
            $ErrorActionPreference = 'Stop'
            Import-Module Pester -MinimumVersion 5.0
            $result = Invoke-Pester -Path $Path -Output Detailed -PassThru
            exit ($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount)
        } -args (Join-Path $PSScriptRoot 'tests/pester')
        if ($LASTEXITCODE) { throw "The Pester suite did not pass (exit code $LASTEXITCODE): see its output above; it needs Pester 5." }
    }
}
finally {
    Pop-Location
}
