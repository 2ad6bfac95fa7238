using Runner.Appliance.Features.Wizard;

namespace Runner.Appliance.Features.Preflight.Review;

/// <summary>The Review step's problems, read from the store.</summary>
internal sealed class ReviewCheckGroup : CheckGroup
{
    private readonly ReviewService _review;
    private readonly CheckDefinition _complete;

    public ReviewCheckGroup(ReviewService review, TimeSpan timeout) : base("configuration", timeout)
    {
        _review = review;
        _complete = Define("configuration.complete", "Configuration", "The configuration is complete (Review step)", CheckSeverity.Blocking,
            new FieldRef("Review", "Configuration", "", "wizard/review"));
    }

    public override async Task RunAsync(CheckReport report, CancellationToken ct)
    {
        var result = await _review.ReviewAsync(ct);
        var problems = result.Problems;
        report.Report(_complete, problems.Count == 0
            ? CheckOutcome.Passed($"Complete: {string.Join("; ", result.Areas.Where(a => a.Items.Count > 0).Select(a => $"{a.Title} ({a.Items.Count})"))}.")
            : CheckOutcome.Failed($"{problems.Count} {(problems.Count == 1 ? "problem" : "problems")} in the configuration: "
                + string.Join("; ", problems.Take(4).Select(p => $"{p.Step} › {p.Item}: {p.Message}")) + (problems.Count > 4 ? "; …" : "") + " Open the Review step.",
                detail: string.Join("\n", problems.Select(p => $"{p.Step} › {p.Item} › {p.Field}: {p.Message}"))));
    }
}
