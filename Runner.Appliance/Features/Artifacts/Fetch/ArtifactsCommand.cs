using System.CommandLine;
using System.Net;

namespace Runner.Appliance.Features.Artifacts.Fetch;

/// <summary>
/// The appliance binary's build-machine verbs, dispatched by Program before any web host exists (no store,
/// no keys, no port): <c>Runner.Appliance artifacts fetch --lock ansible/artifacts.lock.yml --out DIR [--only a,b]</c>.
/// Exit code 0 when the tree and its manifest are complete, 1 otherwise.
/// </summary>
public static class ArtifactsCommand
{
    public static bool Handles(string[] args) => args is ["artifacts", ..];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var lockOption = new Option<FileInfo>("--lock") { Description = "The lock file (ansible/artifacts.lock.yml).", Required = true };
        var outOption = new Option<DirectoryInfo>("--out") { Description = "The tree to write (new, empty, or one an earlier fetch wrote).", Required = true };
        var onlyOption = new Option<string[]>("--only")
        {
            Description = "Fetch only these artifacts (names, comma-separated); others of the lock already complete in the tree stay in it and its manifest.",
            AllowMultipleArgumentsPerToken = true,
        };
        var insecureOption = new Option<string[]>("--insecure-registry")
        {
            Description = "A registry (host:port) reached over plain HTTP or an untrusted certificate, e.g. a local mirror. Repeatable.",
        };
        var fetch = new Command("fetch", "Download every artifact of the lock, check each sha256 as it streams, build repository metadata, save images as OCI layouts, and write manifest.json.")
        {
            lockOption, outOption, onlyOption, insecureOption,
        };
        fetch.SetAction((parse, token) => FetchAsync(new FetchOptions(
            parse.GetValue(lockOption)!.FullName,
            parse.GetValue(outOption)!.FullName,
            [.. (parse.GetValue(onlyOption) ?? []).SelectMany(o => o.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
            parse.GetValue(insecureOption) ?? []), output, error, token));
        var root = new RootCommand("Runner Appliance: without arguments, the appliance's web server; with 'artifacts', the build machine's commands.")
        {
            new Command("artifacts", "The offline artifact store's build-machine side (docs/artifacts.md).") { fetch },
        };
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, ct);
    }

    public static async Task<int> FetchAsync(FetchOptions options, TextWriter output, TextWriter error, CancellationToken ct)
    {
        // The environment's proxy settings (HTTP(S)_PROXY, NO_PROXY) and nothing else; bodies as sent, never decompressed.
        using var handler = new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, ConnectTimeout = TimeSpan.FromSeconds(30) };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd($"Runner.Appliance-artifacts/{typeof(ArtifactsCommand).Assembly.GetName().Version?.ToString(3)}");
        try
        {
            var failures = await new ArtifactFetcher(http, output, options).FetchAsync(ct);
            if (failures.Count == 0)
                return 0;
            foreach (var failure in failures)
                await error.WriteLineAsync(failure);
            return 1;
        }
        catch (InvalidDataException e)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await error.WriteLineAsync("Cancelled; what was verified stays, the next run continues.");
            return 1;
        }
    }
}
