using System.Buffers;
using System.Security.Cryptography;
using Runner.Appliance.Engine;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>
/// Streams a file through SHA-256, copying it on the way when asked: never the whole file in memory,
/// three 1 MiB buffers, the next read and the last write under way while one is hashed (a USB disk,
/// the hash and the store's disk then work at the same time on the appliance's two cores).
/// </summary>
internal static class FileHashing
{
    public const int BufferSize = 1 << 20;

    /// <summary>How much is written between two starts of write-back.</summary>
    private const long WriteBackEvery = 8L << 20;

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

    /// <summary>
    /// Three buffers in turn: while one is hashed, the next is being read and the last one written, so the source,
    /// the hash and the target work at once. Every <see cref="WriteBackEvery"/> bytes written, their write-back to
    /// the disk is started (<see cref="UnixFiles.StartWriteBack"/>), so the flush at the end waits for little.
    /// </summary>
    private static async Task<(string, long)> PumpAsync(FileStream source, FileStream? target, Action<long> progress, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(BufferSize), ArrayPool<byte>.Shared.Rent(BufferSize), ArrayPool<byte>.Shared.Rent(BufferSize)];
        var reading = source.ReadAsync(buffers[0].AsMemory(0, BufferSize), ct).AsTask();
        var writing = Task.CompletedTask;
        long total = 0, writtenBack = 0;
        try
        {
            int read;
            for (var turn = 0; (read = await reading) > 0; turn++)
            {
                var current = buffers[turn % 3];
                // The buffer read into now is the one written two turns ago: that write was awaited last turn.
                reading = source.ReadAsync(buffers[(turn + 1) % 3].AsMemory(0, BufferSize), ct).AsTask();
                hash.AppendData(current, 0, read);
                if (target is not null)
                {
                    await writing;
                    if (total - writtenBack >= WriteBackEvery)
                    {
                        UnixFiles.StartWriteBack(target.SafeFileHandle, writtenBack, total - writtenBack);
                        writtenBack = total;
                    }
                    writing = target.WriteAsync(current.AsMemory(0, read), ct).AsTask();
                }
                total += read;
                progress(read);
            }
            await writing;
            return (Convert.ToHexStringLower(hash.GetHashAndReset()), total);
        }
        finally
        {
            // A buffer goes back to the pool only once no read or write is still using it.
            await Task.WhenAll(reading, writing).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            foreach (var buffer in buffers)
                ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
