using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Features.Configuration;
using Runner.Appliance.Features.Flows;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.Wizard;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Features.Zones;
using Runner.Appliance.Security;

namespace Runner.Appliance.Data;

/// <summary>The appliance's one store: accounts, configuration, runs and events.</summary>
public sealed class ApplianceDb(DbContextOptions<ApplianceDb> options) : IdentityDbContext<ApplianceUser>(options)
{
    public DbSet<StoredSecret> StoredSecrets => Set<StoredSecret>();

    public DbSet<GeneralSettings> GeneralSettings => Set<GeneralSettings>();

    public DbSet<Zone> Zones => Set<Zone>();

    public DbSet<Hypervisor> Hypervisors => Set<Hypervisor>();

    public DbSet<DatabaseServer> DatabaseServers => Set<DatabaseServer>();

    public DbSet<LdapDirectory> LdapDirectories => Set<LdapDirectory>();

    public DbSet<SmtpServer> SmtpServers => Set<SmtpServer>();

    public DbSet<SmsProvider> SmsProviders => Set<SmsProvider>();

    public DbSet<FlowRule> FlowRules => Set<FlowRule>();

    public DbSet<Features.SecuritySettings.SecuritySettings> SecuritySettings => Set<Features.SecuritySettings.SecuritySettings>();

    public DbSet<MonitoringEndpoint> MonitoringEndpoints => Set<MonitoringEndpoint>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<WizardProgress> WizardProgress => Set<WizardProgress>();

    public DbSet<VirtualMachine> VirtualMachines => Set<VirtualMachine>();

    public DbSet<ArchitectureGeneration> ArchitectureGenerations => Set<ArchitectureGeneration>();

    public DbSet<ClusterCapacity> ClusterCapacities => Set<ClusterCapacity>();

    public DbSet<DatastoreCapacity> DatastoreCapacities => Set<DatastoreCapacity>();

    public DbSet<Engine.DeploymentRun> DeploymentRuns => Set<Engine.DeploymentRun>();

    public DbSet<Engine.RoleRun> RoleRuns => Set<Engine.RoleRun>();

    public DbSet<Engine.RunStart> RunStarts => Set<Engine.RunStart>();

    public DbSet<Engine.RunEvent> RunEvents => Set<Engine.RunEvent>();

    public DbSet<Features.Preflight.PreflightRun> PreflightRuns => Set<Features.Preflight.PreflightRun>();

    public DbSet<Features.Preflight.PreflightResult> PreflightResults => Set<Features.Preflight.PreflightResult>();

    public DbSet<Features.AnswerFile.ConfigurationCopy> ConfigurationCopies => Set<Features.AnswerFile.ConfigurationCopy>();

    public DbSet<Features.Artifacts.StoredArtifact> StoredArtifacts => Set<Features.Artifacts.StoredArtifact>();

    public DbSet<Features.Artifacts.ArtifactFile> ArtifactFiles => Set<Features.Artifacts.ArtifactFile>();

    public DbSet<Features.Artifacts.ArtifactImport> ArtifactImports => Set<Features.Artifacts.ArtifactImport>();

    public DbSet<Features.Artifacts.ArtifactRefusal> ArtifactRefusals => Set<Features.Artifacts.ArtifactRefusal>();

    public DbSet<Features.Credentials.RoleOutput> RoleOutputs => Set<Features.Credentials.RoleOutput>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ApplianceDb).Assembly);
    }
}
