namespace Runner.Appliance.Engine;

/// <summary>The ansible-playbook command line and environment of one role run: nothing else builds them.</summary>
internal static class RoleInvocation
{
    /// <summary>How Ansible logs in to the VMs: the deployment user and its key, from the security step.</summary>
    public static async Task<List<string>> ConnectionAsync(RunInputs inputs, Workspace workspace)
    {
        var arguments = new List<string>();
        if (inputs.Vars["security"]?["deployment_user"]?.GetValue<string>() is { Length: > 0 } user)
            arguments.AddRange(["-e", $"ansible_user={user}"]);
        if (inputs.Secrets["security"]?["ssh_private_key"]?.GetValue<string>() is { Length: > 0 } key)
            arguments.AddRange(["-e", $"ansible_ssh_private_key_file={await workspace.WriteSshKeyAsync(key, inputs.Secrets["security"]?["ssh_passphrase"]?.GetValue<string>())}"]);
        return arguments;
    }

    public static AnsibleInvocation Build(CatalogFile catalog, EngineOptions options, CatalogRole role, Workspace workspace, bool check, IReadOnlyList<string> connection)
    {
        var ansible = catalog.AnsibleDirectory;
        List<string> arguments =
        [
            "-i", workspace.InventoryPath, Path.Combine(ansible, "playbooks", "run_role.yml"),
            "-e", $"role_name={role.Name}", "-e", $"target_hosts={role.HostPattern}",
            "-e", $"@{workspace.VarsPath}", "-e", $"@{workspace.SecretsPath}",
        ];
        arguments.AddRange(connection);
        if (check)
            arguments.AddRange(["--check", "--diff"]);
        var environment = new Dictionary<string, string>
        {
            ["ANSIBLE_STDOUT_CALLBACK"] = "jsonevents",
            ["ANSIBLE_CALLBACK_PLUGINS"] = Path.Combine(ansible, "callback_plugins"),
            ["ANSIBLE_ROLES_PATH"] = Path.Combine(ansible, "roles"),
            ["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "True",
            ["ANSIBLE_LOCAL_TEMP"] = workspace.TempPath,
            ["RUNNER_LOCALHOST_TMP"] = workspace.LocalhostTempPath,
            ["ANSIBLE_HOME"] = workspace.HomePath,
            ["ANSIBLE_SSH_CONTROL_PATH_DIR"] = workspace.ControlPath,
            ["ANSIBLE_PIPELINING"] = "True",
            ["ANSIBLE_HOST_KEY_CHECKING"] = "False",
            ["ANSIBLE_SSH_ARGS"] = $"-o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile={workspace.KnownHostsPath}",
            ["ANSIBLE_TIMEOUT"] = "10",
            ["ANSIBLE_PYTHON_INTERPRETER"] = "auto_silent",
            ["ANSIBLE_RETRY_FILES_ENABLED"] = "False",
            ["ANSIBLE_NOCOLOR"] = "True",
            ["ANSIBLE_LOCALHOST_WARNING"] = "False",
            ["ANSIBLE_FORCE_COLOR"] = "False",
        };
        return new AnsibleInvocation(options.PlaybookCommand, arguments, environment, workspace.Root, [options.GuardPython, catalog.GuardPath]);
    }

    /// <summary>A role run's result from ansible-playbook's exit code (the authority) and what its events said.</summary>
    public static (RoleStatus, string?) Interpret(string role, int exitCode, RoleOutcome outcome, bool cancelled)
    {
        if (exitCode == 0)
            return (RoleStatus.Successful, null);
        if (cancelled)
            return (RoleStatus.Cancelled, $"Role {role} was cancelled (exit {exitCode}).");
        var message = exitCode switch
        {
            4 when outcome.UnreachableHosts.Count > 0 => $"Role {role} failed: host{(outcome.UnreachableHosts.Count > 1 ? "s" : "")} {string.Join(", ", outcome.UnreachableHosts)} unreachable (exit 4).",
            2 or 4 => $"Role {role} failed (exit {exitCode}){(outcome.FailedHosts.Count > 0 ? $" on {string.Join(", ", outcome.FailedHosts)}" : "")}, {outcome.LastError ?? "see its log"}",
            _ => $"Role {role} failed (exit {exitCode}): {outcome.LastError ?? "see its log"}",
        };
        return (RoleStatus.Failed, message);
    }
}
