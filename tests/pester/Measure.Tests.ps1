# Pester 5 tests of Get-FineTuneBaseModel, Measure-FineTuneDataset and Measure-FineTuneCost
# against the built module folder (dotnet build -c Release first).

BeforeAll {
    Import-Module "$PSScriptRoot/../../out/FineTune" -Force
    $shared = if ($env:FINETUNE_SHARED_DIR) { $env:FINETUNE_SHARED_DIR } else { Join-Path $PSScriptRoot '../../../shared' }
    $script:toy = Join-Path $shared 'data/cookbook/toy_chat_fine_tuning.jsonl'
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) ("finetune-measure-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:work | Out-Null
    $line = '{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]}'
    $script:small = Join-Path $script:work 'small [1].jsonl'
    [System.IO.File]::WriteAllText($script:small, (($line + "`n") * 12))
}

AfterAll {
    Remove-Item -LiteralPath $script:work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Get-FineTuneBaseModel' {
    It 'lists models with encodings and limits' {
        $models = Get-FineTuneBaseModel
        $models | Should -Not -BeNullOrEmpty
        $models[0].PSObject.TypeNames | Should -Contain 'FineTune.BaseModel'
        ($models | Where-Object Snapshot -eq 'gpt-4o-mini-2024-07-18' | Where-Object Provider -eq 'OpenAI').Encoding | Should -Be 'o200k_base'
    }

    It 'filters by wildcard and provider' {
        $models = Get-FineTuneBaseModel 'gpt-4.1*' -Provider AzureOpenAI
        $models.Count | Should -Be 3
        $models.Provider | Sort-Object -Unique | Should -Be 'AzureOpenAI'
    }

    It 'resolves a fine-tuned model name to its base model' {
        (Get-FineTuneBaseModel 'ft:gpt-4o-mini-2024-07-18:org:suffix:abc123' -Provider OpenAI).Snapshot | Should -Be 'gpt-4o-mini-2024-07-18'
    }

    It 'resolves a fine-tuned name to the one base model of the provider that names models that way' {
        $openai = @(Get-FineTuneBaseModel 'ft:gpt-4o-mini-2024-07-18:my-org:helpdesk:AbC123')
        $openai | Should -HaveCount 1
        $openai[0].Provider | Should -Be 'OpenAI'
        $azure = @(Get-FineTuneBaseModel 'gpt-4o-mini-2024-07-18.ft-0123456789abcdef0123456789abcdef')
        $azure | Should -HaveCount 1
        $azure[0].Provider | Should -Be 'AzureOpenAI'
        (Get-FineTuneBaseModel 'ft:gpt-4o-mini-2024-07-18:my-org:helpdesk:AbC123' -Provider AzureOpenAI).Provider | Should -Be 'AzureOpenAI'
    }

    It 'writes a non-terminating error for an unknown name' {
        Get-FineTuneBaseModel 'no-such-model' -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Catalog.ModelNotFound*'
    }

    It 'merges a catalog file given with -CatalogPath' {
        $catalog = Join-Path $script:work 'catalog.json'
        Set-Content -LiteralPath $catalog -Value '{"models":[{"provider":"OpenAI","snapshot":"gpt-4o-mini-2024-07-18","trainingPricePerMillionTokens":1.25}]}'
        (Get-FineTuneBaseModel gpt-4o-mini -Provider OpenAI -CatalogPath $catalog).TrainingPricePerMillionTokens | Should -Be 1.25
    }

    It 'completes -Model from the catalog' {
        $typed = 'Measure-FineTuneCost -Model gpt-4o-m'
        $completions = TabExpansion2 -inputScript $typed -cursorColumn $typed.Length
        $completions.CompletionMatches.CompletionText | Should -Contain 'gpt-4o-mini-2024-07-18'
    }
}

Describe 'Measure-FineTuneDataset' {
    It 'reproduces the cookbook notebook figures for its toy dataset' {
        $m = Measure-FineTuneDataset -LiteralPath $script:toy -Encoding cl100k_base -TokenLimit 4096
        $m.ExampleCount | Should -Be 5
        $m.MissingSystemCount | Should -Be 1
        $m.MissingUserCount | Should -Be 1
        $m.OverLimitCount | Should -Be 1
        $m.BillableTokens | Should -Be 4306
        $m.TokensPerExample.Min | Should -Be 26
        $m.TokensPerExample.Max | Should -Be 8032
        $m.TokensPerExample.Median | Should -Be 45
        [math]::Round($m.TokensPerExample.P90, 1) | Should -Be 4863.6
        [math]::Round($m.AssistantTokensPerExample.Mean, 1) | Should -Be 1610.2
        [math]::Round($m.MessagesPerExample.P90, 1) | Should -Be 6.6
    }

    It 'emits one object per example with -PerExample' {
        $examples = Measure-FineTuneDataset -LiteralPath $script:toy -Encoding cl100k_base -TokenLimit 4096 -PerExample
        $examples.Count | Should -Be 5
        ($examples | Where-Object Tokens -gt 4096).Line | Should -Be 5
        ($examples | Where-Object OverLimit).Count | Should -Be 1
    }

    It 'counts no further ahead of a stalled consumer than a bounded queue (-PerExample into a slow pipeline)' {
        $many = Join-Path $script:work 'many.jsonl'
        $writer = [System.IO.StreamWriter]::new($many)
        try {
            for ($i = 1; $i -le 600000; $i++) { $writer.WriteLine('{"messages":[{"role":"user","content":"q' + $i + '"},{"role":"assistant","content":"a"}]}') }
        }
        finally { $writer.Dispose() }
        $before = [GC]::GetTotalMemory($true)
        $grown = $null
        $count = 0
        Measure-FineTuneDataset -LiteralPath $many -Encoding o200k_base -PerExample -ProgressAction SilentlyContinue | ForEach-Object {
            if ($count++ -eq 0) {
                # Stall until the memory stops growing: at once when the counting waits for this
                # consumer, only after the whole file when it does not (up to 20 s).
                $deadline = [datetime]::UtcNow.AddSeconds(20)
                $last = -1
                do {
                    Start-Sleep -Milliseconds 500
                    $previous = $last
                    $last = ([GC]::GetTotalMemory($true) - $before) / 1MB
                } while ([math]::Abs($last - $previous) -gt 1 -and [datetime]::UtcNow -lt $deadline)
                $grown = $last
            }
        }
        $count | Should -Be 600000
        # About 20 MB: the lines in flight and 1,024 queued results. Unbounded, the queue held ~140 MB.
        $grown | Should -BeLessThan 60
    }

    It 'takes files from Get-ChildItem by their literal path' {
        $m = Get-ChildItem -LiteralPath $script:small | Measure-FineTuneDataset -Model gpt-4o-mini
        $m.ExampleCount | Should -Be 12
        $m.Model | Should -Be 'gpt-4o-mini-2024-07-18'
        $m.Encoding | Should -Be 'o200k_base'
    }

    It 'reports a line that is not an example and counts the rest' {
        $bad = Join-Path $script:work 'bad.jsonl'
        Set-Content -LiteralPath $bad -Value @('{"messages":[{"role":"user","content":"x"}]}', '{not json')
        $m = Measure-FineTuneDataset -LiteralPath $bad -ErrorVariable err -ErrorAction SilentlyContinue
        $m.ExampleCount | Should -Be 1
        $m.SkippedLineCount | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Measure.UnreadableLine*'
    }

    It 'stops with a clear error for an unknown model' {
        { Measure-FineTuneDataset -LiteralPath $script:small -Model no-such-model -ErrorAction Stop } | Should -Throw -ErrorId 'FineTune.Catalog.ModelNotFound*'
    }
}

Describe 'Measure-FineTuneCost' {
    It 'uses the default epoch heuristic on the toy dataset' {
        $cost = Measure-FineTuneCost -LiteralPath $script:toy -Encoding cl100k_base -TokenLimit 4096 -WarningAction SilentlyContinue
        $cost.Epochs | Should -Be 20
        $cost.BillableTokens | Should -Be 4306
        $cost.TrainedTokens | Should -Be 86120
    }

    It 'prices a measurement from the pipeline' {
        $cost = Measure-FineTuneDataset -LiteralPath $script:toy -Encoding cl100k_base -TokenLimit 4096 |
            Measure-FineTuneCost -PricePerMillionTokens 8 -WarningAction SilentlyContinue
        $cost.EstimatedCost | Should -Be ([decimal]0.6890)
    }

    It 'reports validation tokens and uses the catalog price' {
        $cost = Measure-FineTuneCost -LiteralPath $script:small -ValidationPath $script:small -Model gpt-4o-mini -Provider OpenAI -Epochs 2
        $cost.Epochs | Should -Be 2
        $cost.PricePerMillionTokens | Should -Be 3
        $cost.ValidationTokens | Should -BeGreaterThan 0
        $cost.EstimatedCost | Should -Be ([decimal]::Round($cost.TrainedTokens * 3 / 1000000, 4))
    }

    It 'warns when the price is unknown' {
        $cost = Measure-FineTuneCost -LiteralPath $script:small -Model gpt-4o-mini -Provider AzureOpenAI -WarningVariable warnings -WarningAction SilentlyContinue
        $cost.EstimatedCost | Should -BeNullOrEmpty
        ($warnings -join "`n") | Should -Match 'PricePerMillionTokens'
    }
}
