using Runner.Appliance.Security;
using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Preflight;

namespace Runner.Appliance.Tests.Preflight;

/// <summary>Runs a source's groups the way the preflight runner does (time bound, masking) and collects the results by check id.</summary>
public static class CheckHarness
{
    public static PreflightInputs Inputs(AnswerFileDocument configuration, Dictionary<string, string>? secrets = null,
        IReadOnlyList<VirtualMachineDto>? vms = null, bool provisioned = false) =>
        new(configuration, secrets ?? [], vms ?? [], provisioned, "test");

    public static async Task<Dictionary<string, CheckResult>> RunAsync(IPreflightSource source, PreflightInputs inputs)
    {
        var results = new Dictionary<string, CheckResult>();
        foreach (var group in source.Groups(inputs))
        {
            var execution = new GroupExecution(group, new SecretMasker(inputs.Secrets.Values), _ => { });
            await execution.RunAsync(CancellationToken.None);
            foreach (var (id, result) in execution.Results)
                results.Add(id, result);
        }
        return results;
    }

    /// <summary>A result, with every result in the failure message when it is missing.</summary>
    public static CheckResult Get(this Dictionary<string, CheckResult> results, string id) =>
        results.TryGetValue(id, out var result) ? result
            : throw new Xunit.Sdk.XunitException($"No result for {id}; got: {string.Join(", ", results.Keys)}");
}
