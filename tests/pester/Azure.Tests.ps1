#Requires -Modules Pester
# README's "On Azure" runbook, run verbatim against a loopback fake of Azure (AzureFake.ps1): a
# managed identity issuing three-second tokens, the v1 data plane and Resource Manager deployments.

Describe 'On Azure' {
    BeforeAll {
        $script:moduleRoot = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../out")
        Import-Module "$script:moduleRoot/FineTune" -Force -ErrorAction Stop
        . "$PSScriptRoot/LoopbackServer.ps1"
        . "$PSScriptRoot/AzureFake.ps1"

        $readme = Get-Content -Raw "$PSScriptRoot/../../README.md"
        if ($readme -notmatch '(?s)## On Azure.*?```powershell\r?\n(.*?)```') { throw 'README has no On Azure runbook.' }
        $script:runbook = Join-Path $TestDrive 'runbook.ps1'
        Set-Content -LiteralPath $script:runbook -Value $Matches[1] -Encoding utf8NoBOM

        $script:training = Join-Path $TestDrive 'helpdesk.train.jsonl'
        1..12 | ForEach-Object { [pscustomobject]@{ Question = "Question $_"; Answer = "Answer $_" } } |
            ConvertTo-FineTuneExample -SystemMessage 'You answer IT support questions.' | Export-Jsonl $script:training -Encoding utf8BOM

        $script:saved = @{ IDENTITY_ENDPOINT = $env:IDENTITY_ENDPOINT; IDENTITY_HEADER = $env:IDENTITY_HEADER; PSModulePath = $env:PSModulePath }
    }
    AfterEach {
        Disconnect-FineTuneService -ErrorAction SilentlyContinue
        if ($script:server) { Stop-LoopbackServer $script:server; $script:server = $null }
        foreach ($name in $script:saved.Keys) { Set-Item "env:$name" $script:saved[$name] }
    }

    It 'signs in with a managed identity, trains on the Global tier through three token lifetimes, deploys on DeveloperTier, chats and removes the deployment' {
        $script:server = Start-AzureFake -TokenLifetime 3 -JobSeconds 10
        $state = $script:server.State
        $env:IDENTITY_ENDPOINT = "$($script:server.Prefix)msi/token"
        $env:IDENTITY_HEADER = $state.IdentityHeader
        $env:PSModulePath = $script:moduleRoot + [System.IO.Path]::PathSeparator + $env:PSModulePath
        $started = [datetime]::UtcNow

        $VerbosePreference = 'Continue'
        $output = & $script:runbook -Endpoint $script:server.Prefix.TrimEnd('/') -SubscriptionId 'sub-1' -ResourceGroupName 'rg-1' -AccountName 'acct-1' `
            -TrainingFile $script:training -ResourceManagerUri $script:server.Prefix -PollInterval '00:00:01' 4>&1

        $replies = @($output | Where-Object { $_ -is [FineTune.ChatReply] })
        $replies | Should -HaveCount 1
        $replies[0].Content | Should -Match 'VPN'
        $state.Violations | Should -BeNullOrEmpty
        $state.ExpiredUses | Should -Be 0
        ([datetime]::UtcNow - $started).TotalSeconds | Should -BeGreaterThan 9
        $state.Tokens.Count | Should -BeGreaterOrEqual 3
        $state.Deployments.Count | Should -Be 0
        $state.Chats[0].model | Should -Be 'helpdesk-candidate'
        $created = ($state.Requests | Where-Object { $_.Method -eq 'POST' -and $_.Path -eq '/openai/v1/fine_tuning/jobs' }).Body | ConvertFrom-Json
        $created.trainingType | Should -Be 'GlobalStandard'
        $put = ($state.Requests | Where-Object Method -eq 'PUT').Body | ConvertFrom-Json
        $put.sku.name | Should -Be 'DeveloperTier'
        $VerbosePreference = 'SilentlyContinue'
        $text = ($output | ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { $_.Message } else { $_ | Out-String } }) -join "`n"
        foreach ($token in $state.Tokens.Keys) { $text | Should -Not -Match ([regex]::Escape($token)) }
        $text | Should -Match "'pending', a status FineTune does not know"
    }

    It 'turns Azure''s misleading refusal of a job without a tier into a hint' {
        $script:server = Start-AzureFake
        $env:IDENTITY_ENDPOINT = "$($script:server.Prefix)msi/token"
        $env:IDENTITY_HEADER = $script:server.State.IdentityHeader
        Connect-FineTuneService -Provider AzureOpenAI -Endpoint $script:server.Prefix -Identity

        New-FineTuneJob -Model gpt-4.1-mini-2025-04-14 -TrainingFile file-az1 -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        $failed[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Service.BadRequest*'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match '-TrainingType GlobalStandard'
    }

    It 'prices the tier and the hosting in -WhatIf' {
        $env:IDENTITY_ENDPOINT = $null
        Connect-FineTuneService -Provider AzureOpenAI -Endpoint https://contoso.openai.azure.com -Identity
        # -WhatIf writes to the host, which a transcript records.
        $transcript = Join-Path $TestDrive 'whatif.txt'
        Start-Transcript -LiteralPath $transcript -Force | Out-Null
        try {
            New-FineTuneJob -Model gpt-4.1-2025-04-14 -TrainingFile $script:training -TrainingType Developer -WhatIf
            New-FineTuneDeployment -Name helpdesk -Model gpt-4.1-2025-04-14.ft-abc -Sku GlobalStandard -WhatIf
            New-FineTuneDeployment -Name helpdesk -Model gpt-4.1-2025-04-14.ft-abc -Sku DeveloperTier -WhatIf
        }
        finally { Stop-Transcript | Out-Null }
        $text = Get-Content -Raw -LiteralPath $transcript
        $text | Should -Match "of model 'gpt-4\.1-2025-04-14' on the Developer training tier"
        $text | Should -Match 'at the Developer tier price of 1\.00 per 1M tokens'
        $text | Should -Match 'on GlobalStandard \(capacity 1\): hosting USD 1\.70 per hour'
        $text | Should -Match 'on DeveloperTier \(capacity 1\): no hourly hosting fee.*24 hours'
    }

    It 'says which deployment keeps a model from being deleted' {
        $script:server = Start-AzureFake
        $state = $script:server.State
        $env:IDENTITY_ENDPOINT = "$($script:server.Prefix)msi/token"
        $env:IDENTITY_HEADER = $state.IdentityHeader
        $state.Jobs['ftjob-az1'] = @{ id = 'ftjob-az1'; fine_tuned_model = 'gpt-4.1-mini-2025-04-14.ft-az1'; Started = [DateTimeOffset]::UtcNow }
        $state.Deployments['helpdesk'] = @{ Name = 'helpdesk'; Model = 'gpt-4.1-mini-2025-04-14.ft-az1'; Sku = 'GlobalStandard'; Capacity = 1; State = 'Succeeded'; Gets = 0; Created = [DateTimeOffset]::UtcNow }
        Connect-FineTuneService -Provider AzureOpenAI -Endpoint $script:server.Prefix -Identity -ResourceManagerUri $script:server.Prefix

        Remove-FineTuneModel gpt-4.1-mini-2025-04-14.ft-az1 -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Model.Deployed*'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match 'Remove-FineTuneDeployment -Name helpdesk'
    }
}

# The deployment cmdlets one by one, against the same fake: a managed identity, the account found
# from the endpoint, Resource Manager deployments that are Creating until read twice.
BeforeAll {
    $script:moduleRoot = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../out")
    Import-Module "$script:moduleRoot/FineTune" -Force -ErrorAction Stop
    . "$PSScriptRoot/LoopbackServer.ps1"
    . "$PSScriptRoot/AzureFake.ps1"

    # A fake with one trained job and the given deployments, signed in to with its managed identity.
    function Connect-AzureFakeWith([string[]] $Deployed = @()) {
        $script:server = Start-AzureFake
        $state = $script:server.State
        $state.Jobs['ftjob-az1'] = @{ id = 'ftjob-az1'; fine_tuned_model = 'gpt-4.1-mini-2025-04-14.ft-az1'; Started = [DateTimeOffset]::UtcNow }
        foreach ($name in $Deployed) {
            $state.Deployments[$name] = @{ Name = $name; Model = 'gpt-4.1-mini-2025-04-14.ft-az1'; Sku = 'GlobalStandard'; Capacity = 1; State = 'Succeeded'; Gets = 0; Created = [DateTimeOffset]::UtcNow }
        }
        $env:IDENTITY_ENDPOINT = "$($script:server.Prefix)msi/token"
        $env:IDENTITY_HEADER = $state.IdentityHeader
        Connect-FineTuneService -Provider AzureOpenAI -Endpoint $script:server.Prefix -Identity -ResourceManagerUri $script:server.Prefix
        $state
    }
    $script:savedIdentity = @{ IDENTITY_ENDPOINT = $env:IDENTITY_ENDPOINT; IDENTITY_HEADER = $env:IDENTITY_HEADER }
    function Disconnect-AzureFake {
        Disconnect-FineTuneService -ErrorAction SilentlyContinue
        if ($script:server) { Stop-LoopbackServer $script:server; $script:server = $null }
        foreach ($name in $script:savedIdentity.Keys) { Set-Item "env:$name" $script:savedIdentity[$name] }
    }
}

Describe 'New-FineTuneDeployment' {
    AfterEach { Disconnect-AzureFake }

    It 'deploys a finished job''s model on the account found from the endpoint and waits until it is Succeeded' {
        $state = Connect-AzureFakeWith
        $job = Get-FineTuneJob -Id ftjob-az1
        $deployment = $job | New-FineTuneDeployment -Name helpdesk -Sku DeveloperTier -PollInterval '00:00:01' -Confirm:$false

        $deployment.Name | Should -Be 'helpdesk'
        $deployment.ProvisioningState | Should -Be 'Succeeded'
        $deployment.Model | Should -Be 'gpt-4.1-mini-2025-04-14.ft-az1'
        $deployment.AccountName | Should -Be 'acct-1'
        $put = ($state.Requests | Where-Object Method -eq 'PUT').Body | ConvertFrom-Json
        $put.sku.name | Should -Be 'DeveloperTier'
        $put.properties.model.name | Should -Be 'gpt-4.1-mini-2025-04-14.ft-az1'
        $state.Violations | Should -BeNullOrEmpty
    }

    It 'creates nothing under -WhatIf' {
        $state = Connect-AzureFakeWith
        New-FineTuneDeployment -Name helpdesk -Model gpt-4.1-mini-2025-04-14.ft-az1 -Sku GlobalStandard -WhatIf
        @($state.Requests | Where-Object Method -eq 'PUT') | Should -HaveCount 0
    }

    It 'refuses a connection that is not to Azure OpenAI' {
        Connect-FineTuneService -Provider Compatible -BaseUri http://127.0.0.1:9/v1 -ApiKey (ConvertTo-SecureString 'not-used' -AsPlainText -Force)
        { New-FineTuneDeployment -Name helpdesk -Model x.ft-1 -Sku GlobalStandard -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'FineTune.Deployment.NotAzure*'
    }
}

Describe 'Get-FineTuneDeployment' {
    AfterEach { Disconnect-AzureFake }

    It 'lists the deployments, by name and by wildcard' {
        $state = Connect-AzureFakeWith -Deployed helpdesk, test-a, test-b
        @(Get-FineTuneDeployment).Name | Sort-Object | Should -Be @('helpdesk', 'test-a', 'test-b')
        @(Get-FineTuneDeployment 'test-*').Name | Sort-Object | Should -Be @('test-a', 'test-b')
        $one = Get-FineTuneDeployment -Name helpdesk
        $one.Model | Should -Be 'gpt-4.1-mini-2025-04-14.ft-az1'
        $one.Sku | Should -Be 'GlobalStandard'
        $state.Violations | Should -BeNullOrEmpty
    }

    It 'says when a named deployment does not exist' {
        $null = Connect-AzureFakeWith
        Get-FineTuneDeployment -Name nothing-here -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'FineTune.Service.NotFound*'
        "$($failed[0])" | Should -Match 'nothing-here'
    }
}

Describe 'Remove-FineTuneDeployment' {
    AfterEach { Disconnect-AzureFake }

    It 'removes the deployments piped from Get-FineTuneDeployment and waits until they are gone' {
        $state = Connect-AzureFakeWith -Deployed helpdesk, test-a, test-b
        Get-FineTuneDeployment 'test-*' | Remove-FineTuneDeployment -Confirm:$false
        @($state.Deployments.Keys) | Should -Be @('helpdesk')
        @($state.Requests | Where-Object Method -eq 'DELETE') | Should -HaveCount 2
        $state.Violations | Should -BeNullOrEmpty
    }

    It 'deletes nothing under -WhatIf' {
        $state = Connect-AzureFakeWith -Deployed helpdesk
        Remove-FineTuneDeployment -Name helpdesk -WhatIf
        $state.Deployments.ContainsKey('helpdesk') | Should -BeTrue
        @($state.Requests | Where-Object Method -eq 'DELETE') | Should -HaveCount 0
    }

    It 'asks before deleting (ConfirmImpact High)' {
        (Get-Command Remove-FineTuneDeployment).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
            Should -Be 'High'
    }
}
