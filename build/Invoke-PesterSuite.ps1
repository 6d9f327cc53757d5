# Runs the Pester suite against the built module and writes its counts as JSON. build.ps1 -Test
# starts it in a child pwsh, so the module's assembly is not locked in the build's session and
# the tests run with the default preferences a user has.
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $TestPath,
    [Parameter(Mandatory)] [string] $NUnitPath,
    [Parameter(Mandatory)] [string] $SummaryPath
)

Import-Module $PesterManifest -ErrorAction Stop
$configuration = New-PesterConfiguration
$configuration.Run.Path = $TestPath
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $NUnitPath
$run = Invoke-Pester -Configuration $configuration

[pscustomobject]@{
    Passed = $run.PassedCount
    # A failed BeforeAll or a file that cannot load is a failure even when it holds no test.
    Failed = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount
} | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
