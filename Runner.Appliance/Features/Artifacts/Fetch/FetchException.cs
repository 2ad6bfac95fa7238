namespace Runner.Appliance.Features.Artifacts.Fetch;

/// <summary>An artifact that could not be fetched; the message names it and says why (expected and actual sha256, the server's answer, the tool's error).</summary>
public sealed class FetchException : Exception
{
    public FetchException(string message) : base(message) { }

    public FetchException(string message, Exception inner) : base(message, inner) { }
}
