#Requires -Modules Pester
# The online cmdlets against a hostile server on 127.0.0.1 (HttpListener in its own runspace):
# one that echoes the key in every field of its errors, in x-request-id and in the reason phrase,
# between terminal escapes; one that names its files with escapes and paths; one whose paging
# never ends. Run from the repository root after `dotnet build -c Release`:
#   Invoke-Pester tests/pester/HostileService.Tests.ps1

BeforeDiscovery {
    # Every error path of every online cmdlet: each line is run against the hostile server.
    $script:errorPaths = @(
        @{ Name = 'Send-FineTuneFile'; Run = { Send-FineTuneFile -LiteralPath $script:good -Confirm:$false } }
        @{ Name = 'Send-FineTuneFile -Chunked'; Run = { Send-FineTuneFile -LiteralPath $script:good -Chunked -Confirm:$false } }
        @{ Name = 'Get-FineTuneFile'; Run = { Get-FineTuneFile } }
        @{ Name = 'Get-FineTuneFile -Id'; Run = { Get-FineTuneFile -Id file-1 } }
        @{ Name = 'Save-FineTuneFile into a folder'; Run = { Save-FineTuneFile -Id file-1 -Path $TestDrive -Confirm:$false } }
        @{ Name = 'Save-FineTuneFile to a file'; Run = { Save-FineTuneFile -Id file-1 -Path (Join-Path $TestDrive 'x.csv') -Confirm:$false } }
        @{ Name = 'Remove-FineTuneFile'; Run = { Remove-FineTuneFile -Id file-1 -Confirm:$false } }
        @{ Name = 'New-FineTuneJob'; Run = { New-FineTuneJob -Model gpt-4o-mini-2024-07-18 -TrainingFile file-train -Confirm:$false } }
        @{ Name = 'Get-FineTuneJob'; Run = { Get-FineTuneJob } }
        @{ Name = 'Get-FineTuneJob -Id'; Run = { Get-FineTuneJob -Id ftjob-1 } }
        @{ Name = 'Stop-FineTuneJob'; Run = { Stop-FineTuneJob -Id ftjob-1 -Confirm:$false } }
        @{ Name = 'Suspend-FineTuneJob'; Run = { Suspend-FineTuneJob -Id ftjob-1 -Confirm:$false } }
        @{ Name = 'Resume-FineTuneJob'; Run = { Resume-FineTuneJob -Id ftjob-1 -Confirm:$false } }
        @{ Name = 'Wait-FineTuneJob'; Run = { Wait-FineTuneJob -Id ftjob-1 } }
        @{ Name = 'Get-FineTuneEvent'; Run = { Get-FineTuneEvent -JobId ftjob-1 } }
        @{ Name = 'Get-FineTuneEvent -Follow'; Run = { Get-FineTuneEvent -JobId ftjob-1 -Follow } }
        @{ Name = 'Get-FineTuneCheckpoint'; Run = { Get-FineTuneCheckpoint -JobId ftjob-1 } }
        @{ Name = 'Get-FineTuneMetric'; Run = { Get-FineTuneMetric -JobId ftjob-1 } }
        @{ Name = 'Remove-FineTuneModel'; Run = { Remove-FineTuneModel -Model 'ft:gpt-4o-mini:org::abc' -Confirm:$false } }
        @{ Name = 'Invoke-FineTuneChat'; Run = { Invoke-FineTuneChat -Model 'ft:gpt-4o-mini:org::abc' -Message 'Hi' } }
        @{ Name = 'Compare-FineTuneModel'; Run = { Compare-FineTuneModel -Model gpt-4o-mini-2024-07-18, 'ft:gpt-4o-mini:org::abc' -LiteralPath $script:good } }
        @{ Name = 'Export-FineTuneArchive'; Run = { Export-FineTuneArchive -Path (Join-Path $TestDrive 'archive') -Confirm:$false } }
        @{ Name = 'Export-FineTuneReport'; Run = { Export-FineTuneReport -JobId ftjob-1 -Path (Join-Path $TestDrive 'report.html') -Confirm:$false } }
        # Resource Manager, with the key as the Entra ID token the hostile server echoes.
        @{ Name = 'Get-FineTuneDeployment'; Run = { Connect-HostileAzure; Get-FineTuneDeployment @script:account } }
        @{ Name = 'New-FineTuneDeployment'; Run = { Connect-HostileAzure; New-FineTuneDeployment -Name helpdesk -Model gpt-4.1-mini-2025-04-14.ft-1 -Sku GlobalStandard @script:account -Confirm:$false } }
        @{ Name = 'Remove-FineTuneDeployment'; Run = { Connect-HostileAzure; Remove-FineTuneDeployment -Name helpdesk @script:account -Confirm:$false } }
    )
}

Describe 'A hostile service' {
    BeforeAll {
        Import-Module "$PSScriptRoot/../../out/FineTune" -Force -ErrorAction Stop

        # '/', '+' and '=' make the URL-encoded form differ from the key itself.
        $script:key = 'fake-pester-key/Hx7+Qm2=Lw9Zr4'
        $script:encodedKey = [uri]::EscapeDataString($script:key)
        $script:state = [hashtable]::Synchronized(@{
                Requests   = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
                Key        = $script:key
                EncodedKey = $script:encodedKey
                Hostile    = $true
            })

        . "$PSScriptRoot/LoopbackServer.ps1"
        $script:server = Start-LoopbackServer -State $script:state -Respond {
            function FileJson($id, $name) {
                @{ id = $id; object = 'file'; bytes = 4; created_at = 1721764800; filename = $name; purpose = 'fine-tune-results'; status = 'processed' }
            }
            function JobJson($id) {
                @{ object = 'fine_tuning.job'; id = $id; model = 'gpt-4o-mini-2024-07-18'; status = 'running'; created_at = 1721764800; training_file = 'file-train' }
            }
            if ($state.Hostile) {
                $status = 400
                $reason = "Denied $($state.Key) $($state.EncodedKey)"
                $headers = @{ 'x-request-id' = "req_$($state.Key)" }
                $message = "$([char]27)]0;owned$([char]7)Key $($state.Key) ($($state.EncodedKey)) refused$([char]10)second line"
                @{ error = @{ message = $message; type = "type_$($state.Key)"; code = "code_$($state.EncodedKey)"; param = "param_$($state.Key)" } } | ConvertTo-Json
            }
            else {
                switch -Regex ("$($request.HttpMethod) $path") {
                    '^GET /v1/files/file-escapes$' { FileJson 'file-escapes' "evil$([char]27)]0;pwned$([char]7)$([char]10)report.csv" | ConvertTo-Json }
                    '^GET /v1/files/file-traversal$' { FileJson 'file-traversal' '../../outside.csv' | ConvertTo-Json }
                    '^GET /v1/files/file-device$' { FileJson 'file-device' 'CON' | ConvertTo-Json }
                    '^GET /v1/files/file-[a-z]+/content$' { $contentType = 'text/csv'; "a,b`n" }
                    '^GET /v1/fine_tuning/jobs$' {
                        # Whatever 'after' says: the same page, and always more to come.
                        @{ object = 'list'; has_more = $true; last_id = 'ftjob-1'; data = @((JobJson 'ftjob-1')) } | ConvertTo-Json -Depth 5
                    }
                    default { $status = 404; @{ error = @{ message = "No route for $path"; type = 'invalid_request_error' } } | ConvertTo-Json }
                }
            }
        }

        $script:savedEnvironment = @{}
        foreach ($name in 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT') {
            $script:savedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $null)
        }
        function Connect-Hostile {
            Connect-FineTuneService -Provider Compatible -BaseUri "$($script:server.Prefix)v1" -MaxRetries 0 `
                -ApiKey (ConvertTo-SecureString $script:key -AsPlainText -Force)
        }
        function Connect-HostileAzure {
            Connect-FineTuneService -Provider AzureOpenAI -Endpoint $script:server.Prefix -ResourceManagerUri $script:server.Prefix -MaxRetries 0 `
                -AccessToken (ConvertTo-SecureString $script:key -AsPlainText -Force)
        }
        $script:account = @{ SubscriptionId = 'sub-1'; ResourceGroupName = 'rg-1'; AccountName = 'acct-1' }
        Connect-Hostile

        $script:good = Join-Path $TestDrive 'train.jsonl'
        $lines = foreach ($i in 1..10) { "{`"messages`":[{`"role`":`"user`",`"content`":`"q $i`"},{`"role`":`"assistant`",`"content`":`"a $i`"}]}" }
        [System.IO.File]::WriteAllText($script:good, (($lines -join "`n") + "`n"))

        # Whatever shows the key, in any form, or a raw escape or bell character, fails.
        function Assert-Clean([string] $Text, [string] $What) {
            $Text | Should -Not -BeNullOrEmpty -Because "$What should have something to check"
            $Text.Contains($script:key) | Should -BeFalse -Because "$What must not show the key"
            $Text.Contains($script:encodedKey) | Should -BeFalse -Because "$What must not show the URL-encoded key"
            $Text.Contains([string][char]27) | Should -BeFalse -Because "$What must not carry a raw ESC from the service"
            $Text.Contains([string][char]7) | Should -BeFalse -Because "$What must not carry a raw BEL from the service"
        }
    }

    AfterAll {
        Disconnect-FineTuneService
        foreach ($name in $script:savedEnvironment.Keys) { [Environment]::SetEnvironmentVariable($name, $script:savedEnvironment[$name]) }
        if ($script:server) { Stop-LoopbackServer $script:server }
    }

    Context 'echoing the key in every field of its errors' {
        BeforeEach { $script:state.Hostile = $true; Connect-Hostile }
        AfterAll { Connect-Hostile }

        It '<Name>: no key in $Error, Get-Error, ErrorDetails, ToString() or a transcript' -ForEach $errorPaths {
            $transcript = Join-Path $TestDrive ("transcript-" + [guid]::NewGuid().ToString('N') + '.txt')
            $Error.Clear()
            Start-Transcript -LiteralPath $transcript | Out-Null
            try {
                # Everything the command writes goes to the host, so that the transcript holds it.
                $VerbosePreference = 'Continue'
                $DebugPreference = 'Continue'
                & $Run *>&1 | Out-Host
                $VerbosePreference = 'SilentlyContinue'
                $DebugPreference = 'SilentlyContinue'
                $record = $Error | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Select-Object -First 1
                $record | Out-Host
            }
            finally {
                Stop-Transcript | Out-Null
            }

            $record | Should -Not -BeNullOrEmpty
            $record.FullyQualifiedErrorId | Should -Match '^FineTune\.Service\.'
            # The hostile fields did arrive, masked.
            ($record.Exception.Message + $record.Exception.InnerException.Message) | Should -Match ([regex]::Escape('***'))

            Assert-Clean ($Error | Out-String) '$Error'
            Assert-Clean (Get-Error -Newest 1 | Out-String) 'Get-Error'
            Assert-Clean ($record.ErrorDetails.Message + "`n" + $record.ErrorDetails.RecommendedAction) 'ErrorDetails'
            Assert-Clean $record.ToString() 'ToString()'
            Assert-Clean $record.Exception.ToString() 'Exception.ToString()'
            Assert-Clean ($record | Format-List * -Force | Out-String) 'the record in full'
            Assert-Clean ($record.Exception | Format-List * -Force | Out-String) 'the exception in full'
            $transcribed = Get-Content -LiteralPath $transcript -Raw
            Assert-Clean $transcribed 'the transcript'
            $transcribed | Should -Match ([regex]::Escape("$($record.Exception.Message.Substring(0, 20))")) -Because 'the transcript holds the error as shown'
        }

        It 'covers every online cmdlet' -ForEach @(@{ Names = $errorPaths.Name }) {
            $online = Get-Command -Module FineTune -CommandType Cmdlet |
                Where-Object { $_.ImplementingType.IsSubclassOf([FineTune.PowerShell.FineTuneServiceCmdlet]) } |
                ForEach-Object Name | Sort-Object
            $covered = $Names | ForEach-Object { ($_ -split ' ')[0] } | Sort-Object -Unique
            $covered | Should -Be $online
        }

        It 'shows the masked fields, not a shortened message' {
            Get-FineTuneJob -Id ftjob-1 -ErrorVariable failure -ErrorAction SilentlyContinue
            $exception = $failure[0].Exception
            $exception.ServiceCode | Should -Be 'code_***'
            $exception.ServiceType | Should -Be 'type_***'
            $exception.Param | Should -Be 'param_***'
            $exception.RequestId | Should -Be 'req_***'
            $exception.ServiceMessage | Should -Be '\u001B]0;owned\u0007Key *** (***) refused\nsecond line'
        }
    }

    Context 'naming its files with escapes and paths' {
        BeforeEach { $script:state.Hostile = $false }

        It 'saves a name with terminal escapes as a plain name, and says so' {
            $folder = Join-Path $TestDrive 'escapes'
            New-Item -ItemType Directory -Path $folder | Out-Null
            $verbose = Save-FineTuneFile -Id file-escapes -Path $folder -Confirm:$false -Verbose 4>&1 | Out-String
            (Get-ChildItem -LiteralPath $folder -Force).Name | Should -Be 'evil_]0;pwned__report.csv'
            $verbose | Should -Match ([regex]::Escape("is saved as 'evil_]0;pwned__report.csv'"))
            $verbose.Contains([string][char]27) | Should -BeFalse
        }

        It 'keeps a name with a path inside the folder' {
            $folder = Join-Path $TestDrive 'traversal/inner'
            New-Item -ItemType Directory -Path $folder | Out-Null
            $saved = Save-FineTuneFile -Id file-traversal -Path $folder -Confirm:$false -PassThru
            $saved.FullName | Should -Be (Join-Path $folder 'outside.csv')
            Test-Path (Join-Path $TestDrive 'outside.csv') | Should -BeFalse
        }

        It 'does not create a device name' {
            $folder = Join-Path $TestDrive 'device'
            New-Item -ItemType Directory -Path $folder | Out-Null
            (Save-FineTuneFile -Id file-device -Path $folder -Confirm:$false -PassThru).Name | Should -Be '_CON'
        }
    }

    Context 'whose paging never ends' {
        BeforeEach { $script:state.Hostile = $false; $script:state.Requests.Clear() }

        It 'stops Get-FineTuneJob with an error after the repeated page, keeping what was listed' {
            $jobs = @(Get-FineTuneJob -ErrorVariable failure -ErrorAction SilentlyContinue)
            $jobs.Id | Should -Be 'ftjob-1'
            $failure[0].FullyQualifiedErrorId | Should -Match '^FineTune\.Service\.InvalidResponse'
            $failure[0].Exception.Message | Should -Match 'repeats the page before'
            $script:state.Requests.Count | Should -Be 2
        }
    }
}
