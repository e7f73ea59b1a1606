using System.Globalization;
using Whereabouts.Testing.KubeApi.Resources;
using Whereabouts.Testing.KubeApi.Status;
using Whereabouts.Testing.KubeApi.Storage;

namespace Whereabouts.Testing.KubeApi.Operations;

/// <summary>Get, list (with kube-apiserver's resourceVersion and paging semantics) and the start of a watch.</summary>
internal sealed class ResourceReader
{
    /// <summary>How long a read waits for a resourceVersion the store has not reached (the watch cache's 3 s).</summary>
    private static readonly TimeSpan FreshnessWait = TimeSpan.FromSeconds(3);

    private const string ListTooOld = "The resourceVersion for the provided list is too old.";

    private const string InconsistentContinue =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without " +
        "the continue parameter, or use the continue token in this response to retrieve the remainder of the results. " +
        "Continuing with the provided token results in an inconsistent list - objects that were created, modified, or " +
        "deleted between the time the first chunk was returned and now may show up in the list.";

    private readonly ObjectStore _store;

    public ResourceReader(ObjectStore store)
    {
        _store = store;
    }

    public StoredObject Get(ResourceDefinition resource, string? namespaceName, string name) =>
        _store.Get(resource, StoredObject.KeyOf(resource, namespaceName, name)) ?? throw ApiErrors.NotFound(resource, name);

    public async Task<ListResult> ListAsync(ResourceDefinition resource, string? namespaceName, ListOptions options, CancellationToken cancellationToken)
    {
        ValidateListOptions(options);
        if (!string.IsNullOrEmpty(options.Continue))
        {
            return ContinueList(resource, namespaceName, options);
        }

        long? at = null;
        var limit = options.Limit;
        switch (options.ResourceVersion)
        {
            case null or "":
                break;
            case "0":
                // Served from the watch cache, which ignores limit for resourceVersion=0.
                limit = 0;
                break;
            default:
                var requested = ParseResourceVersion(options.ResourceVersion);
                await WaitForRevisionAsync(requested, cancellationToken).ConfigureAwait(false);
                var exact = options.ResourceVersionMatch == "Exact" || (options.ResourceVersionMatch is null && limit > 0);
                at = exact ? requested : null;
                break;
        }

        StoreSnapshot snapshot;
        try
        {
            snapshot = _store.List(resource, namespaceName, at);
        }
        catch (StoreExpiredException)
        {
            throw ApiErrors.Expired(ListTooOld);
        }

        return Page(snapshot, namespaceName, options, limit, startKey: null);
    }

    /// <summary>
    /// Registers a watch as the request asks. Throws <see cref="StoreExpiredException"/> for a
    /// resourceVersion outside the retained history (sent to the client as an ERROR event).
    /// </summary>
    public async Task<WatchSubscription> WatchAsync(ResourceDefinition resource, string? namespaceName, ListOptions options, CancellationToken cancellationToken)
    {
        ValidateWatchOptions(options);
        long? from = null;
        if (options.ResourceVersion is { Length: > 0 } and not "0")
        {
            var requested = ParseResourceVersion(options.ResourceVersion);
            await WaitForRevisionAsync(requested, cancellationToken).ConfigureAwait(false);
            from = options.SendInitialEvents == true ? null : requested;
        }
        else if (options.SendInitialEvents == false)
        {
            // "Start at most recent" without the synthetic ADDED events of the current state.
            from = _store.Revision;
        }

        return _store.Watch(resource, namespaceName, options.Labels, options.Fields, from);
    }

    public static long ParseResourceVersion(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : throw ApiErrors.BadRequest($"invalid resource version: strconv.ParseUint: parsing {FieldError.GoQuote(value)}: invalid syntax");

    private ListResult ContinueList(ResourceDefinition resource, string? namespaceName, ListOptions options)
    {
        if (options.ResourceVersion is { Length: > 0 } and not "0")
        {
            throw ApiErrors.BadRequest("specifying resource version is not allowed when using continue");
        }

        var (start, revision) = ContinueToken.Decode(options.Continue!);
        var startKey = namespaceName is null ? start : $"{namespaceName}/{start}";
        StoreSnapshot snapshot;
        try
        {
            snapshot = _store.List(resource, namespaceName, revision == -1 ? null : revision);
        }
        catch (StoreExpiredException)
        {
            throw ApiErrors.Expired(InconsistentContinue, ContinueToken.Encode(start, -1));
        }

        return Page(snapshot, namespaceName, options, options.Limit, startKey);
    }

    private static ListResult Page(StoreSnapshot snapshot, string? namespaceName, ListOptions options, long limit, string? startKey)
    {
        var matching = snapshot.Items
            .Where(o => startKey is null || string.CompareOrdinal(o.Key, startKey) >= 0)
            .Where(o => options.Labels.Matches(o.Labels) && options.Fields.Matches(o.Fields))
            .ToList();
        if (limit <= 0 || matching.Count <= limit)
        {
            return new ListResult(matching, snapshot.Revision, null, null);
        }

        var page = matching.Take((int)Math.Min(limit, int.MaxValue)).ToList();
        var last = page[^1].Key;
        var relative = namespaceName is null ? last : last[(namespaceName.Length + 1)..];
        var token = ContinueToken.Encode(relative + "\0", snapshot.Revision);
        long? remaining = options.Labels.IsEmpty && options.Fields.IsEmpty ? matching.Count - page.Count : null;
        return new ListResult(page, snapshot.Revision, token, remaining);
    }

    private async Task WaitForRevisionAsync(long requested, CancellationToken cancellationToken)
    {
        if (!await _store.WaitForRevisionAsync(requested, FreshnessWait, cancellationToken).ConfigureAwait(false))
        {
            throw ApiErrors.TooLargeResourceVersion(requested, _store.Revision);
        }
    }

    /// <summary>metainternalversion ValidateListOptions for a list.</summary>
    private static void ValidateListOptions(ListOptions options)
    {
        if (options.ResourceVersionMatch is { } match)
        {
            if (string.IsNullOrEmpty(options.ResourceVersion))
            {
                throw ApiErrors.InvalidListOptions(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"));
            }

            if (!string.IsNullOrEmpty(options.Continue))
            {
                throw ApiErrors.InvalidListOptions(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
            }

            if (match is not ("Exact" or "NotOlderThan"))
            {
                throw ApiErrors.InvalidListOptions(FieldError.NotSupported("resourceVersionMatch", match, ["Exact", "NotOlderThan", ""]));
            }

            if (match == "Exact" && options.ResourceVersion == "0")
            {
                throw ApiErrors.InvalidListOptions(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
            }
        }

        if (options.SendInitialEvents is not null)
        {
            throw ApiErrors.InvalidListOptions(FieldError.Forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
        }
    }

    /// <summary>metainternalversion validateWatchOptions.</summary>
    private static void ValidateWatchOptions(ListOptions options)
    {
        var match = options.ResourceVersionMatch;
        if (options.SendInitialEvents is not null && match != "NotOlderThan")
        {
            throw ApiErrors.InvalidListOptions(FieldError.Forbidden("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
        }

        if (match is not null)
        {
            if (options.SendInitialEvents is null)
            {
                throw ApiErrors.InvalidListOptions(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
            }

            if (match != "NotOlderThan")
            {
                throw ApiErrors.InvalidListOptions(FieldError.NotSupported("resourceVersionMatch", match, ["NotOlderThan"]));
            }
        }
    }
}
