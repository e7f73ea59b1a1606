namespace Whereabouts.Core.Config;

/// <summary>
/// Merges the flat file under the inline settings as upstream's <c>mergo.Merge</c> does: every inline value that is
/// unset or zero ("", 0, an empty list) takes the flat file's value; nested <c>kubernetes</c> and <c>dns</c> merge
/// field by field. <c>enable_overlapping_ranges</c> is never taken from the flat file (the caller reads it inline).
/// </summary>
internal static class SettingsMerger
{
    public static IpamSettings Merge(IpamSettings inline, IpamSettings? flat)
    {
        if (flat is null)
        {
            return inline;
        }

        return new IpamSettings
        {
            Origin = inline.Origin,
            Type = inline.Type,
            Range = Pick(inline.Range, flat.Range),
            RangeStart = Pick(inline.RangeStart, flat.RangeStart),
            RangeEnd = Pick(inline.RangeEnd, flat.RangeEnd),
            Exclude = Pick(inline.Exclude, flat.Exclude),
            IpRanges = Pick(inline.IpRanges, flat.IpRanges),
            Gateway = Pick(inline.Gateway, flat.Gateway),
            Routes = Pick(inline.Routes, flat.Routes),
            Dns = MergeDns(inline.Dns, flat.Dns),
            Addresses = Pick(inline.Addresses, flat.Addresses),
            NetworkName = Pick(inline.NetworkName, flat.NetworkName),
            EnableOverlappingRanges = inline.EnableOverlappingRanges,
            NodeSliceSize = Pick(inline.NodeSliceSize, flat.NodeSliceSize),
            SleepForRace = inline.SleepForRace is null or 0 ? flat.SleepForRace : inline.SleepForRace,
            LogFile = Pick(inline.LogFile, flat.LogFile),
            LogLevel = Pick(inline.LogLevel, flat.LogLevel),
            ReconcilerCronExpression = Pick(inline.ReconcilerCronExpression, flat.ReconcilerCronExpression),
            Kubeconfig = Pick(inline.Kubeconfig, flat.Kubeconfig),
            K8sApiRoot = Pick(inline.K8sApiRoot, flat.K8sApiRoot),
            ConfigurationPath = Pick(inline.ConfigurationPath, flat.ConfigurationPath),
            Datastore = Pick(inline.Datastore, flat.Datastore),
            DataDir = Pick(inline.DataDir, flat.DataDir),
            AgentSocket = Pick(inline.AgentSocket, flat.AgentSocket),
        };
    }

    private static string? Pick(string? inline, string? flat) => string.IsNullOrEmpty(inline) ? flat : inline;

    private static List<T>? Pick<T>(List<T>? inline, List<T>? flat) => inline is { Count: > 0 } ? inline : flat;

    private static IpamSettings.RawDns? MergeDns(IpamSettings.RawDns? inline, IpamSettings.RawDns? flat)
    {
        if (inline is null || flat is null)
        {
            return inline ?? flat;
        }

        return new IpamSettings.RawDns(
            Pick(inline.Nameservers, flat.Nameservers),
            Pick(inline.Domain, flat.Domain),
            Pick(inline.Search, flat.Search),
            Pick(inline.Options, flat.Options));
    }
}
