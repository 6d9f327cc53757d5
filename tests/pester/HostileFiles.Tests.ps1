#Requires -Modules Pester
# Hostile files through the offline cmdlets, as a user meets them in pwsh: terminal escapes in
# the data, endless and sparse inputs and Ctrl+C, lines past the one line limit, a full disk,
# read-only targets. The corpus is made at test time; the big files are sparse (no disk used).
BeforeAll {
    $script:ModulePath = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../out/FineTune")
    Import-Module $script:ModulePath -Force -ErrorAction Stop
    . "$PSScriptRoot/LoopbackServer.ps1"
    $script:rendering = $PSStyle.OutputRendering
    $PSStyle.OutputRendering = 'PlainText' # so any ESC left in rendered output came from the data

    function Get-GoodLine([int] $Number) {
        '{"messages":[{"role":"system","content":"s"},{"role":"user","content":"u' + $Number + '"},{"role":"assistant","content":"a"}]}'
    }

    # A file: $Before, then $Length bytes of zeros (a sparse hole: one line with no newline), then $After.
    function New-SparseFile([string] $Path, [long] $Length, [string] $Before = '', [string] $After = '') {
        $file = [System.IO.File]::Open($Path, 'CreateNew')
        try {
            $head = [System.Text.Encoding]::UTF8.GetBytes($Before)
            $file.Write($head, 0, $head.Length)
            $file.SetLength($head.Length + $Length)
            $file.Seek(0, 'End') | Out-Null
            $tail = [System.Text.Encoding]::UTF8.GetBytes($After)
            $file.Write($tail, 0, $tail.Length)
        }
        finally { $file.Dispose() }
        $Path
    }

    # Runs $Command in a fresh runspace, waits (on an event, not a timer) until it has written to
    # $Stream, then stops it as Ctrl+C does and measures how long stopping took.
    function Invoke-AndStop([string] $Command, [string] $Stream = 'Progress') {
        $shell = [powershell]::Create()
        [void]$shell.AddScript("Import-Module '$script:ModulePath'; $Command")
        $id = 'hostile-' + [guid]::NewGuid().ToString('N')
        $null = Register-ObjectEvent -InputObject $shell.Streams.$Stream -EventName DataAdded -SourceIdentifier $id
        try {
            $handle = $shell.BeginInvoke()
            $started = Wait-Event -SourceIdentifier $id -Timeout 120
            $running = -not $handle.IsCompleted
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $watch.Stop()
            [pscustomobject]@{
                Started     = $null -ne $started
                Running     = $running
                StopSeconds = $watch.Elapsed.TotalSeconds
                State       = $shell.InvocationStateInfo.State
                Errors      = @($shell.Streams.Error)
            }
        }
        finally {
            Unregister-Event -SourceIdentifier $id
            Remove-Event -SourceIdentifier $id -ErrorAction SilentlyContinue
            $shell.Dispose()
        }
    }
}

AfterAll {
    $PSStyle.OutputRendering = $script:rendering
}

Describe 'Control characters from the data' {
    BeforeAll {
        $script:escapes = Join-Path $TestDrive 'escapes.jsonl'
        $lines = @(
            (Get-GoodLine 1).Replace('"content":"a"}', '"content":"a","\u001b]0;owned\u0007":1}')
            (Get-GoodLine 2).Replace('"role":"assistant"', '"role":"\u001b]0;owned\u0007\u009b31m\r\n"')
            (Get-GoodLine 3).Replace('"content":"a"}', '"content":"a","name":"\u001b[2J"}')
        )
        [System.IO.File]::WriteAllText($script:escapes, ($lines -join "`n") + "`n")
    }

    It 'Test-FineTuneDataset shows them escaped, in the objects and on the console' {
        $issues = Test-FineTuneDataset -LiteralPath $script:escapes
        ($issues | Where-Object Line -ne $null).Code | Should -Be @('UnknownKey', 'InvalidRole', 'MissingAssistant', 'InvalidName')
        $shown = ($issues | Format-List * | Out-String) + ($issues | Out-String)
        $shown | Should -Not -Match '[\x00-\x09\x0B-\x1F\x7F-\x9F]'
        ($issues.Message -join ' ') | Should -Match ([regex]::Escape('\u001B]0;owned\u0007'))
        $issues[1].Message | Should -Match ([regex]::Escape('\u001B]0;owned\u0007\u009B31m\u000D\u000A'))
    }

    It 'Import-Jsonl escapes them in its error records, Get-Error and a transcript' {
        $path = Join-Path $TestDrive 'dupkey.jsonl'
        [System.IO.File]::WriteAllText($path, "{`"\u001b]0;x\u0007`":1,`"\u001B]0;X\u0007`":2}`n$(Get-GoodLine 1)`n")
        $transcript = Join-Path $TestDrive 'transcript.txt'
        Start-Transcript -LiteralPath $transcript | Out-Null
        try {
            $rows = Import-Jsonl -LiteralPath $path -ErrorVariable failure -ErrorAction SilentlyContinue
            $failure[0] | Out-Host # what the console, and so the transcript, shows
        }
        finally { Stop-Transcript | Out-Null }
        $rows | Should -HaveCount 1
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Jsonl.DuplicateKey*'
        $failure[0].Exception.Message | Should -Match ([regex]::Escape('\u001B]0;X\u0007'))
        $text = ($failure[0] | Out-String) + ($failure[0] | Get-Error | Out-String) + $failure[0].ErrorDetails.Message
        $text | Should -Not -Match '[\x00-\x09\x0B-\x1F\x7F-\x9F]'
        [System.IO.File]::ReadAllText($transcript) | Should -Not -Match '\x1B\]0;'
    }

    It 'ConvertTo-FineTuneExample escapes them in its errors and its verbose record' {
        $row = [pscustomobject]@{ "q`e]0;owned`a" = 'question'; Answer = '' }
        $out = $row | ConvertTo-FineTuneExample -AssistantProperty Answer -Verbose -ErrorVariable failure -ErrorAction SilentlyContinue 4>&1
        $failure | Should -HaveCount 1
        $failure[0].Exception.Message | Should -Not -Match '[\x00-\x1F]'
        ($failure[0] | Out-String) | Should -Not -Match '\x1B'
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String) | Should -Not -Match '\x1B'
    }
}

Describe 'Ctrl+C and inputs without end' {
    BeforeAll {
        # 64 GB of zero bytes: one line far past the limit, whose rest the readers skip.
        $script:huge = New-SparseFile (Join-Path $TestDrive 'huge.jsonl') (64GB)
    }

    # The bound is wider than the one second promised so that a machine shared by many jobs cannot
    # fail it, and still far below the time the rest of the 64 GB line would take to skip.
    It '<Command> stops within 3 s of Ctrl+C inside a 64 GB line' -ForEach @(
        @{ Command = 'Test-FineTuneDataset'; Stream = 'Progress' }
        @{ Command = 'Measure-FineTuneDataset'; Stream = 'Progress' }
        @{ Command = 'Import-Jsonl'; Stream = 'Error' }
    ) {
        $run = Invoke-AndStop "$Command -LiteralPath '$script:huge'" $Stream
        $run.Started | Should -BeTrue
        $run.Running | Should -BeTrue -Because 'it was skipping the rest of the line when stopped'
        $run.StopSeconds | Should -BeLessThan 3
        $run.State | Should -Be 'Stopped'
    }

    It 'Test-FineTuneDataset on /dev/zero ends with LineTooLong' -Skip:(-not (Test-Path /dev/zero)) {
        $issues = Test-FineTuneDataset -LiteralPath /dev/zero
        $tooLong = $issues | Where-Object Code -eq LineTooLong
        $tooLong | Should -HaveCount 1
        $tooLong.Message | Should -Match 'no end that can be found'
    }

    It 'Split-FineTuneDataset on /dev/zero and on a 64 GB line ends with LineTooLong and writes nothing' {
        $folder = Join-Path $TestDrive 'split'
        $inputs = @($script:huge) + @(if (Test-Path /dev/zero) { '/dev/zero' })
        foreach ($path in $inputs) {
            Split-FineTuneDataset -LiteralPath $path -OutputDirectory $folder -ErrorVariable failure -ErrorAction SilentlyContinue
            $failure[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Dataset.LineTooLong*'
        }
        @(Get-ChildItem -LiteralPath $folder -Force) | Should -HaveCount 0
    }
}

Describe 'One line limit, a per-line error everywhere after it' {
    It 'a 314 MB line is LineTooLong for Import-Jsonl and Test-FineTuneDataset, and the 12 lines after it are read' {
        $after = -join (1..12 | ForEach-Object { "`n" + (Get-GoodLine $_) }) + "`n"
        $path = New-SparseFile (Join-Path $TestDrive 'long314.jsonl') (314MB) "$(Get-GoodLine 0)`n" $after
        $rows = Import-Jsonl -LiteralPath $path -ErrorVariable failure -ErrorAction SilentlyContinue
        $rows | Should -HaveCount 13
        $failure | Should -HaveCount 1
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Jsonl.LineTooLong*'
        $failure[0].Exception.Message | Should -Match ':2: the line is longer than the 268,435,456-byte line limit; it was skipped'
        $issues = Test-FineTuneDataset -LiteralPath $path
        ($issues | Where-Object Code -eq LineTooLong).Line | Should -Be 2
    }

    It 'Import-Jsonl | ConvertTo-FineTuneExample | Export-Jsonl carries a 200 MB line and the 12 lines after it' {
        $source = Join-Path $TestDrive 'long200.jsonl'
        $file = [System.IO.File]::Open($source, 'CreateNew')
        try {
            $head = [System.Text.Encoding]::UTF8.GetBytes('{"messages":[{"role":"user","content":"u"},{"role":"assistant","content":"')
            $file.Write($head, 0, $head.Length)
            $chunk = [byte[]]::new(1MB)
            [System.Array]::Fill($chunk, [byte][char]'x')
            for ($i = 0; $i -lt 200; $i++) { $file.Write($chunk, 0, $chunk.Length) }
            $tail = [System.Text.Encoding]::UTF8.GetBytes('"}]}' + (-join (1..12 | ForEach-Object { "`n" + (Get-GoodLine $_) })) + "`n")
            $file.Write($tail, 0, $tail.Length)
        }
        finally { $file.Dispose() }
        $target = Join-Path $TestDrive 'converted.jsonl'
        Import-Jsonl -LiteralPath $source | ConvertTo-FineTuneExample | Export-Jsonl -LiteralPath $target -ErrorVariable failure
        $failure | Should -HaveCount 0
        (Get-Item $target).Length | Should -Be (Get-Item $source).Length
        (Get-FileHash $target).Hash | Should -Be (Get-FileHash $source).Hash
    }
}

Describe 'Numbers no .NET type holds' {
    It 'Import-Jsonl | Export-Jsonl keeps every number as written, and they still compute' {
        $source = Join-Path $TestDrive 'numbers.jsonl'
        $target = Join-Path $TestDrive 'numbers.out.jsonl'
        $text = '{"big":1e999,"digits":12345678901234567890.12345678901234567890,"tiny":1e-999,"lr":1e-5,"n":[1.10,-0,1E5]}'
        [System.IO.File]::WriteAllText($source, "$text`n")
        $row = Import-Jsonl -LiteralPath $source
        "$($row.big)" | Should -Be '1e999'
        $row.lr * 2 | Should -Be 2e-5
        $row.tiny -lt 1 | Should -BeTrue
        $row | Export-Jsonl -LiteralPath $target
        [System.IO.File]::ReadAllText($target) | Should -Be "$text`n"
    }
}

Describe 'A full disk' {
    BeforeAll {
        # A real full file system: a 1 MiB tmpfs, when this session may mount one (root on Linux).
        $script:full = Join-Path $TestDrive 'full'
        New-Item -ItemType Directory -Path $script:full | Out-Null
        $script:mounted = $false
        if ($IsLinux -and (Get-Command mount -ErrorAction SilentlyContinue)) {
            & mount -t tmpfs -o size=1m tmpfs $script:full 2>$null
            $script:mounted = $LASTEXITCODE -eq 0
        }
        $script:rows = 1..20000 | ForEach-Object { [pscustomobject]@{ n = $_; text = 'x' * 100 } }
    }

    AfterAll {
        if ($script:mounted) { & umount $script:full }
    }

    It 'Export-Jsonl fails with FineTune.Path.WriteFailed, leaves the old file and no temporary file' {
        if (-not $script:mounted) { Set-ItResult -Skipped -Because 'this session cannot mount a tmpfs (the engine tests simulate the full disk instead)'; return }
        $target = Join-Path $script:full 'out.jsonl'
        [System.IO.File]::WriteAllText($target, "old`n")
        { $script:rows | Export-Jsonl -LiteralPath $target -ErrorAction Stop } | Should -Throw -ErrorId 'FineTune.Path.WriteFailed,FineTune.PowerShell.Commands.ExportJsonlCommand'
        [System.IO.File]::ReadAllText($target) | Should -Be "old`n"
        @(Get-ChildItem -LiteralPath $script:full -Force).Name | Should -Be @('out.jsonl')
    }

    It 'Export-Jsonl -Append writes whole lines only and says the file was cut back' {
        if (-not $script:mounted) { Set-ItResult -Skipped -Because 'this session cannot mount a tmpfs (the engine tests simulate the full disk instead)'; return }
        $target = Join-Path $script:full 'log.jsonl'
        [System.IO.File]::WriteAllText($target, "{`"first`":1}`n")
        $caught = $null
        try { $script:rows | Export-Jsonl -LiteralPath $target -Append -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'FineTune.Path.WriteFailed,FineTune.PowerShell.Commands.ExportJsonlCommand'
        $caught.Exception.Message | Should -Match 'cut back to the end of its last whole line'
        $text = [System.IO.File]::ReadAllText($target)
        $text | Should -Match '^\{"first":1\}\n'
        $text[-1] | Should -Be "`n"
        Get-Content -LiteralPath $target | Select-Object -Skip 1 | ForEach-Object { $_ | ConvertFrom-Json } | Should -Not -BeNullOrEmpty
        Remove-Item -LiteralPath $target
    }
}

Describe 'A read-only target' {
    BeforeAll {
        $script:state = [hashtable]::Synchronized(@{ Requests = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new()) })
        $script:server = Start-LoopbackServer -State $script:state -Respond {
            switch -Regex ("$($request.HttpMethod) $path") {
                '^GET /v1/files/file-9/content$' { $contentType = 'text/csv'; "step,train_loss`n1,0.25`n" }
                default { $status = 404; '{"error":{"message":"not found","type":"invalid_request_error"}}' }
            }
        }
        Connect-FineTuneService -Provider Compatible -BaseUri "$($script:server.Prefix)v1" -ApiKey (ConvertTo-SecureString 'fake-hostile-key-7Hq2' -AsPlainText -Force)
    }

    AfterAll {
        Disconnect-FineTuneService
        Stop-LoopbackServer $script:server
    }

    It 'Save-FineTuneFile -Force replaces a read-only file, and refuses without -Force' {
        $target = Join-Path $TestDrive 'results.csv'
        [System.IO.File]::WriteAllText($target, 'old')
        (Get-Item $target).IsReadOnly = $true
        Save-FineTuneFile -Id file-9 -LiteralPath $target -Confirm:$false -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Path.Exists*'
        Save-FineTuneFile -Id file-9 -LiteralPath $target -Force -Confirm:$false -ErrorAction Stop
        [System.IO.File]::ReadAllText($target) | Should -Be "step,train_loss`n1,0.25`n"
        @(Get-ChildItem -LiteralPath $TestDrive -Filter '.results.csv.*' -Force) | Should -HaveCount 0
    }

    It 'Export-Jsonl -Force replaces a read-only file' {
        $target = Join-Path $TestDrive 'ro.jsonl'
        [System.IO.File]::WriteAllText($target, "old`n")
        (Get-Item $target).IsReadOnly = $true
        { [pscustomobject]@{ a = 1 } | Export-Jsonl -LiteralPath $target -ErrorAction Stop } | Should -Throw -ErrorId 'FineTune.File.FileReadOnly*'
        [pscustomobject]@{ a = 1 } | Export-Jsonl -LiteralPath $target -Force
        [System.IO.File]::ReadAllText($target) | Should -Be "{`"a`":1}`n"
    }
}
