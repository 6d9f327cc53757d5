#Requires -Version 7.4
<#
.SYNOPSIS
    The module's main job on the bundled sample: CSV -> examples -> JSONL -> validation ->
    exact tokens -> cost -> train/validation split, through the cmdlets.
.DESCRIPTION
    The same steps as README's PowerShell block. Writes its files to -OutputFolder and prints
    what each step found. build.ps1 -Sample runs it against the module it has just built.
.EXAMPLE
    ./samples/Quickstart.ps1 -ModulePath ./out/FineTune
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/FineTune'),
    [string] $CsvPath = (Join-Path $PSScriptRoot 'helpdesk.csv'),
    [string] $OutputFolder = (Join-Path $PSScriptRoot '../out/quickstart'),
    [string] $Model = 'gpt-4o-mini-2024-07-18'
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
$null = New-Item -ItemType Directory -Force -Path $OutputFolder
$jsonl = Join-Path $OutputFolder 'helpdesk.jsonl'

Write-Host "`n== Import-Csv | ConvertTo-FineTuneExample | Export-Jsonl" -ForegroundColor Cyan
Import-Csv $CsvPath |
    ConvertTo-FineTuneExample -SystemMessage 'You answer IT support questions.' |
    Export-Jsonl $jsonl -PassThru |
    Format-Table Name, Length, LastWriteTime | Out-Host

Write-Host '== Test-FineTuneDataset | Group-Object Code' -ForegroundColor Cyan
$issues = @(Test-FineTuneDataset $jsonl)
if ($issues.Count -eq 0) { Write-Host 'No issues.' }
else { $issues | Group-Object Severity, Code -NoElement | Format-Table Count, Name | Out-Host }

Write-Host '== Measure-FineTuneDataset' -ForegroundColor Cyan
Measure-FineTuneDataset $jsonl -Model $Model | Out-Host

Write-Host '== Measure-FineTuneCost' -ForegroundColor Cyan
Measure-FineTuneCost $jsonl -Model $Model | Out-Host

Write-Host '== Split-FineTuneDataset' -ForegroundColor Cyan
Split-FineTuneDataset $jsonl -ValidationRatio 0.2 -Seed 7 | Out-Host

if ($issues.Where({ $_.Severity -eq 'Error' }).Count) { exit 1 }
