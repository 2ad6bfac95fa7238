namespace Runner.Appliance.Engine;

/// <summary>The <c>Appliance:Engine</c> section.</summary>
public sealed class EngineOptions
{
    public const string Section = "Appliance:Engine";

    /// <summary>The ansible/ tree (catalog, roles, playbooks, callback plugin); relative to the content root.</summary>
    public string AnsibleDirectory { get; set; } = "../ansible";

    public string PlaybookCommand { get; set; } = "ansible-playbook";

    /// <summary>
    /// The python3 that runs the guard (ansible/libexec/runner-guard.py) of every role run. An absolute
    /// path keeps PATH shims (pyenv) out of it: they add ~0.1 s and change the environment ansible sees.
    /// </summary>
    public string GuardPython { get; set; } = "/usr/bin/python3";

    /// <summary>
    /// Where role runs keep their secrets (a directory on tmpfs). Default: $RUNTIME_DIRECTORY (systemd),
    /// else /run/runner-appliance, else /dev/shm/runner-appliance-{uid}; see <see cref="SecretsDirectory"/>.
    /// </summary>
    public string? SecretsDirectory { get; set; }

    /// <summary>After SIGINT, how long a cancelled role may take to stop before its process group is killed.</summary>
    public TimeSpan CancelGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Events of runs that ended longer ago than this are deleted (the runs and their role results stay).</summary>
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(90);
}
