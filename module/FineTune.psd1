@{
    RootModule           = 'FineTune.psm1'
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
        'Get-FineTuneBaseModel'
        'Measure-FineTuneCost'
        'Measure-FineTuneDataset'
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
