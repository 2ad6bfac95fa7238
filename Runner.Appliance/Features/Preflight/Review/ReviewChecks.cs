using Microsoft.Extensions.Options;
using Runner.Appliance.Features.Wizard;

namespace Runner.Appliance.Features.Preflight.Review;

/// <summary>
/// The configuration is whole before anything is probed against it: the Review step's problems
/// (a missing zone, an architecture not generated or out of date, a field that breaks a rule).
/// </summary>
public sealed class ReviewChecks(ReviewService review, IOptions<PreflightOptions> options) : IPreflightSource
{
    public IEnumerable<CheckGroup> Groups(PreflightInputs inputs)
    {
        yield return new ReviewCheckGroup(review, options.Value.CheckTimeout);
    }
}
