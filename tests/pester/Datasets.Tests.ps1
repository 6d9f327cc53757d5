#Requires -Modules Pester
# The offline dataset cmdlets, against the built module folder.
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/FineTune" -Force -ErrorAction Stop
    $script:Cookbook = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../../shared/data/cookbook/toy_chat_fine_tuning.jsonl")

    function New-QaRows([int] $Count) {
        1..$Count | ForEach-Object { [pscustomobject]@{ Question = "Question $_ é"; Answer = "Answer $_ 😀" } }
    }
}

Describe 'ConvertTo-FineTuneExample' {
    It 'lists each message as role: text in Format-List' {
        $text = [pscustomobject]@{ Question = 'q?'; Answer = 'a.' } | ConvertTo-FineTuneExample -SystemMessage 's.' | Format-List | Out-String
        $text | Should -Match 'system: s\.'
        $text | Should -Match 'user: q\?'
        $text | Should -Match 'assistant: a\.'
    }

    It 'converts CSV rows with named columns and a system message' {
        $csv = Join-Path $TestDrive 'qa.csv'
        New-QaRows 3 | Export-Csv $csv -NoTypeInformation -Encoding utf8
        $examples = Import-Csv $csv | ConvertTo-FineTuneExample -SystemMessage 'Be kind.' -UserProperty Question -AssistantProperty Answer
        $examples | Should -HaveCount 3
        $examples[0] | Should -BeOfType ([FineTune.ChatExample])
        $examples[0].Messages.Role | Should -Be @('system', 'user', 'assistant')
        $examples[2].Messages[1].Content | Should -Be 'Question 3 é'
    }

    It 'recognizes usual column names and says which in -Verbose' {
        $verbose = [pscustomobject]@{ prompt = 'p'; completion = 'c' } | ConvertTo-FineTuneExample -Verbose 4>&1
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Match "'prompt'.*'completion'"
    }

    It 'accepts hashtables and passes objects with messages through' {
        @{ question = 'q'; answer = 'a' } | ConvertTo-FineTuneExample | Should -BeOfType ([FineTune.ChatExample])
        $line = [pscustomobject]@{ messages = @([pscustomobject]@{ role = 'user'; content = 'hi' }, [pscustomobject]@{ role = 'assistant'; content = 'yo'; weight = 1 }) }
        $example = $line | ConvertTo-FineTuneExample
        $example.Messages[1].Weight | Should -Be 1
    }

    It 'reports a bad row with its number and column and goes on' {
        $rows = @([pscustomobject]@{ Q = 'a'; A = 'b' }, [pscustomobject]@{ Q = 'c'; A = '' }, [pscustomobject]@{ Q = 'e'; A = 'f' })
        $out = $rows | ConvertTo-FineTuneExample -UserProperty Q -AssistantProperty A -ErrorVariable problems -ErrorAction SilentlyContinue
        $out | Should -HaveCount 2
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Dataset.RowNotConvertible*'
        $problems[0].Exception.Message | Should -Match "Row 2: the column 'A' is empty"
    }

    It 'stops at the first row of a CSV read with the wrong delimiter and says which to use' {
        $csv = Join-Path $TestDrive 'semicolons.csv'
        Set-Content $csv -Value 'Question;Answer', 'How do I reset my password?;Use the portal.', 'VPN drops?;Reinstall the profile.'
        $failure = { Import-Csv $csv | ConvertTo-FineTuneExample } | Should -Throw -ErrorId 'FineTune.Dataset.WrongDelimiter*' -PassThru
        $failure.Exception.Message | Should -Match "^Row 1 .*'Question;Answer'"
        $failure.ErrorDetails.RecommendedAction | Should -Match "Import-Csv -Delimiter ';'"
    }

    It 'builds prompt-completion and preference examples' {
        ([pscustomobject]@{ prompt = 'p'; completion = 'c' } | ConvertTo-FineTuneExample -Format PromptCompletion).ToJson() | Should -Be '{"prompt":"p","completion":"c"}'
        $dpo = [pscustomobject]@{ prompt = 'p'; chosen = 'good'; rejected = 'bad' } | ConvertTo-FineTuneExample -Format Preference
        $dpo.ToJson() | Should -Be '{"input":{"messages":[{"role":"user","content":"p"}]},"preferred_output":[{"role":"assistant","content":"good"}],"non_preferred_output":[{"role":"assistant","content":"bad"}]}'
    }
}

Describe 'Export-Jsonl' {
    It 'writes compact UTF-8 lines without BOM and with LF, in wire shape' {
        $path = Join-Path $TestDrive 'out.jsonl'
        New-QaRows 2 | ConvertTo-FineTuneExample | Export-Jsonl $path
        $bytes = [System.IO.File]::ReadAllBytes($path)
        $bytes[0] | Should -Not -Be 0xEF
        $bytes | Where-Object { $_ -eq 13 } | Should -BeNullOrEmpty
        $lines = [System.IO.File]::ReadAllLines($path)
        $lines[0] | Should -Be '{"messages":[{"role":"user","content":"Question 1 é"},{"role":"assistant","content":"Answer 1 😀"}]}'
    }

    It 'never truncates depth, unlike ConvertTo-Json' {
        $deep = 'leaf'
        1..50 | ForEach-Object { $deep = @{ inner = $deep } }
        $path = Join-Path $TestDrive 'deep.jsonl'
        $deep | Export-Jsonl $path
        (Get-Content $path -Raw) | Should -Match 'leaf'
    }

    It 'reports a cycle as an error instead of hanging' {
        $a = @{ name = 'a' }
        $a.self = $a
        $path = Join-Path $TestDrive 'cycle.jsonl'
        $a | Export-Jsonl $path -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Dataset.Cycle*'
    }

    It 'leaves the existing file untouched when the pipeline fails' {
        $path = Join-Path $TestDrive 'keep.jsonl'
        Set-Content $path 'old' -NoNewline
        { 1..3 | ForEach-Object { if ($_ -eq 3) { throw 'boom' }; @{ i = $_ } } | Export-Jsonl $path } | Should -Throw
        Get-Content $path -Raw | Should -Be 'old'
        Get-ChildItem $TestDrive -Force -Filter '.keep.jsonl.*' | Should -BeNullOrEmpty
    }

    It 'honours -NoClobber, -Append and -PassThru' {
        $path = Join-Path $TestDrive 'modes.jsonl'
        $file = @{ a = 1 } | Export-Jsonl $path -PassThru
        $file | Should -BeOfType ([System.IO.FileInfo])
        { @{ a = 2 } | Export-Jsonl $path -NoClobber -ErrorAction Stop } | Should -Throw -ErrorId 'FineTune.File.FileExists*'
        @{ b = 2 } | Export-Jsonl $path -Append
        [System.IO.File]::ReadAllLines($path) | Should -Be @('{"a":1}', '{"b":2}')
    }

    It 'returns with -PassThru the file as Get-Item shows it' {
        $path = Join-Path $TestDrive 'shown.jsonl'
        $file = @{ a = 1 } | Export-Jsonl $path -PassThru
        ($file | Format-Table | Out-String) | Should -Be (Get-Item $path | Format-Table | Out-String)
        $file.PSPath | Should -Be (Get-Item $path).PSPath
    }

    It 'supports -WhatIf' {
        $path = Join-Path $TestDrive 'whatif.jsonl'
        @{ a = 1 } | Export-Jsonl $path -WhatIf
        Test-Path $path | Should -BeFalse
    }
}

Describe 'Import-Jsonl' {
    It 'round-trips losslessly, keeping numbers exact and nesting deep' {
        $source = Join-Path $TestDrive 'a.jsonl'
        $target = Join-Path $TestDrive 'b.jsonl'
        $text = '{"n":12345678901234,"f":0.1,"d":1.10,"big":123456789012345678901234567890,"x":[null,true,{"y":[[[[[[[[[[1]]]]]]]]]]}],"s":"é\n"}'
        [System.IO.File]::WriteAllText($source, "$text`n", [System.Text.UTF8Encoding]::new($false))
        $row = Import-Jsonl $source
        $row.n | Should -BeOfType ([long])
        $row.n | Should -Be 12345678901234
        @($row.PSObject.Properties.Name) | Should -Be @('n', 'f', 'd', 'big', 'x', 's')
        $row | Export-Jsonl $target
        [System.IO.File]::ReadAllText($target) | Should -Be "$text`n"
    }

    It 'says a folder is a folder instead of failing to read it' {
        Import-Jsonl -LiteralPath $TestDrive -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -Match '^FineTune.Path.IsFolder'
        $failure[0].ErrorDetails.RecommendedAction | Should -Match 'Get-ChildItem <folder> -Filter \*.jsonl \| Import-Jsonl'
    }

    It 'reports bad lines with path:line:column and reads the rest' {
        $path = Join-Path $TestDrive 'bad.jsonl'
        [System.IO.File]::WriteAllText($path, "`u{FEFF}{`"a`":1}`r`n`r`n{`"a`":`n[1]`n{`"b`":2}")
        $rows = Import-Jsonl $path -ErrorVariable problems -ErrorAction SilentlyContinue
        $rows | Should -HaveCount 2
        $problems | Should -HaveCount 2
        $problems[0].Exception.Message | Should -BeLike "*bad.jsonl:3:*"
        $problems[1].FullyQualifiedErrorId | Should -BeLike 'FineTune.Jsonl.NotAnObject*'
    }

    It 'takes files from Get-ChildItem' {
        Get-ChildItem $script:Cookbook | Import-Jsonl | Should -HaveCount 5
    }

    It 'writes the byte order mark Azure asks for with -Encoding utf8BOM, none by default, and reads both back' {
        $withMark = Join-Path $TestDrive 'azure.jsonl'
        $without = Join-Path $TestDrive 'openai.jsonl'
        $examples = New-QaRows 10 | ConvertTo-FineTuneExample
        $examples | Export-Jsonl $withMark -Encoding utf8BOM
        $examples | Export-Jsonl $without
        [System.IO.File]::ReadAllBytes($withMark)[0..2] | Should -Be @(0xEF, 0xBB, 0xBF)
        [System.IO.File]::ReadAllBytes($without)[0] | Should -Be ([byte][char]'{')
        (Import-Jsonl $withMark)[0].messages[0].content | Should -Be 'Question 1 é'
        Test-FineTuneDataset $withMark | Where-Object Severity -eq 'Error' | Should -BeNullOrEmpty
        (Measure-FineTuneDataset $withMark -Model gpt-4o-mini-2024-07-18).TotalTokens | Should -Be (Measure-FineTuneDataset $without -Model gpt-4o-mini-2024-07-18).TotalTokens
        $examples[0] | Export-Jsonl $withMark -Append -Encoding utf8BOM
        $bytes = [System.IO.File]::ReadAllBytes($withMark)
        ([System.Text.Encoding]::UTF8.GetString($bytes) -split [char]0xFEFF).Count | Should -Be 2
    }

    It 'refuses an encoding it does not write' {
        { 1 | Export-Jsonl (Join-Path $TestDrive 'x.jsonl') -Encoding utf16 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,FineTune.PowerShell.Commands.ExportJsonlCommand'
    }
}

Describe 'Test-FineTuneDataset' {
    It 'finds only the notebook findings in the cookbook toy file' {
        $issues = Test-FineTuneDataset -LiteralPath $script:Cookbook
        $issues | ForEach-Object { "$($_.Line)|$($_.Severity)|$($_.Code)" } | Should -Be @(
            '3|Warning|MissingSystemMessage', '4|Warning|MissingUserMessage', '|Error|TooFewExamples')
        $issues[0] | Should -BeOfType ([FineTune.DatasetIssue])
    }

    It 'returns one Boolean per file with -Quiet' {
        $good = Join-Path $TestDrive 'good.jsonl'
        New-QaRows 60 | ConvertTo-FineTuneExample -SystemMessage 's' | Export-Jsonl $good
        Test-FineTuneDataset $good, $script:Cookbook -Quiet | Should -Be @($true, $false)
    }

    It 'says in its help how to get a result per file with -Quiet' {
        (Get-Help Test-FineTuneDataset -Parameter Quiet).description.Text -join ' ' | Should -Match 'per file'
        $example = (Get-Help Test-FineTuneDataset -Examples).examples.example | Where-Object { $_.code -match '-Quiet' -and $_.code -match 'Select-Object' }
        $example | Should -Not -BeNullOrEmpty
    }

    It 'checks pipeline examples' {
        $issues = New-QaRows 2 | ConvertTo-FineTuneExample | Test-FineTuneDataset
        $issues.Code | Should -Contain 'MissingSystemMessage'
        $issues.Code | Should -Contain 'TooFewExamples'
    }

    It 'checks typed lines read by Import-Jsonl' {
        $issues = Import-Jsonl $script:Cookbook | ConvertTo-FineTuneExample | Test-FineTuneDataset
        $issues | ForEach-Object { "$($_.Line)|$($_.Code)" } | Should -Be @('3|MissingSystemMessage', '4|MissingUserMessage', '|TooFewExamples')
        $issues[0].Path | Should -BeNullOrEmpty
    }

    It 'binds files from Get-ChildItem by PSPath, not as examples' {
        (Get-ChildItem $script:Cookbook | Test-FineTuneDataset -Quiet) | Should -BeExactly $false
    }

    It 'names line and JSON path' {
        $path = Join-Path $TestDrive 'weight.jsonl'
        Set-Content $path '{"messages":[{"role":"user","content":"u"},{"role":"assistant","content":"a","weight":2}]}'
        $issue = Test-FineTuneDataset $path | Where-Object Code -eq 'InvalidWeight'
        $issue.Line | Should -Be 1
        $issue.JsonPath | Should -Be '$.messages[1].weight'
    }

    It 'documents every code in its help' {
        $help = Get-Help Test-FineTuneDataset -Full | Out-String
        foreach ($code in [FineTune.Datasets.DatasetIssueCodes]::All.Item1) { $help | Should -Match $code }
    }
}

Describe 'Split-FineTuneDataset' {
    BeforeAll {
        $script:Data = Join-Path $TestDrive 'qa.jsonl'
        New-QaRows 100 | ConvertTo-FineTuneExample | Export-Jsonl $script:Data
    }

    It 'splits by ratio beside the input and loses nothing' {
        $split = Split-FineTuneDataset $script:Data -ValidationRatio 0.2 -Seed 7
        $split | Should -BeOfType ([FineTune.DatasetSplit])
        $split.TrainingCount | Should -Be 80
        $split.ValidationCount | Should -Be 20
        $split.TrainingPath | Should -Be (Join-Path $TestDrive 'qa.train.jsonl')
        $all = @(Get-Content $split.TrainingPath) + @(Get-Content $split.ValidationPath) | Sort-Object
        $all | Should -Be (Get-Content $script:Data | Sort-Object)
    }

    It 'is deterministic for a seed' {
        $dir1 = Join-Path $TestDrive 's1'; $dir2 = Join-Path $TestDrive 's2'
        $a = Split-FineTuneDataset $script:Data -ValidationCount 10 -Seed 3 -OutputDirectory $dir1
        $b = Split-FineTuneDataset $script:Data -ValidationCount 10 -Seed 3 -OutputDirectory $dir2
        Get-Content $a.ValidationPath | Should -Be (Get-Content $b.ValidationPath)
    }

    It 'supports -WhatIf' {
        $dir = Join-Path $TestDrive 'none'
        Split-FineTuneDataset $script:Data -OutputDirectory $dir -WhatIf
        Test-Path (Join-Path $dir 'qa.train.jsonl') | Should -BeFalse
    }

    It 'warns when a part has fewer examples than the service accepts, and says how to fix it' {
        $sixty = Join-Path $TestDrive 'sixty.jsonl'
        New-QaRows 60 | ConvertTo-FineTuneExample -SystemMessage 's' | Export-Jsonl $sixty
        $split = Split-FineTuneDataset $sixty -ValidationRatio 0.1 -Seed 7 -OutputDirectory (Join-Path $TestDrive 'small') -WarningVariable warned -WarningAction SilentlyContinue
        $split.ValidationCount | Should -Be 6
        $warned | Should -HaveCount 1
        "$warned" | Should -Match 'validation'
        "$warned" | Should -Match '\b6\b'
        "$warned" | Should -Match '\b10\b'
        "$warned" | Should -Match '-ValidationCount 10|-ValidationRatio'
        Split-FineTuneDataset $sixty -ValidationRatio 0.2 -Seed 7 -OutputDirectory (Join-Path $TestDrive 'fine') -WarningVariable calm -WarningAction SilentlyContinue |
            Select-Object -ExpandProperty ValidationCount | Should -Be 12
        $calm | Should -BeNullOrEmpty
    }

    It 'documents the minimum number of examples, and for which files the service states it' {
        $help = Get-Help Split-FineTuneDataset -Full | Out-String
        $help | Should -Match '10 examples'
        $help | Should -Match 'validation file'
    }

    It 'refuses -ValidationRatio with -ValidationCount' {
        { Split-FineTuneDataset $script:Data -ValidationRatio 0.1 -ValidationCount 5 -ErrorAction Stop } | Should -Throw -ErrorId 'FineTune.Dataset.RatioAndCount*'
    }
}
