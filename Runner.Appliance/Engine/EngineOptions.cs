namespace Runner.Appliance.Engine;

/// <summary>The <c>Appliance:Engine</c> section.</summary>
public sealed class EngineOptions
{
    public const string Section = "Appliance:Engine";

    /// <summary>The ansible/ tree (catalog, roles, playbooks, callback plugin); relative to the content root.</summary>
    public string AnsibleDirectory { get; set; } = "../ansible";

    public string PlaybookCommand { get; set; } = "ansible-playbook";

    /// <summary>After SIGINT, how long a cancelled role may take to stop before its process group is killed.</summary>
    public TimeSpan CancelGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Events of runs that ended longer ago than this are deleted (the runs and their role results stay).</summary>
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(90);
}
