@{
    # PowerShell 7 imports the cmdlet assembly directly (a script module in between costs every
    # import its parsing and a second, nested import); Windows PowerShell goes through the .psm1,
    # which also resolves the netstandard2.0 build's dependencies from the module folder.
    RootModule           = if ($PSEdition -eq 'Core') { 'bin/net8.0/FineTune.PowerShell.dll' } else { 'FineTune.psm1' }
    ModuleVersion        = '0.1.0'
    GUID                 = '5d0f3b9e-6c1a-4f7e-9a43-2b8f0c6e1d27'
    Author               = 'FineTune contributors'
    CompanyName          = 'FineTune'
    Copyright            = '(c) FineTune contributors. MIT License.'
    Description          = 'Fine-tune chat models from PowerShell: convert rows to training examples, validate, count tokens, estimate cost, split, upload, train and watch jobs on OpenAI, Azure OpenAI or any compatible service.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Core', 'Desktop')
    FormatsToProcess     = @('FineTune.Format.ps1xml')
    CmdletsToExport      = @(
        'Compare-FineTuneModel'
        'Connect-FineTuneService'
        'ConvertTo-FineTuneExample'
        'Disconnect-FineTuneService'
        'Export-FineTuneArchive'
        'Export-FineTuneReport'
        'Export-Jsonl'
        'Get-FineTuneBaseModel'
        'Get-FineTuneCheckpoint'
        'Get-FineTuneDeployment'
        'Get-FineTuneEvent'
        'Get-FineTuneFile'
        'Get-FineTuneJob'
        'Get-FineTuneMetric'
        'Import-FineTuneArchive'
        'Import-Jsonl'
        'Invoke-FineTuneChat'
        'Measure-FineTuneCost'
        'Measure-FineTuneDataset'
        'New-FineTuneDeployment'
        'New-FineTuneJob'
        'Remove-FineTuneDeployment'
        'Remove-FineTuneFile'
        'Remove-FineTuneModel'
        'Resume-FineTuneJob'
        'Save-FineTuneFile'
        'Send-FineTuneFile'
        'Split-FineTuneDataset'
        'Stop-FineTuneJob'
        'Suspend-FineTuneJob'
        'Test-FineTuneDataset'
        'Wait-FineTuneJob'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('OpenAI', 'AzureOpenAI', 'FineTuning', 'LLM', 'JSONL', 'tiktoken')
            LicenseUri   = ''
            ProjectUri   = ''
        }
    }
}
