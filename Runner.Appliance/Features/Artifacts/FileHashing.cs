using System.Buffers;
using System.Security.Cryptography;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>
/// Streams a file through SHA-256, copying it on the way when asked: never the whole file in memory,
/// two 1 MiB buffers, the next read under way while the last one is hashed and written (a USB disk
/// and the hash then work at the same time on the appliance's two cores).
/// </summary>
internal static class FileHashing
{
    public const int BufferSize = 1 << 20;

    public static async Task<(string Sha256, long Length)> HashAsync(string path, Action<long> progress, CancellationToken ct)
    {
        await using var source = OpenRead(path);
        return await PumpAsync(source, null, progress, ct);
    }

    /// <summary>Copies <paramref name="source"/> to a new file <paramref name="target"/> (flushed to disk) and returns what was read.</summary>
    public static async Task<(string Sha256, long Length)> CopyAsync(string source, string target, long expectedLength, Action<long> progress, CancellationToken ct)
    {
        await using var input = OpenRead(source);
        await using var output = new FileStream(target, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0,
            Options = FileOptions.Asynchronous, PreallocationSize = Math.Max(0, expectedLength),
        });
        var result = await PumpAsync(input, output, progress, ct);
        // A file is recorded as verified only once its bytes are on the disk, not in the page cache.
#pragma warning disable CA1849 // there is no asynchronous fsync; this is the one blocking call per file, after its last byte
        output.Flush(flushToDisk: true);
#pragma warning restore CA1849
        return result;
    }

    private static FileStream OpenRead(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read, BufferSize = 0,
        Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
    });

    private static async Task<(string, long)> PumpAsync(FileStream source, FileStream? target, Action<long> progress, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var current = ArrayPool<byte>.Shared.Rent(BufferSize);
        var next = ArrayPool<byte>.Shared.Rent(BufferSize);
        var reading = source.ReadAsync(current.AsMemory(0, BufferSize), ct).AsTask();
        long total = 0;
        try
        {
            int read;
            while ((read = await reading) > 0)
            {
                reading = source.ReadAsync(next.AsMemory(0, BufferSize), ct).AsTask();
                hash.AppendData(current, 0, read);
                if (target is not null)
                    await target.WriteAsync(current.AsMemory(0, read), ct);
                total += read;
                progress(read);
                (current, next) = (next, current);
            }
            return (Convert.ToHexStringLower(hash.GetHashAndReset()), total);
        }
        finally
        {
            // A buffer goes back to the pool only once no read is still filling it.
            await reading.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }
    }
}
