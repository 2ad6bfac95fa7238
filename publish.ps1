#!/usr/bin/env pwsh
# Builds the appliance: a self-contained linux-x64 folder, ReadyToRun, in artifacts/appliance/.
# All logic lives in the MSBuild publish profile (Runner.Appliance/Properties/PublishProfiles/
# Appliance.pubxml) so that hosts without PowerShell run the same build with:
#   dotnet publish Runner.Appliance -p:PublishProfile=Appliance
param([string]$Output = "")
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
$arguments = @("publish", "Runner.Appliance", "-p:PublishProfile=Appliance", "-nologo")
if ($Output) { $arguments += @("-o", $Output) }
& dotnet @arguments
exit $LASTEXITCODE
