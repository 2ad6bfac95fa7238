using System.Runtime.InteropServices;

namespace Runner.Appliance.Engine;

/// <summary>What .NET does not say or do about a file on Linux: its owner, whether its filesystem lives in memory, early write-back.</summary>
internal static class UnixFiles
{
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxTypeModeUid = 0x1 | 0x2 | 0x8;
    private const uint TmpfsMagic = 0x01021994;
    private const uint RamfsMagic = 0x858458F6;

    public static uint EffectiveUserId => GetEffectiveUserId();

    /// <summary>The owner of <paramref name="path"/> and whether it is a real directory (a symbolic link is not); null if it cannot be read.</summary>
    public static (uint Owner, bool IsDirectory)? Describe(string path)
    {
        // struct statx has the same layout on every architecture: stx_uid at 20, stx_mode at 28.
        var buffer = new byte[256];
        if (Statx(AtCurrentDirectory, path, AtSymlinkNoFollow, StatxTypeModeUid, buffer) != 0)
            return null;
        var mode = BitConverter.ToUInt16(buffer, 28);
        return (BitConverter.ToUInt32(buffer, 20), (mode & 0xF000) == 0x4000);
    }

    /// <summary>Whether <paramref name="path"/> is on tmpfs or ramfs, whose content no crash or power cut keeps.</summary>
    public static bool IsInMemory(string path)
    {
        // f_type, the first field of struct statfs, is a machine word (__fsword_t).
        var buffer = new byte[512];
        if (StatFs(path, buffer) != 0)
            return false;
        var type = IntPtr.Size == 8 ? (uint)BitConverter.ToUInt64(buffer, 0) : BitConverter.ToUInt32(buffer, 0);
        return type is TmpfsMagic or RamfsMagic;
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "statfs", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int StatFs([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

    /// <summary>
    /// Starts writing back the dirty pages of a range of an open file (sync_file_range, SYNC_FILE_RANGE_WRITE) without waiting
    /// for them: a long copy keeps the disk busy all along instead of piling up the page cache for the final fsync.
    /// A hint only: false where the call is not there (not Linux) or fails, and nothing else changes.
    /// </summary>
    public static bool StartWriteBack(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, long length)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            return SyncFileRange((int)file.DangerousGetHandle(), offset, length, SyncFileRangeWrite) == 0;
        }
        finally
        {
            if (added)
                file.DangerousRelease();
        }
    }

    private const uint SyncFileRangeWrite = 2;

    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SyncFileRange(int fd, long offset, long length, uint flags);

    [DllImport("libc", EntryPoint = "geteuid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint GetEffectiveUserId();
}
