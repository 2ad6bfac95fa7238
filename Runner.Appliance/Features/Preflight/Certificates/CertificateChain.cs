using System.Security.Cryptography.X509Certificates;

namespace Runner.Appliance.Features.Preflight.Certificates;

/// <summary>
/// Whether a bundle carries the whole chain: from the server certificate up to a root that is either
/// in the bundle (a private CA) or in the appliance's trust store (a public CA). A missing
/// intermediate is named. Nothing is downloaded: the appliance is offline.
/// </summary>
internal static class CertificateChain
{
    public static CheckOutcome Check(X509Certificate2 leaf, X509Certificate2Collection bundle)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;
        var rest = bundle.Skip(1).ToList();
        chain.ChainPolicy.ExtraStore.AddRange(rest.ToArray());
        var roots = rest.Where(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData)).ToList();
        if (roots.Count > 0)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots.ToArray());
        }
        chain.Build(leaf);
        var path = chain.ChainElements.Select(e => e.Certificate).ToList();
        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        var names = string.Join(" → ", path.Select(c => c.GetNameInfo(X509NameType.SimpleName, false)));
        if (flags.HasFlag(X509ChainStatusFlags.PartialChain))
        {
            var top = path[^1];
            return CheckOutcome.Failed($"The chain is incomplete: the issuer of '{top.Subject}' ('{top.Issuer}') is missing. " +
                "Paste the intermediate certificates after the server certificate (and the root if it is a private CA).", detail: names);
        }
        if (flags.HasFlag(X509ChainStatusFlags.NotSignatureValid))
            return CheckOutcome.Failed($"A signature in the chain is invalid ({names}): the certificates do not belong together.", detail: names);
        var trusted = !flags.HasFlag(X509ChainStatusFlags.UntrustedRoot);
        return CheckOutcome.Passed($"{path.Count} certificates: {names}{(roots.Count > 0 ? " (root in the bundle)" : trusted ? " (root in the system store)" : "")}.");
    }
}
