#Requires -Modules Pester
# How the module's objects look to a user: the default table of every output type in an
# 80-column console (every column there, no header broken, nothing cut off with an ellipsis;
# such a console gives a table 79 columns, keeping the last one free, so tables are rendered
# with Out-String -Width 79),
# and the same objects through Export-Csv (text, never a .NET type name), with their typed
# collections still usable down the pipeline. The objects come from the cmdlets themselves,
# offline and against the fake service on 127.0.0.1.

BeforeDiscovery {
    # Every type that has a default table view and an object below to show in it.
    $script:ShownTypes = @(
        'FineTune.ChatExample', 'FineTune.PromptCompletionExample', 'FineTune.PreferenceExample', 'FineTune.DatasetIssue',
        'FineTune.DatasetSplit', 'FineTune.DatasetMeasurement', 'FineTune.ExampleTokenCount', 'FineTune.TokenDistribution',
        'FineTune.CostEstimate', 'FineTune.BaseModel', 'FineTune.ServiceConnection', 'FineTune.ServiceFile', 'FineTune.FileDeletion',
        'FineTune.Job', 'FineTune.JobEvent', 'FineTune.Checkpoint', 'FineTune.MetricStep', 'FineTune.ChatReply', 'FineTune.ModelDeletion'
    ) | ForEach-Object { @{ Type = $_ } }
    # The types people export; examples are written with Export-Jsonl, not as CSV.
    $script:ExportedTypes = @($script:ShownTypes | Where-Object { $_.Type -notlike '*Example' })
}

BeforeAll {
    $module = Import-Module "$PSScriptRoot/../../out/FineTune" -Force -PassThru -ErrorAction Stop
    . "$PSScriptRoot/LoopbackServer.ps1"
    . "$PSScriptRoot/FakeService.ps1"
    $script:Format = [xml](Get-Content -Raw (Join-Path $module.ModuleBase 'FineTune.Format.ps1xml'))
    $script:Ellipsis = [string][char]0x2026

    # What a user needs to see first in each table (column labels), beyond "nothing cut off".
    $script:Needs = @{
        'FineTune.CostEstimate'       = 'Model', 'Epochs', 'TrainedTokens', 'Price/1M', 'Cost', 'Cur'
        'FineTune.BaseModel'          = 'Snapshot', 'Limit', 'Price/1M', 'Retires', 'Inference', 'Methods'
        'FineTune.DatasetIssue'       = 'Line', 'Severity', 'Code', 'Message'
        'FineTune.DatasetSplit'       = 'Training', 'Validation'
        'FineTune.DatasetMeasurement' = 'Examples', 'Tokens', 'Billable', 'OverLimit'
        'FineTune.ServiceConnection'  = 'Provider', 'BaseUri'
        'FineTune.Job'                = 'Id', 'Status', 'FineTunedModel'
        'FineTune.ServiceFile'        = 'Id', 'Purpose', 'FileName'
        'FineTune.ChatReply'          = 'Content'
    }

    # Tables of examples preview their text: a long question is cut to fit, the full text is one
    # Format-List or Export-Jsonl away. Every other table shows its values whole (wrapping them).
    $script:Previews = 'FineTune.ChatExample', 'FineTune.PromptCompletionExample', 'FineTune.PreferenceExample'

    $script:Samples = @{}
    function Add-Sample($object) { $script:Samples[$object.PSObject.TypeNames[0]] = $object }

    Push-Location $TestDrive
    $long = 'Why does my laptop lose the corporate VPN connection every hour even though the Wi-Fi signal stays strong?'
    $rows = 1..14 | ForEach-Object { [pscustomobject]@{ Question = "$long ($_)"; Answer = "Reinstall the VPN client profile from the portal and reconnect, step $_." } }
    $rows | ConvertTo-FineTuneExample -SystemMessage 'You answer IT support questions.' | Export-Jsonl ./helpdesk-questions-and-answers.jsonl
    $data = (Resolve-Path ./helpdesk-questions-and-answers.jsonl).Path
    Add-Sample ($rows[0] | ConvertTo-FineTuneExample -SystemMessage 'You answer IT support questions.')
    Add-Sample ([pscustomobject]@{ prompt = $long; completion = 'Reinstall the profile.' } | ConvertTo-FineTuneExample -Format PromptCompletion)
    Add-Sample ([pscustomobject]@{ prompt = $long; chosen = 'Reinstall the profile.'; rejected = 'No idea.' } | ConvertTo-FineTuneExample -Format Preference)
    '{"messages":[{"role":"user","content":"u"},{"role":"assistant","content":"a","weight":2}]}' | Set-Content ./weights.jsonl
    Add-Sample (Test-FineTuneDataset ./weights.jsonl | Where-Object Code -eq InvalidWeight)
    $null = New-Item -ItemType Directory ./a-rather-long-output-folder-name-for-the-split-files
    Add-Sample (Split-FineTuneDataset $data -ValidationCount 10 -OutputDirectory ./a-rather-long-output-folder-name-for-the-split-files -WarningAction SilentlyContinue)
    $measurement = Measure-FineTuneDataset $data -Model gpt-4o-mini-2024-07-18
    Add-Sample $measurement
    Add-Sample $measurement.TokensPerExample
    Add-Sample (Measure-FineTuneDataset $data -Model gpt-4o-mini-2024-07-18 -PerExample | Select-Object -First 1)
    Add-Sample (Measure-FineTuneCost $data -Model gpt-4o-mini-2024-07-18 -Provider AzureOpenAI -WarningAction SilentlyContinue)
    $script:PricedCost = Measure-FineTuneCost $data -Model gpt-4o-mini-2024-07-18 -WarningAction SilentlyContinue
    Add-Sample (Get-FineTuneBaseModel gpt-4.1-2025-04-14 -Provider OpenAI)
    Pop-Location

    $script:Fake = Start-FakeFineTuneService
    Add-Sample (Connect-FineTuneService -Provider Compatible -BaseUri "$($script:Fake.Prefix)openai/deployments/v1" -ApiKey (ConvertTo-SecureString $env:OPENAI_API_KEY -AsPlainText -Force) -PassThru)
    Disconnect-FineTuneService
    Add-Sample (Send-FineTuneFile $data -Confirm:$false)
    Add-Sample (Remove-FineTuneFile -Id file-abc123 -Confirm:$false -PassThru)
    $job = New-FineTuneJob -Model gpt-4o-mini-2024-07-18 -TrainingFile file-abc123 -Suffix helpdesk -Metadata @{ team = 'it' } `
        -Integration @{ Project = 'finetune'; Entity = 'it-team'; Tags = 'vpn', 'helpdesk' } -Confirm:$false
    $script:Job = $job | Wait-FineTuneJob -PollInterval ([timespan]::FromSeconds(1))
    Add-Sample $script:Job
    Add-Sample ($script:Job | Get-FineTuneEvent | Select-Object -First 1)
    Add-Sample ($script:Job | Get-FineTuneCheckpoint)
    $script:Metric = $script:Job | Get-FineTuneMetric | Select-Object -Last 1
    Add-Sample $script:Metric
    Add-Sample (Invoke-FineTuneChat -Model $script:Job.FineTunedModel -Message $long)
    Add-Sample (Remove-FineTuneModel -Model $script:Job.FineTunedModel -Confirm:$false -PassThru)

    function Get-TableLabels([string] $TypeName) {
        $view = $script:Format.Configuration.ViewDefinitions.View |
            Where-Object { $_.ViewSelectedBy.TypeName -eq $TypeName -and $_.TableControl } | Select-Object -First 1
        @($view.TableControl.TableHeaders.TableColumnHeader | ForEach-Object { $_.Label })
    }
}

AfterAll {
    if ($script:Fake) { Stop-FakeFineTuneService $script:Fake }
}

Describe 'Default views in an 80-column console' {
    It 'every table view of the module fits in the 79 columns an 80-column console gives it' {
        $tooWide = foreach ($view in $script:Format.Configuration.ViewDefinitions.View | Where-Object TableControl) {
            $headers = @($view.TableControl.TableHeaders.TableColumnHeader)
            # Fixed widths, one space between columns, and at least 10 characters for each column without a width.
            $width = ($headers | ForEach-Object { if ($_.Width) { [int]$_.Width } else { 10 } } | Measure-Object -Sum).Sum + $headers.Count - 1
            if ($width -gt 79) { "$($view.Name) needs $width" }
        }
        $tooWide | Should -BeNullOrEmpty
    }

    It '<Type> shows every column whole, with nothing cut off' -TestCases $script:ShownTypes {
        param($Type)
        $object = $script:Samples[$Type]
        $object | Should -Not -BeNullOrEmpty -Because "the test needs a $Type to show"
        $lines = @(($object | Format-Table | Out-String -Width 79) -split '\r?\n')
        $underline = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l -match '^[\s-]*-[\s-]*$' })
        $underline | Should -BeGreaterThan 0
        $header = $lines[$underline - 1]
        foreach ($label in Get-TableLabels $Type) { $header | Should -Match ([regex]::Escape($label)) -Because "the '$label' column belongs in the $Type table" }
        foreach ($label in $script:Needs[$Type]) { $header | Should -Match ([regex]::Escape($label)) }
        if ($Type -notin $script:Previews) { ($lines -join "`n") | Should -Not -Match $script:Ellipsis }
        $lines | Where-Object { $_.Length -gt 79 } | Should -BeNullOrEmpty
    }

    # A wrapped cell continues on the next lines with the other cells blank, so without the
    # whitespace the table holds the whole value in one piece.
    It 'a dataset issue shows its whole message and where it is' {
        $issue = $script:Samples['FineTune.DatasetIssue']
        $text = ($issue | Out-String -Width 79) -replace '\s', ''
        $text | Should -Match ([regex]::Escape(($issue.Message -replace '\s', '')))
        $text | Should -Match ([regex]::Escape($issue.JsonPath))
    }

    It 'a split shows both files in full' {
        $split = $script:Samples['FineTune.DatasetSplit']
        $text = ($split | Out-String -Width 79) -replace '\s', ''
        $text | Should -Match ([regex]::Escape($split.TrainingPath))
        $text | Should -Match ([regex]::Escape($split.ValidationPath))
    }

    It 'a cost estimate shows its cost, price and currency' {
        $text = $script:PricedCost | Out-String -Width 79
        $text | Should -Match ([regex]::Escape($script:PricedCost.EstimatedCost.ToString()))
        $text | Should -Match 'USD'
    }

    It 'a base model shows its price and retirement date' {
        $text = $script:Samples['FineTune.BaseModel'] | Out-String -Width 79
        $text | Should -Match '\b25(\.0+)?\b'
        $text | Should -Match '2027-01-06'
        $text | Should -Match '2027-01-14' -Because 'the day its fine-tunes stop answering is shown too'
        $text | Should -Match '25(\.0+)? USD'
    }

    It 'dates that are days show no time of day, in tables and lists' {
        foreach ($object in $script:Samples['FineTune.BaseModel'], $script:PricedCost) {
            $object | Out-String -Width 79 | Should -Not -Match '\d{1,2}:\d{2}:\d{2}'
            $list = $object | Format-List | Out-String -Width 79
            $list | Should -Match 'RetirementDate\s*:\s*2027-01-06'
            if ($object -is [FineTune.BaseModel]) { $list | Should -Match 'InferenceRetirementDate\s*:\s*2027-01-14' }
            $list | Should -Not -Match '\d{1,2}:\d{2}:\d{2}'
        }
    }
}

Describe 'Export-Csv of the output objects' {
    It '<Type> flattens to text, never to a type name' -TestCases $script:ExportedTypes {
        param($Type)
        $row = $script:Samples[$Type] | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $typeNames = foreach ($property in $row.PSObject.Properties) {
            if ($property.Value -match '^(System|FineTune)\.[\w.`\[\], ]+$' -or $property.Value -match 'System\.Collections|`1\[') {
                "$($property.Name) = $($property.Value)"
            }
        }
        $typeNames | Should -BeNullOrEmpty
    }

    It 'writes collections as readable text' {
        ($script:Job | ConvertTo-Csv | ConvertFrom-Csv).Metadata | Should -Match 'team=it'
        ($script:Job | ConvertTo-Csv | ConvertFrom-Csv).ResultFiles | Should -Be $script:Job.ResultFiles[0]
        ($script:Job | ConvertTo-Csv | ConvertFrom-Csv).Integrations | Should -Be 'it-team/finetune'
        ($script:Samples['FineTune.BaseModel'] | ConvertTo-Csv | ConvertFrom-Csv).Methods | Should -Be 'supervised; dpo; vision'
        ($script:Metric | ConvertTo-Csv | ConvertFrom-Csv).Extra | Should -Be 'train_tokens_seen=1536'
        ($script:Samples['FineTune.CostEstimate'] | ConvertTo-Csv | ConvertFrom-Csv).Warnings | Should -Match 'PricePerMillionTokens'
        $azure = Get-FineTuneBaseModel gpt-4.1-2025-04-14 -Provider AzureOpenAI -WarningAction SilentlyContinue | ConvertTo-Csv | ConvertFrom-Csv
        $azure.TrainingTypes | Should -Be 'Standard; GlobalStandard; Developer'
        $azure.TrainingPricesPerMillionTokens | Should -Be 'GlobalStandard=2.0; Developer=1.0'
        $azure.HostingPricesPerHour | Should -Match '^Standard=1\.7\d*; GlobalStandard=1\.7\d*; DeveloperTier=0'
    }

    It 'keeps the typed collections for the pipeline' {
        $script:Job.Metadata['team'] | Should -Be 'it'
        $script:Job.ResultFiles[0] | Should -BeLike 'file-result-*'
        $script:Job.Integrations[0].Tags | Should -Be @('vpn', 'helpdesk')
        $script:Samples['FineTune.BaseModel'].Methods | Should -Contain 'dpo'
        $script:Metric.Extra['train_tokens_seen'] | Should -Be '1536'
        @($script:Samples['FineTune.CostEstimate'].Warnings).Count | Should -BeGreaterThan 0
        ($script:Job | ConvertTo-Json -Depth 4 | ConvertFrom-Json).Metadata.team | Should -Be 'it'
    }
}
