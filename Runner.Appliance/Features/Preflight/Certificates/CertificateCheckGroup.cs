using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Runner.Appliance.Features.Preflight.Certificates;

/// <summary>The site TLS certificate of the security step, read from its PEM: nothing is contacted.</summary>
internal sealed class CertificateCheckGroup : CheckGroup
{
    private const string Category = "TLS certificate";
    private static readonly TimeSpan WarnBefore = TimeSpan.FromDays(30);
    private readonly string _pem;
    private readonly string? _key;
    private readonly IReadOnlyList<string> _names;
    private readonly TimeProvider _clock;
    private readonly CheckDefinition _chain, _keyMatch, _validity, _sans;

    public CertificateCheckGroup(string pem, string? key, IReadOnlyList<string> names, TimeProvider clock, TimeSpan timeout) : base("security", timeout)
    {
        (_pem, _key, _names, _clock) = (pem, key, names, clock);
        FieldRef Target(string field) => FieldRef.ForStep("wizard/security", "TLS certificate", field);
        _chain = Define("security.certificate.chain", Category, "Certificate chain is complete", CheckSeverity.Blocking, Target("certificatePem"));
        _keyMatch = Define("security.certificate.key", Category, "Private key matches the certificate", CheckSeverity.Blocking, Target("privateKey"));
        _validity = Define("security.certificate.validity", Category, "Certificate is valid now and for 30 days", CheckSeverity.Blocking, Target("certificatePem"));
        _sans = Define("security.certificate.names", Category, "Certificate covers the platform's names", CheckSeverity.Blocking, Target("certificatePem"));
    }

    public override Task RunAsync(CheckReport report, CancellationToken ct)
    {
        X509Certificate2Collection bundle = [];
        try
        {
            bundle.ImportFromPem(_pem);
        }
        catch (CryptographicException)
        {
            report.Report(_chain, CheckOutcome.Failed("The certificate is not PEM text; expected -----BEGIN CERTIFICATE----- blocks, the server certificate first."));
        }
        if (bundle.Count == 0)
        {
            Stop(report, _chain, CheckOutcome.Failed("The certificate field holds no certificate."), "No certificate to check.");
            return Task.CompletedTask;
        }
        var leaf = bundle[0];
        report.Report(_chain, CertificateChain.Check(leaf, bundle));
        report.Report(_keyMatch, KeyMatch(leaf));
        report.Report(_validity, Validity(leaf));
        report.Report(_sans, Names(leaf));
        return Task.CompletedTask;
    }

    private CheckOutcome KeyMatch(X509Certificate2 leaf)
    {
        if (string.IsNullOrEmpty(_key))
            return CheckOutcome.Failed("No private key is stored for the certificate; upload the key it was issued for.");
        if (PublicHalfOf(_key) is not var (publicHalf, kind))
            return CheckOutcome.Failed("The private key is not an unencrypted PEM RSA or EC key (PKCS#1, SEC1 or PKCS#8).");
        return publicHalf.AsSpan().SequenceEqual(leaf.PublicKey.ExportSubjectPublicKeyInfo())
            ? CheckOutcome.Passed($"The private key ({kind}) belongs to {leaf.Subject}.")
            : CheckOutcome.Failed($"The private key does not belong to {leaf.Subject}: its public half differs. Upload the key this certificate was issued for.");
    }

    /// <summary>The public half (SubjectPublicKeyInfo) of an RSA or EC PEM key, and what it is; null when it is neither.</summary>
    private static (byte[] PublicHalf, string Kind)? PublicHalfOf(string keyPem)
    {
        foreach (var create in new Func<AsymmetricAlgorithm>[] { RSA.Create, ECDsa.Create })
        {
            using var algorithm = create();
            try
            {
                algorithm.ImportFromPem(keyPem);
                return (algorithm.ExportSubjectPublicKeyInfo(), $"{algorithm.KeySize}-bit {algorithm.GetType().Name.Replace("Implementation", "", StringComparison.Ordinal)}");
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                // Not this algorithm: try the next one.
            }
        }
        return null;
    }

    private CheckOutcome Validity(X509Certificate2 leaf)
    {
        var now = _clock.GetUtcNow();
        var (from, until) = (new DateTimeOffset(leaf.NotBefore.ToUniversalTime()), new DateTimeOffset(leaf.NotAfter.ToUniversalTime()));
        if (until < now)
            return CheckOutcome.Failed($"The certificate expired on {until:yyyy-MM-dd HH:mm} UTC; upload a renewed certificate.");
        if (from > now)
            return CheckOutcome.Failed($"The certificate is not valid before {from:yyyy-MM-dd HH:mm} UTC; check the appliance clock or the certificate.");
        var left = until - now;
        return left < WarnBefore
            ? CheckOutcome.Warn($"The certificate expires in {left.Days} days ({until:yyyy-MM-dd}); renew it before the platform goes live.")
            : CheckOutcome.Passed($"Valid until {until:yyyy-MM-dd} ({left.Days} days).");
    }

    private CheckOutcome Names(X509Certificate2 leaf)
    {
        var sans = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToList();
        if (_names.Count == 0)
            return CheckOutcome.Skipped("No base domain yet (Products step): the names to cover are not known.");
        var missing = _names.Where(n => !sans.Any(san => Covers(san, n))).ToList();
        if (missing.Count == 0)
            return CheckOutcome.Passed($"Covers all {_names.Count} published names ({string.Join(", ", sans)}).");
        var domain = _names[0][(_names[0].IndexOf('.', StringComparison.Ordinal) + 1)..];
        return CheckOutcome.Failed($"The certificate does not cover {string.Join(", ", missing)} (its names: {(sans.Count == 0 ? "none" : string.Join(", ", sans))}); " +
            $"expected *.{domain} or each name.");
    }

    /// <summary>RFC 6125: a wildcard covers exactly one left-most label.</summary>
    private static bool Covers(string san, string name) =>
        san.StartsWith("*.", StringComparison.Ordinal)
            ? name.IndexOf('.', StringComparison.Ordinal) is var dot and > 0 && string.Equals(name[(dot + 1)..], san[2..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(san, name, StringComparison.OrdinalIgnoreCase);
}
