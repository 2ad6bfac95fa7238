using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Runner.Appliance.Features.Artifacts;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Artifacts;

/// <summary>Starting imports through the API: what is refused at once, one job at a time, who may, and the statuses before any import.</summary>
public sealed class ArtifactImportApiTests
{
    [Fact]
    public async Task ATreeThatCannotBeRead_IsRefusedAtOnce_NamingThePathAndWhy()
    {
        await using var bed = await ArtifactBed.FourKinds().StartAsync(ArtifactBed.FourKindNames);

        await ExpectPathProblemAsync(bed, bed.Tree.PathOf("nowhere"), "is not a directory on the appliance");
        await ExpectPathProblemAsync(bed, "relative/tree", "An absolute path on the appliance is expected");
        await ExpectPathProblemAsync(bed, bed.Tree.Root, "manifest.json does not exist");
        bed.Tree.WriteManifest();
        await File.AppendAllTextAsync(bed.Tree.PathOf("manifest.json"), " ");
        await ExpectPathProblemAsync(bed, bed.Tree.Root, "the manifest is damaged or was changed");
        await ExpectPathProblemAsync(bed, bed.StorePath, "overlaps the appliance's own artifact store");
        var tooLong = await bed.Admin.PostAsJsonAsync("/api/v1/artifacts/import", new { path = "/" + new string('a', 5000) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("at most 4,096", (await Api.ProblemAsync(tooLong)).GetProperty("errors").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnArtifactNoRoleOfThePlanNeeds_IsNotNeededWhileMissing_AndPresentOnceImported()
    {
        await using var bed = await ArtifactBed.FourKinds().StartAsync(["registry"]);
        bed.Tree.WriteManifest();

        var before = await bed.ArtifactsAsync();
        Assert.Equal("Missing", ArtifactBed.Status(before, "registry"));
        Assert.Equal("NotNeeded", ArtifactBed.Status(before, "rancher-monitoring"));
        Assert.Empty(before["rancher-monitoring"].GetProperty("roles").EnumerateArray());

        await bed.ImportAsync();

        var after = await bed.ArtifactsAsync();
        Assert.All(ArtifactBed.FourKindNames, a => Assert.Equal("Present", ArtifactBed.Status(after, a)));
    }

    [Fact]
    public async Task OneJobAtATime_ItsProgressReadableWhileItRuns_AndOnlyAnAdminStartsOrCancelsOne()
    {
        await using var bed = await ArtifactBed.FourKinds().StartAsync(ArtifactBed.FourKindNames);
        bed.Tree.WriteManifest();
        using var hold = new ManualResetEventSlim();
        // The job reports on its own thread: holding the first report holds the import there.
        using var news = bed.Host.Services.GetRequiredService<ArtifactNotifier>().Subscribe(n =>
        {
            if (n is ImportProgressed)
                hold.Wait(TimeSpan.FromSeconds(30));
        });

        var id = await bed.StartImportAsync();
        try
        {
            var second = await bed.Admin.PostAsJsonAsync("/api/v1/artifacts/import", new { path = bed.Tree.Root });
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            Assert.Equal($"Import {id} is running; wait for it to end, or cancel it.", (await Api.ProblemAsync(second)).GetProperty("detail").GetString());
            Assert.Equal(HttpStatusCode.Conflict, (await bed.Admin.PostAsync("/api/v1/artifacts/verify", null)).StatusCode);
            var live = await bed.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/artifacts/imports/{id}");
            Assert.Equal("Running", live.GetProperty("status").GetString());
            Assert.Equal(13, live.GetProperty("filesTotal").GetInt32());
            await Api.CreateUserAsync(bed.Admin, "operator1", "Operator", "operator-password-1");
            var operatorClient = bed.Host.CreateClient().WithToken(await Api.TokenAsync(bed.Host.CreateClient(), "operator1", "operator-password-1"));
            Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsJsonAsync("/api/v1/artifacts/import", new { path = bed.Tree.Root })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsync($"/api/v1/artifacts/imports/{id}/cancel", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync("/api/v1/artifacts")).StatusCode);
        }
        finally
        {
            hold.Set();
        }

        ArtifactBed.AssertCompleted(await bed.EndedAsync(id));
        Assert.Equal(HttpStatusCode.Conflict, (await bed.Admin.PostAsync($"/api/v1/artifacts/imports/{id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bed.Admin.PostAsync("/api/v1/artifacts/imports/999/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bed.Admin.GetAsync("/api/v1/artifacts/imports/999")).StatusCode);
    }

    private static async Task ExpectPathProblemAsync(ArtifactBed bed, string path, string words)
    {
        var response = await bed.Admin.PostAsJsonAsync("/api/v1/artifacts/import", new { path });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Api.ProblemAsync(response);
        Assert.Contains(words, problem.GetProperty("errors").GetProperty("path")[0].GetString(), StringComparison.Ordinal);
    }
}
