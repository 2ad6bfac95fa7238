namespace Runner.Appliance.Integrations.Vsphere;

/// <summary>A SOAP fault from vSphere: <see cref="FaultType"/> is the vim25 fault ("InvalidLogin", "NotAuthenticated", …).</summary>
public class VsphereFaultException(string faultType, string message) : Exception(message)
{
    public string FaultType { get; } = faultType;
}

/// <summary>The user name or password was refused (fault InvalidLogin).</summary>
public sealed class VsphereLoginRefusedException(string message) : VsphereFaultException("InvalidLogin", message);

/// <summary>The server answered, but not as a vSphere SDK endpoint (an HTML page, a 404, a body that is not SOAP).</summary>
public sealed class VsphereProtocolException(string message) : Exception(message);
