using System.Diagnostics;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>
/// An import's counters, read by pages while the import moves them: bytes and files done, bytes read,
/// the rate over the last few seconds (what a USB disk gives now, not since the start) and the time left at it.
/// Bytes a resumed import had verified before count as done, not in the rate.
/// </summary>
internal sealed class ImportMeter(ArtifactImport row, TimeSpan interval)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private readonly Queue<(long At, long Read)> _samples = new();
    private readonly List<string> _stored = [];
    private readonly List<ArtifactRefusal> _refusals = [];
    private long _done, _copied, _read, _total;
    private int _files, _filesTotal;
    private string? _current;
    private long _lastReport = -1;

    public int Id => row.Id;

    public void Totals(long bytes, int files)
    {
        lock (_gate)
            (_total, _filesTotal) = (bytes, files);
    }

    public void Begin(string path)
    {
        lock (_gate)
            _current = path;
    }

    /// <summary>Bytes read and hashed; <paramref name="copied"/> when also written from the tree.</summary>
    public void Read(long bytes, bool copied)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _done += bytes;
            _read += bytes;
            if (copied)
                _copied += bytes;
            if (_samples.Count == 0 || Stopwatch.GetElapsedTime(_samples.Last().At, now) >= TimeSpan.FromMilliseconds(100))
                _samples.Enqueue((now, _read));
            while (_samples.Count > 2 && Stopwatch.GetElapsedTime(_samples.Peek().At, now) > Window)
                _samples.Dequeue();
        }
    }

    /// <summary>Done without reading: verified by an earlier import, or refused.</summary>
    public void Skip(long bytes)
    {
        lock (_gate)
            _done += bytes;
    }

    public void FileDone()
    {
        lock (_gate)
            _files++;
    }

    public void Refuse(ArtifactRefusal refusal)
    {
        lock (_gate)
            _refusals.Add(refusal);
    }

    public IReadOnlyList<ArtifactRefusal> Refusals { get { lock (_gate) return [.. _refusals]; } }

    public IReadOnlyList<string> StoredArtifacts { get { lock (_gate) return [.. _stored]; } }

    public void Stored(string artifact)
    {
        lock (_gate)
            _stored.Add(artifact);
    }

    /// <summary>True at most once per interval: time to tell the pages.</summary>
    public bool Due()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (_lastReport >= 0 && Stopwatch.GetElapsedTime(_lastReport, now) < interval)
                return false;
            _lastReport = now;
            return true;
        }
    }

    /// <summary>Copies the counters onto the import's row, to be stored.</summary>
    public void Apply(ArtifactImport target)
    {
        lock (_gate)
            (target.BytesDone, target.BytesTotal, target.BytesCopied, target.FilesDone, target.FilesTotal) = (_done, _total, _copied, _files, _filesTotal);
    }

    public ImportView Snapshot(ImportStatus status = ImportStatus.Running, DateTimeOffset? ended = null, string? message = null)
    {
        lock (_gate)
        {
            var rate = Rate();
            double? left = rate > 0 ? (_total - _done) / rate : null;
            return new ImportView(row.Id, row.Kind, row.Path, row.StartedBy, row.StartedAt, ended, status, _done, _total, _files, _filesTotal, _copied,
                rate, status == ImportStatus.Running ? left : null, status == ImportStatus.Running ? _current : null, message, [.. _stored],
                [.. _refusals.Select(r => new RefusalView(r.Kind, r.Artifact, r.Path, r.Message))]);
        }
    }

    private double Rate()
    {
        if (_samples.Count < 2)
            return 0;
        var (firstAt, firstRead) = _samples.Peek();
        var (lastAt, lastRead) = _samples.Last();
        var seconds = Stopwatch.GetElapsedTime(firstAt, lastAt).TotalSeconds;
        return seconds > 0 ? (lastRead - firstRead) / seconds : 0;
    }
}
