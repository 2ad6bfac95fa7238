using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Runner.Appliance.Features.Artifacts.Fetch;

/// <summary>
/// One pinned file of the tree: kept when it is there with its sha256; otherwise streamed from its URL to
/// <c>&lt;file&gt;.part</c>, hashed and counted while it streams, and renamed only when size and sha256 are the
/// lock's. A <c>.part</c> left by an interrupted run is continued with a Range request when the server allows.
/// </summary>
public sealed class FileFetcher(HttpClient http, FetchState state, FetchReport report, FetchOptions options)
{
    private const int BufferSize = 256 * 1024;

    public string Tree => options.OutDirectory;

    public async Task EnsureAsync(string artifact, string relative, string url, string sha256, long size, CancellationToken ct)
    {
        var full = Path.Combine(Tree, relative);
        if (File.Exists(full))
        {
            var rehash = state.Unchanged(Tree, relative) is null;
            var length = new FileInfo(full).Length;
            var actual = length == size ? await state.HashAsync(Tree, relative, ct) : null;
            if (actual == sha256)
            {
                report.Present(size, rehash);
                return;
            }
            report.Note($"{relative}: corrupt ({(actual is null ? $"{length} bytes, expected {size}" : $"sha256 {actual}, expected {sha256}")}): fetching it again");
            File.Delete(full);
            state.Files.Remove(relative);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // Twice at most: a server refusing the range of a .part (416) gets one request for the whole file.
        while (!await DownloadAsync(artifact, relative, url, sha256, size, ct))
            File.Delete(full + ".part");
        state.Record(Tree, relative, sha256);
        await state.SaveAsync(Tree, ct);
    }

    /// <returns>False when the server refused to continue the .part: start again from nothing.</returns>
    private async Task<bool> DownloadAsync(string artifact, string relative, string url, string sha256, long size, CancellationToken ct)
    {
        var part = Path.Combine(Tree, relative) + ".part";
        var have = File.Exists(part) ? new FileInfo(part).Length : 0;
        if (have >= size)
        {
            // As long as the whole file yet never renamed: it failed its check, or changed since. Take no chance.
            File.Delete(part);
            have = 0;
        }
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        idle.CancelAfter(options.IdleTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0)
            request.Headers.Range = new RangeHeaderValue(have, null);
        var clock = Stopwatch.StartNew();
        using var response = await Guard(artifact, url, () => http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, idle.Token), ct);
        if (have > 0 && response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            return false;
        if (!response.IsSuccessStatusCode)
            throw new FetchException($"{artifact}: GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        var resumed = have > 0 && response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == have;
        if (!resumed)
            have = 0; // the server sends the whole file (200): it ignores ranges
        if (response.Content.Headers.ContentLength is { } length && have + length != size)
        {
            File.Delete(part);
            throw new FetchException($"{artifact}: {url} is {have + length} bytes; the lock says {size}. Nothing kept.");
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (resumed)
            await HashExistingAsync(part, hash, ct);
        report.StartDownload(relative, have);
        var done = await CopyAsync(artifact, relative, url, response, part, resumed, have, size, hash, idle, ct);
        if (done != size)
            throw new FetchException($"{artifact}: {url} ended after {done} of {size} bytes; {relative}.part is kept, the next run continues it.");
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != sha256)
        {
            File.Delete(part);
            throw new FetchException($"{artifact}: sha256 mismatch for {relative} from {url}: expected {sha256}, got {actual}. The download was deleted.");
        }
        File.Move(part, Path.Combine(Tree, relative), overwrite: true);
        report.Downloaded(clock.Elapsed);
        return true;
    }

    private async Task<long> CopyAsync(string artifact, string relative, string url, HttpResponseMessage response, string part, bool append, long have, long size,
        IncrementalHash hash, CancellationTokenSource idle, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var clock = Stopwatch.StartNew();
        var done = have;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            await using var file = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            while (true)
            {
                var read = await Guard(artifact, url, () => body.ReadAsync(buffer.AsMemory(0, BufferSize), idle.Token).AsTask(), ct);
                if (read == 0)
                    break;
                idle.CancelAfter(options.IdleTimeout);
                done += read;
                if (done > size)
                {
                    await file.DisposeAsync();
                    File.Delete(part);
                    throw new FetchException($"{artifact}: {url} sends more than the lock's {size} bytes. Nothing kept.");
                }
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
                report.Received(relative, done, size, read, clock.Elapsed);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return done;
    }

    private static async Task HashExistingAsync(string part, IncrementalHash hash, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var file = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
            int read;
            while ((read = await file.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
                hash.AppendData(buffer, 0, read);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Network failures and silence as a <see cref="FetchException"/> naming the artifact; the caller's cancel stays a cancel.</summary>
    private async Task<T> Guard<T>(string artifact, string url, Func<Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call();
        }
        catch (HttpRequestException e)
        {
            throw new FetchException($"{artifact}: GET {url} failed: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new FetchException($"{artifact}: GET {url} broke off: {e.Message}; what arrived is kept, the next run continues it.", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new FetchException($"{artifact}: GET {url}: nothing received for {options.IdleTimeout.TotalSeconds:0} s; what arrived is kept, the next run continues it.", e);
        }
    }
}
