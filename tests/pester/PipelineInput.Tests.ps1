#Requires -Modules Pester
# What the dataset cmdlets do with whatever reaches them from the pipeline. One scheme for
# Test-FineTuneDataset, Measure-FineTuneDataset, Measure-FineTuneCost, Split-FineTuneDataset and
# Send-FineTuneFile: paths, files and provider items are files; typed examples, objects read by
# Import-Jsonl and JSON text lines are examples (for the cmdlets that read examples); anything
# else is an error record that says what to pipe instead. Nothing is dropped without a word.

BeforeAll {
    Import-Module "$PSScriptRoot/../../out/FineTune" -Force -ErrorAction Stop
    $script:Qa = Join-Path $TestDrive 'qa.jsonl'
    1..12 | ForEach-Object { [pscustomobject]@{ Question = "How do I reset password $_?"; Answer = "Open the portal, step $_." } } |
        ConvertTo-FineTuneExample -SystemMessage 'You answer IT support questions.' | Export-Jsonl $script:Qa
    $script:Csv = Join-Path $TestDrive 'qa.csv'
    Import-Jsonl $script:Qa | Select-Object -First 3 |
        ForEach-Object { [pscustomobject]@{ Question = $_.messages[1].content; Answer = $_.messages[2].content } } |
        Export-Csv $script:Csv -NoTypeInformation

    # The same cmdlets without the network: Send-FineTuneFile only ever runs under -WhatIf here.
    $script:Offline = @{ OPENAI_API_KEY = $env:OPENAI_API_KEY; OPENAI_BASE_URL = $env:OPENAI_BASE_URL }
    $env:OPENAI_API_KEY = 'fake-pipeline-key'
    $env:OPENAI_BASE_URL = 'http://127.0.0.1:9/v1'

    # Output and error records of a pipeline, apart.
    function Invoke-Collecting([scriptblock] $Pipeline) {
        $all = @(& $Pipeline 2>&1)
        [pscustomobject]@{
            Output = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
            Errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        }
    }

    # What a command writes to the host (-WhatIf lines go nowhere else), read from a transcript.
    function Get-HostText([scriptblock] $Command) {
        $transcript = Join-Path $TestDrive ("host-" + [guid]::NewGuid().ToString('N') + '.txt')
        $null = Start-Transcript -LiteralPath $transcript
        try { $null = & $Command } finally { $null = Stop-Transcript }
        Get-Content -LiteralPath $transcript -Raw
    }
}

AfterAll {
    foreach ($name in $script:Offline.Keys) { Set-Item "env:$name" -Value $script:Offline[$name] -ErrorAction SilentlyContinue }
}

Describe 'Pipeline input of the dataset cmdlets' {
    Context 'objects read by Import-Jsonl and typed examples are examples' {
        It 'Test-FineTuneDataset checks Import-Jsonl objects as the lines of one dataset' {
            $fromFile = Test-FineTuneDataset $script:Qa
            $fromPipeline = Import-Jsonl $script:Qa | Test-FineTuneDataset
            $fromPipeline | Should -Not -BeNullOrEmpty
            $fromPipeline.Code | Should -Be $fromFile.Code
            $fromPipeline[0].Path | Should -BeNullOrEmpty
        }

        It 'Test-FineTuneDataset -Quiet answers for Import-Jsonl objects' {
            Import-Jsonl $script:Qa | Test-FineTuneDataset -Quiet | Should -BeExactly $true
            Import-Jsonl $script:Qa | Select-Object -First 3 | Test-FineTuneDataset -Quiet | Should -BeExactly $false
        }

        It 'Test-FineTuneDataset reports a bad Import-Jsonl object with its position and JSON path' {
            $objects = @(Import-Jsonl $script:Qa)
            $objects[4].messages[2].content = ''
            $issue = $objects | Test-FineTuneDataset | Where-Object Code -eq MissingContent
            $issue.Line | Should -Be 5
            $issue.JsonPath | Should -Be '$.messages[2].content'
        }

        It 'Measure-FineTuneDataset measures Import-Jsonl objects as the file measures' {
            $fromFile = Measure-FineTuneDataset $script:Qa
            $fromPipeline = Import-Jsonl $script:Qa | Measure-FineTuneDataset
            $fromPipeline.ExampleCount | Should -Be 12
            $fromPipeline.TotalTokens | Should -Be $fromFile.TotalTokens
            $fromPipeline.Path | Should -BeNullOrEmpty
        }

        It 'Measure-FineTuneDataset measures typed examples' {
            $fromFile = Measure-FineTuneDataset $script:Qa
            $measured = Import-Jsonl $script:Qa | ConvertTo-FineTuneExample | Measure-FineTuneDataset
            $measured.ExampleCount | Should -Be 12
            $measured.BillableTokens | Should -Be $fromFile.BillableTokens
        }

        It 'Measure-FineTuneDataset -PerExample numbers the pipeline examples' {
            $counts = Import-Jsonl $script:Qa | Measure-FineTuneDataset -PerExample
            $counts.Line | Should -Be (1..12)
        }

        It 'Measure-FineTuneCost prices Import-Jsonl objects as it prices the file' {
            $fromFile = Measure-FineTuneCost $script:Qa -Model gpt-4o-mini-2024-07-18 -WarningAction SilentlyContinue
            $fromPipeline = Import-Jsonl $script:Qa | Measure-FineTuneCost -Model gpt-4o-mini-2024-07-18 -WarningAction SilentlyContinue
            $fromPipeline.TrainedTokens | Should -Be $fromFile.TrainedTokens
            $fromPipeline.EstimatedCost | Should -Be $fromFile.EstimatedCost
        }

        It 'Measure-FineTuneCost still prices a measurement from the pipeline' {
            $cost = Measure-FineTuneDataset $script:Qa | Measure-FineTuneCost -PricePerMillionTokens 8 -WarningAction SilentlyContinue
            $cost.PricePerMillionTokens | Should -Be 8
        }

        It 'Test-FineTuneDataset and Measure-FineTuneDataset read JSON text lines from Get-Content' {
            (Get-Content $script:Qa | Test-FineTuneDataset).Code | Should -Be (Test-FineTuneDataset $script:Qa).Code
            (Get-Content $script:Qa | Measure-FineTuneDataset).TotalTokens | Should -Be (Measure-FineTuneDataset $script:Qa).TotalTokens
        }
    }

    Context 'files reach every cmdlet however they are piped' {
        It '<Name> takes a path string, a FileInfo and a wildcard from the pipeline' -TestCases @(
            @{ Name = 'Test-FineTuneDataset'; Run = { param($in) $in | Test-FineTuneDataset -Quiet } }
            @{ Name = 'Measure-FineTuneDataset'; Run = { param($in) ($in | Measure-FineTuneDataset).ExampleCount } }
            @{ Name = 'Measure-FineTuneCost'; Run = { param($in) ($in | Measure-FineTuneCost -WarningAction SilentlyContinue).ExampleCount } }
            @{ Name = 'Split-FineTuneDataset'; Run = { param($in) ($in | Split-FineTuneDataset -ValidationCount 2 -OutputDirectory (Join-Path $TestDrive 'split') -WarningAction SilentlyContinue).TrainingCount } }
        ) {
            param($Name, $Run)
            $expected = & $Run $script:Qa
            $expected | Should -Not -BeNullOrEmpty
            & $Run (Get-Item $script:Qa) | Should -Be $expected
            & $Run (Join-Path $TestDrive 'q?.jsonl') | Should -Be $expected
        }

        It 'Send-FineTuneFile -WhatIf takes a path string and a FileInfo from the pipeline' {
            $said = Get-HostText { $script:Qa, (Get-Item $script:Qa) | Send-FineTuneFile -WhatIf }
            ([regex]::Matches($said, 'What if: .*qa\.jsonl')).Count | Should -Be 2
        }
    }

    Context 'anything else is a clear error, never silence' {
        It '<Name> says a wildcard that matches no file matches nothing' -TestCases @(
            @{ Name = 'Test-FineTuneDataset'; Run = { param($in) $in | Test-FineTuneDataset } }
            @{ Name = 'Measure-FineTuneDataset'; Run = { param($in) $in | Measure-FineTuneDataset } }
            @{ Name = 'Measure-FineTuneCost'; Run = { param($in) $in | Measure-FineTuneCost } }
            @{ Name = 'Split-FineTuneDataset'; Run = { param($in) $in | Split-FineTuneDataset } }
            @{ Name = 'Send-FineTuneFile'; Run = { param($in) $in | Send-FineTuneFile -WhatIf } }
        ) {
            param($Name, $Run)
            $result = Invoke-Collecting { & $Run (Join-Path $TestDrive 'nothing-*.jsonl') }
            $result.Output | Should -BeNullOrEmpty
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Path.NotFound*'
            $result.Errors[0].Exception.Message | Should -Match 'nothing-\*\.jsonl'
        }

        It '<Name> refuses Import-Csv rows and says to convert them first' -TestCases @(
            @{ Name = 'Test-FineTuneDataset'; Run = { Import-Csv $script:Csv | Test-FineTuneDataset } }
            @{ Name = 'Measure-FineTuneDataset'; Run = { Import-Csv $script:Csv | Measure-FineTuneDataset } }
            @{ Name = 'Measure-FineTuneCost'; Run = { Import-Csv $script:Csv | Measure-FineTuneCost } }
        ) {
            param($Name, $Run)
            $result = Invoke-Collecting $Run
            $result.Errors | Should -HaveCount 3
            $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Input.NotAnExample*'
            $result.Errors[0].Exception.Message | Should -Match 'Question, Answer'
            $result.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'ConvertTo-FineTuneExample'
            $result.Errors[0].TargetObject.Question | Should -Not -BeNullOrEmpty
        }

        It '<Name> takes files only and says how to write examples to one' -TestCases @(
            @{ Name = 'Split-FineTuneDataset'; Run = { Import-Jsonl $script:Qa | Select-Object -First 2 | Split-FineTuneDataset } }
            @{ Name = 'Send-FineTuneFile'; Run = { Import-Jsonl $script:Qa | Select-Object -First 2 | Send-FineTuneFile -WhatIf } }
            @{ Name = 'Send-FineTuneFile (typed examples)'; Run = { Import-Jsonl $script:Qa | Select-Object -First 2 | ConvertTo-FineTuneExample | Send-FineTuneFile -WhatIf } }
            @{ Name = 'Split-FineTuneDataset (JSON text)'; Run = { Get-Content $script:Qa -TotalCount 2 | Split-FineTuneDataset } }
        ) {
            param($Name, $Run)
            $result = Invoke-Collecting $Run
            $result.Output | Should -BeNullOrEmpty
            $result.Errors | Should -HaveCount 2
            $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Input.NotAFile*'
            $result.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'Export-Jsonl'
        }

        It '<Name> names the type of an object it cannot use' -TestCases @(
            @{ Name = 'Test-FineTuneDataset'; Run = { 42 | Test-FineTuneDataset } }
            @{ Name = 'Measure-FineTuneDataset'; Run = { [datetime]::Now | Measure-FineTuneDataset } }
            @{ Name = 'Send-FineTuneFile'; Run = { [FineTune.ServiceFile]::new() | Send-FineTuneFile -WhatIf } }
        ) {
            param($Name, $Run)
            $result = Invoke-Collecting $Run
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Input.Unsupported*'
            $result.Errors[0].CategoryInfo.Category | Should -Be 'InvalidType'
            $result.Errors[0].Exception.Message | Should -Match 'System\.Int32|System\.DateTime|FineTune\.ServiceFile'
        }
    }
}
