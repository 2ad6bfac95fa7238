using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Runner.Appliance.Security;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Configuration.Collections;

/// <summary>
/// The behaviour every item editor dialog shares: edit a private copy, save through the
/// collection's service, show each error under its field, report a concurrent change.
/// </summary>
public abstract class CollectionEditorBase<TEntity, TDto> : ComponentBase
    where TEntity : class, IConfigEntity, new()
    where TDto : class, IConfigDto
{
    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <summary>The item to edit; null to create one.</summary>
    [Parameter] public TDto? Item { get; set; }

    [Parameter, EditorRequired] public ConfigCollectionService<TEntity, TDto> Service { get; set; } = default!;

    /// <summary>Problems to show at once (the dialog was opened from the Review step).</summary>
    [Parameter] public FieldErrors? InitialErrors { get; set; }

    protected TDto Model { get; private set; } = default!;

    protected FieldErrors Errors { get; private set; } = new();

    protected string? Conflict { get; private set; }

    protected bool Saving { get; private set; }

    protected abstract TDto NewItem();

    protected abstract TDto CopyOf(TDto item);

    /// <summary>Moves form-only state (secret inputs, list text) into the model before saving.</summary>
    protected virtual void BeforeSave() { }

    protected override void OnInitialized()
    {
        Model = Item is null ? NewItem() : CopyOf(Item);
        Errors = InitialErrors ?? new FieldErrors();
    }

    protected void Cancel() => Dialog.Cancel();

    protected async Task SaveAsync()
    {
        Saving = true;
        BeforeSave();
        var actor = await AuthenticationState.ActorNameAsync();
        var outcome = Item is null ? (await Service.CreateAsync(Model, actor)).Outcome : await Service.UpdateAsync(Item.Id, Model, actor);
        Saving = false;
        Errors = outcome.Errors;
        Conflict = outcome.Kind is OutcomeKind.Conflict or OutcomeKind.NotFound ? outcome.Message : null;
        if (outcome.Succeeded)
            Dialog.Close(DialogResult.Ok(true));
    }
}
