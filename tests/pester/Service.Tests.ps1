#Requires -Modules Pester
# Connection and file cmdlets against a small HTTP server on 127.0.0.1 that this file starts in
# its own runspace (HttpListener; no other dependency). It serves /v1/... as OpenAI does and
# /openai/...?api-version=... as Azure OpenAI does.
# Run from the repository root after `dotnet build -c Release`:  Invoke-Pester tests/pester/Service.Tests.ps1

Describe 'Service against a loopback server' {
    BeforeAll {
        Import-Module "$PSScriptRoot/../../out/FineTune" -Force -ErrorAction Stop

        $script:key = 'fake-pester-key-Tq9wLm4Zr7'
        $script:secureKey = ConvertTo-SecureString $script:key -AsPlainText -Force
        $script:state = [hashtable]::Synchronized(@{
                Requests = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
                Polls    = 0
                Fail     = $false
                Key      = $script:key
            })

        . "$PSScriptRoot/LoopbackServer.ps1"
        $script:server = Start-LoopbackServer -State $script:state -Respond {
            function FileJson($id, $name, $purpose, $status) {
                @{ id = $id; object = 'file'; bytes = 42; created_at = 1721764800; expires_at = $null; filename = $name; purpose = $purpose; status = $status; status_details = $null }
            }
            $bearer = $request.Headers['Authorization'] -eq "Bearer $($state.Key)"
            $azureKey = $request.Headers['api-key'] -eq $state.Key
            if ($state.Fail) {
                $status = 400
                # A hostile answer that echoes the key: the module must not repeat it.
                @{ error = @{ message = "Bad request for key $($state.Key)"; type = 'invalid_request_error'; code = 'bad'; param = $null } } | ConvertTo-Json
            }
            elseif (-not ($bearer -or $azureKey)) {
                $status = 401
                @{ error = @{ message = 'Incorrect API key provided.'; type = 'invalid_request_error'; code = 'invalid_api_key'; param = $null } } | ConvertTo-Json
            }
            else {
                switch -Regex ("$($request.HttpMethod) $path") {
                    '^POST /(v1|openai)/files$' {
                        $name = if ($body -match 'filename="([^"]+)"') { $Matches[1] } else { 'unknown' }
                        $purpose = if ($body -match 'name="purpose"\r\n\r\n([^\r]+)') { $Matches[1] } else { 'none' }
                        $fileStatus = if ($path -like '/openai/*') { 'pending' } else { 'processed' }
                        FileJson 'file-new' $name $purpose $fileStatus | ConvertTo-Json
                    }
                    '^GET /(v1|openai)/files$' {
                        if ($request.QueryString['after'] -eq 'file-2') {
                            @{ object = 'list'; has_more = $false; first_id = 'file-1'; last_id = 'file-1'; data = @((FileJson 'file-1' 'old.jsonl' 'fine-tune' 'processed')) } | ConvertTo-Json -Depth 5
                        }
                        else {
                            @{ object = 'list'; has_more = $true; first_id = 'file-3'; last_id = 'file-2'; data = @((FileJson 'file-3' 'new.jsonl' 'fine-tune' 'processed'), (FileJson 'file-2' 'results.csv' 'fine-tune-results' 'processed')) } | ConvertTo-Json -Depth 5
                        }
                    }
                    '^GET /(v1|openai)/files/file-new$' {
                        $state.Polls++
                        FileJson 'file-new' 'train.jsonl' 'fine-tune' $(if ($state.Polls -lt 2) { 'running' } else { 'processed' }) | ConvertTo-Json
                    }
                    '^GET /(v1|openai)/files/file-\d$' { FileJson ($path -split '/')[-1] 'results.csv' 'fine-tune-results' 'processed' | ConvertTo-Json }
                    '^GET /(v1|openai)/files/file-\d/content$' { $contentType = 'text/csv'; "step,train_loss`n1,0.5`n" }
                    '^DELETE /(v1|openai)/files/file-\d$' { @{ id = ($path -split '/')[-1]; object = 'file'; deleted = $true } | ConvertTo-Json }
                    default { $status = 404; @{ error = @{ message = "No such File object: $path"; type = 'invalid_request_error'; code = $null; param = 'id' } } | ConvertTo-Json }
                }
            }
        }
        $script:port = $script:server.Port
        $script:prefix = $script:server.Prefix

        $script:savedEnvironment = @{}
        foreach ($name in 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_ORG_ID', 'OPENAI_PROJECT_ID', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT', 'OPENAI_API_VERSION') {
            $script:savedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $null)
        }

        $script:folder = Join-Path ([System.IO.Path]::GetTempPath()) ("finetune-pester-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $script:folder | Out-Null
        $script:good = Join-Path $script:folder 'train.jsonl'
        # Ten distinct examples: the service (and so the precheck) rejects fewer.
        $lines = foreach ($i in 1..10) { "{`"messages`":[{`"role`":`"system`",`"content`":`"Be brief.`"},{`"role`":`"user`",`"content`":`"hi $i`"},{`"role`":`"assistant`",`"content`":`"hello $i`"}]}" }
        [System.IO.File]::WriteAllText($script:good, (($lines -join "`n") + "`n"))
        $script:bad = Join-Path $script:folder 'broken.jsonl'
        [System.IO.File]::WriteAllText($script:bad, "{`"messages`":[]}`nthis is not json`n")

        function Connect-Fake {
            Connect-FineTuneService -Provider Compatible -BaseUri "$($script:prefix)v1" -ApiKey $script:secureKey
        }
    }

    AfterAll {
        Disconnect-FineTuneService
        foreach ($name in $script:savedEnvironment.Keys) { [Environment]::SetEnvironmentVariable($name, $script:savedEnvironment[$name]) }
        Remove-Item -LiteralPath $script:folder -Recurse -Force -ErrorAction SilentlyContinue
        if ($script:server) { Stop-LoopbackServer $script:server }
    }

    BeforeEach {
        $script:state.Requests.Clear()
        $script:state.Polls = 0
        $script:state.Fail = $false
    }

    Describe 'Module surface' {
        It 'exports the connection and file cmdlets' {
            foreach ($name in 'Connect-FineTuneService', 'Disconnect-FineTuneService', 'Send-FineTuneFile', 'Get-FineTuneFile', 'Save-FineTuneFile', 'Remove-FineTuneFile') {
                Get-Command $name -Module FineTune -ErrorAction Stop | Should -Not -BeNullOrEmpty
            }
        }

        It 'asks for confirmation before deleting a file' {
            (Get-Command Remove-FineTuneFile).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
                Should -Be ([System.Management.Automation.ConfirmImpact]::High)
        }

        It 'takes the key only as a secure string' {
            (Get-Command Connect-FineTuneService).Parameters['ApiKey'].ParameterType | Should -Be ([securestring])
        }
    }

    Describe 'Connect-FineTuneService' {
        AfterEach { Disconnect-FineTuneService }

        It 'returns the connection without its key' {
            $connection = Connect-FineTuneService -Provider Compatible -BaseUri "$($script:prefix)v1" -ApiKey $script:secureKey -Organization org-7 -PassThru
            $connection | Should -BeOfType FineTune.ServiceConnection
            $connection.Provider | Should -Be 'Compatible'
            $connection.Organization | Should -Be 'org-7'
            ($connection | Format-List * | Out-String) | Should -Not -Match $script:key
            ($connection | ConvertTo-Json | Out-String) | Should -Not -Match $script:key
        }

        It 'refuses plain http to a host that is not loopback' {
            { Connect-FineTuneService -Provider Compatible -BaseUri http://example.com/v1 -ApiKey $script:secureKey } |
                Should -Throw -ErrorId 'FineTune.Service.InsecureHttp*'
        }

        It 'allows plain http elsewhere when forced' {
            (Connect-FineTuneService -Provider Compatible -BaseUri http://example.com/v1 -ApiKey $script:secureKey -AllowInsecureHttp -PassThru).BaseUri |
                Should -Be ([uri]'http://example.com/v1')
        }

        It 'fails clearly when there is no key anywhere' {
            { Connect-FineTuneService -Provider OpenAI } | Should -Throw -ErrorId 'FineTune.Service.NotConnected*'
        }

        It 'uses the environment variables when nothing is connected' {
            Disconnect-FineTuneService
            $env:OPENAI_API_KEY = $script:key
            $env:OPENAI_BASE_URL = "$($script:prefix)v1"
            try {
                @(Get-FineTuneFile).Count | Should -Be 3
                $script:state.Requests[0].Auth | Should -Be "Bearer $($script:key)"
            }
            finally {
                $env:OPENAI_API_KEY = $null
                $env:OPENAI_BASE_URL = $null
            }
        }
    }

    Describe 'Disconnect-FineTuneService' {
        It 'forgets the connection on Disconnect' {
            Connect-Fake
            (Disconnect-FineTuneService -PassThru).Provider | Should -Be 'Compatible'
            { Get-FineTuneFile -ErrorAction Stop } | Should -Throw -ErrorId 'FineTune.Service.NotConnected*'
        }

        It 'writes nothing and fails nothing when there is no connection' {
            Disconnect-FineTuneService
            Disconnect-FineTuneService -PassThru -ErrorVariable problems | Should -BeNullOrEmpty
            $problems | Should -BeNullOrEmpty
        }
    }

    Describe 'Send-FineTuneFile' {
        BeforeAll { Connect-Fake }
        AfterAll { Disconnect-FineTuneService }

        It 'uploads a checked file and returns the service file' {
            $file = Send-FineTuneFile -Path $script:good -Confirm:$false
            $file | Should -BeOfType FineTune.ServiceFile
            $file.Id | Should -Be 'file-new'
            $file.FileName | Should -Be 'train.jsonl'
            $file.Purpose | Should -Be 'fine-tune'
            $sent = $script:state.Requests | Where-Object Method -eq 'POST'
            $sent.ContentType | Should -Match '^multipart/form-data'
            $sent.Body | Should -Match 'filename="train.jsonl"'
        }

        It 'takes files from Get-ChildItem' {
            $files = @(Get-ChildItem -LiteralPath $script:folder -Filter train.jsonl | Send-FineTuneFile -Confirm:$false)
            $files.Count | Should -Be 1
        }

        It 'refuses a file with errors and names the line' {
            $result = Send-FineTuneFile -LiteralPath $script:bad -ErrorVariable failure -ErrorAction SilentlyContinue -Confirm:$false
            $result | Should -BeNullOrEmpty
            $failure[0].FullyQualifiedErrorId | Should -Match '^FineTune.Service.DatasetRejected'
            $failure[0].Exception.Message | Should -Match ':2: Error InvalidJson'
            $script:state.Requests.Count | Should -Be 0
        }

        It 'uploads a file with errors when told to skip validation' {
            (Send-FineTuneFile -LiteralPath $script:bad -SkipValidation -Confirm:$false).Id | Should -Be 'file-new'
        }

        It 'sends nothing under -WhatIf' {
            Send-FineTuneFile -Path $script:good -WhatIf
            $script:state.Requests.Count | Should -Be 0
        }
    }

    Describe 'Get-FineTuneFile' {
        BeforeAll { Connect-Fake }
        AfterAll { Disconnect-FineTuneService }

        It 'lists every page, and stops early with -First' {
            (Get-FineTuneFile).Id | Should -Be @('file-3', 'file-2', 'file-1')
            $script:state.Requests.Count | Should -Be 2
            $script:state.Requests.Clear()
            (Get-FineTuneFile -First 1).Id | Should -Be 'file-3'
            $script:state.Requests.Count | Should -Be 1
            $script:state.Requests[0].Query | Should -Match 'limit=1'
        }

        It 'filters by purpose' {
            Get-FineTuneFile -Purpose fine-tune-results | Out-Null
            $script:state.Requests[0].Query | Should -Match 'purpose=fine-tune-results'
        }

        It 'reports a missing file as an error record with the service details' {
            Get-FineTuneFile -Id file-missing -ErrorVariable failure -ErrorAction SilentlyContinue
            $failure[0].FullyQualifiedErrorId | Should -Match '^FineTune.Service.NotFound'
            $failure[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failure[0].TargetObject | Should -Be 'file-missing'
            $failure[0].Exception.StatusCode | Should -Be 404
            $failure[0].Exception.RequestId | Should -Match '^req_'
        }

        It 'shows method, URL, status and request id with -Verbose' {
            $verbose = Get-FineTuneFile -Id file-1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -join "`n") | Should -Match "GET $([regex]::Escape($script:prefix))v1/files/file-1 -> 200 OK in \d+ ms, request id req_1"
        }
    }

    Describe 'Save-FineTuneFile' {
        BeforeAll { Connect-Fake }
        AfterAll { Disconnect-FineTuneService }

        It 'downloads into a folder under the service name, and refuses to overwrite without -Force' {
            $saved = Save-FineTuneFile -Id file-2 -Path $script:folder -PassThru -Confirm:$false
            $saved.Name | Should -Be 'results.csv'
            Get-Content -LiteralPath $saved.FullName -Raw | Should -Be "step,train_loss`n1,0.5`n"
            Save-FineTuneFile -Id file-2 -LiteralPath $saved.FullName -ErrorVariable failure -ErrorAction SilentlyContinue -Confirm:$false
            $failure[0].FullyQualifiedErrorId | Should -Match '^FineTune.Path.Exists'
            Save-FineTuneFile -Id file-2 -LiteralPath $saved.FullName -Force -Confirm:$false
            (Get-ChildItem -LiteralPath $script:folder -Filter '*.tmp' -Force) | Should -BeNullOrEmpty
        }

        It 'returns with -PassThru the saved file as Get-Item shows it' {
            $saved = Save-FineTuneFile -Id file-2 -LiteralPath (Join-Path $script:folder 'shown.csv') -PassThru -Confirm:$false
            ($saved | Format-Table | Out-String) | Should -Be (Get-Item -LiteralPath $saved.FullName | Format-Table | Out-String)
        }
    }

    Describe 'Remove-FineTuneFile' {
        BeforeAll { Connect-Fake }
        AfterAll { Disconnect-FineTuneService }

        It 'deletes by id, and sends nothing under -WhatIf' {
            Remove-FineTuneFile -Id file-3 -WhatIf
            $script:state.Requests | Should -BeNullOrEmpty
            (Remove-FineTuneFile -Id file-3 -Confirm:$false -PassThru).Deleted | Should -BeTrue
            ($script:state.Requests | Where-Object Method -eq 'DELETE').Path | Should -Be '/v1/files/file-3'
        }


        It 'pipes listed files into Save-FineTuneFile and Remove-FineTuneFile by Id' {
            $target = Join-Path $script:folder 'piped'
            New-Item -ItemType Directory -Path $target | Out-Null
            Get-FineTuneFile -Purpose fine-tune-results -First 1 | Save-FineTuneFile -Path $target -Confirm:$false
            Test-Path (Join-Path $target 'results.csv') | Should -BeTrue
            $deleted = Get-FineTuneFile -Id file-2 | Remove-FineTuneFile -Confirm:$false -PassThru
            $deleted.Deleted | Should -BeTrue
            ($script:state.Requests | Where-Object Method -eq 'DELETE').Path | Should -Be '/v1/files/file-2'
        }
    }

    Describe 'File cmdlets together' {
        BeforeAll { Connect-Fake }
        AfterAll { Disconnect-FineTuneService }

        It 'never shows the key, whatever each cmdlet writes' {
            $script:state.Fail = $true
            $all = & {
                Send-FineTuneFile -Path $script:good -Confirm:$false -Verbose
                Get-FineTuneFile -Verbose
                Get-FineTuneFile -Id file-1 -Verbose
                Save-FineTuneFile -Id file-1 -Path (Join-Path $script:folder 'x.csv') -Confirm:$false -Verbose
                Remove-FineTuneFile -Id file-1 -Confirm:$false -Verbose
            } *>&1
            ($all | Out-String) | Should -Not -Match $script:key
            foreach ($record in $all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) {
                ($record | Format-List * -Force | Out-String) | Should -Not -Match $script:key
                ($record.Exception | Format-List * -Force | Out-String) | Should -Not -Match $script:key
            }
            @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -Be 5
        }
    }

    Describe 'Azure OpenAI' {
        BeforeAll {
            Connect-FineTuneService -Provider AzureOpenAI -BaseUri $script:prefix -ApiKey $script:secureKey -ApiVersion 2024-10-21
        }
        AfterAll { Disconnect-FineTuneService }

        It 'uses the Azure URL, api-version and api-key header, and waits for processing with -Wait' {
            $file = Send-FineTuneFile -Path $script:good -Wait -Confirm:$false
            $file.Status | Should -Be 'processed'
            $post = $script:state.Requests | Where-Object Method -eq 'POST'
            $post.Path | Should -Be '/openai/files'
            $post.Query | Should -Be '?api-version=2024-10-21'
            $post.ApiKey | Should -Be $script:key
            $post.Auth | Should -BeNullOrEmpty
            @($script:state.Requests | Where-Object Method -eq 'GET').Count | Should -Be 2
        }
    }
}
