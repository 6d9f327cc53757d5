# Loads the cmdlet assembly built for this edition: net8.0 on PowerShell 7.4+,
# netstandard2.0 (with its dependencies beside it) on Windows PowerShell 5.1.
# FineTune.psd1 makes this the root module on Windows PowerShell only; PowerShell 7 imports
# bin/net8.0/FineTune.PowerShell.dll directly. Importing this file works on both.
$framework = if ($PSEdition -eq 'Core') { 'net8.0' } else { 'netstandard2.0' }
$binary = [System.IO.Path]::Combine($PSScriptRoot, 'bin', $framework, 'FineTune.PowerShell.dll')

if ($PSEdition -ne 'Core') {
    # Windows PowerShell has no binding redirects for modules: answer requests for the
    # dependency versions we ship from our own folder.
    $binFolder = [System.IO.Path]::GetDirectoryName($binary)
    $resolver = [System.ResolveEventHandler] {
        param($sender, $eventArgs)
        $name = [System.Reflection.AssemblyName]::new($eventArgs.Name).Name
        $candidate = [System.IO.Path]::Combine($binFolder, "$name.dll")
        if ([System.IO.File]::Exists($candidate)) { return [System.Reflection.Assembly]::LoadFrom($candidate) }
        return $null
    }.GetNewClosure()
    [System.AppDomain]::CurrentDomain.add_AssemblyResolve($resolver)
    $ExecutionContext.SessionState.Module.OnRemove = { [System.AppDomain]::CurrentDomain.remove_AssemblyResolve($resolver) }.GetNewClosure()
}

Import-Module -Name $binary -ErrorAction Stop
