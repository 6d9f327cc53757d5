#!/usr/bin/env bash
# Peak memory of Get-FineTuneJob, in pwsh through the built module, reading a normal answer, a
# 1.5 GiB 200 answer and a 1 GiB 500 answer from a loopback server that generates them as it
# sends them (FineTune.Benchmarks huge-answer-server). Each client runs in a process of its own
# under /usr/bin/time; max RSS is in KB.
#
#   bash bench/hostile-answers.sh [module folder, default out/FineTune]
set -euo pipefail
cd "$(dirname "$0")/.."
module=$(realpath "${1:-out/FineTune}")
dotnet build -c Release bench/FineTune.Benchmarks -nologo -clp:ErrorsOnly >/dev/null
coproc SERVER { exec dotnet bench/FineTune.Benchmarks/bin/Release/net10.0/FineTune.Benchmarks.dll huge-answer-server; }
read -r base <&"${SERVER[0]}"
echo "server: $base; module: $module"
for job in ok huge-200-1610612736 huge-500-1073741824; do
  /usr/bin/time -f "  $job: %e s, max RSS %M KB" dotnet pwsh -NoProfile -NonInteractive -Command "
    Import-Module '$module'
    Connect-FineTuneService -Provider Compatible -BaseUri '$base' -ApiKey (ConvertTo-SecureString 'sk-bench-key-0000' -AsPlainText -Force)
    \$job = Get-FineTuneJob -Id '$job' -ErrorVariable failure -ErrorAction SilentlyContinue
    if (\$failure) { '  ' + \$failure[0].FullyQualifiedErrorId + ': ' + -join \$failure[0].Exception.Message[0..159] } else { '  job ' + \$job.Id + ' ' + \$job.Status }"
done
exec {SERVER[1]}>&-
wait
