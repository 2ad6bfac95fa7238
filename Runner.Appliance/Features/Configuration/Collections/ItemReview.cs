using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Configuration.Collections;

/// <summary>One stored item, its display name, and what is wrong with it today (empty when fine).</summary>
public sealed record ItemReview<TDto>(TDto Item, string Name, FieldErrors Problems);
