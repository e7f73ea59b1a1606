namespace Whereabouts.Cni;

/// <summary>Well-known CNI error codes (spec §5 "Error"; 999 is the Go library's internal code).</summary>
public static class CniErrorCodes
{
    /// <summary>The configuration's <c>cniVersion</c> is not supported, or does not allow the command.</summary>
    public const int IncompatibleVersion = 1;

    /// <summary>A configuration field is not supported; the message names key and value.</summary>
    public const int UnsupportedField = 2;

    /// <summary>The container is unknown; the runtime need not clean up.</summary>
    public const int UnknownContainer = 3;

    /// <summary>A <c>CNI_*</c> environment variable is missing or invalid.</summary>
    public const int InvalidEnvironment = 4;

    /// <summary>I/O failure, such as reading stdin.</summary>
    public const int IoFailure = 5;

    /// <summary>The configuration or a value in it could not be decoded.</summary>
    public const int DecodingFailure = 6;

    /// <summary>The network configuration is invalid.</summary>
    public const int InvalidNetworkConfig = 7;

    /// <summary>A transient failure; the runtime may retry.</summary>
    public const int TryAgainLater = 11;

    /// <summary>STATUS: the plugin cannot serve ADD.</summary>
    public const int PluginNotAvailable = 50;

    /// <summary>STATUS: the plugin cannot serve ADD and existing containers may have limited connectivity.</summary>
    public const int LimitedConnectivity = 51;

    /// <summary>Any other failure; what the reference library reports for plain errors.</summary>
    public const int Internal = 999;
}
