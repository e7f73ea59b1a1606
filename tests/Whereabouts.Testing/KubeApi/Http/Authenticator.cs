using Microsoft.AspNetCore.Http;

namespace Whereabouts.Testing.KubeApi.Http;

/// <summary>Bearer-token authentication against the configured tokens.</summary>
internal sealed class Authenticator
{
    public static readonly KubeApiUser Anonymous = new("system:anonymous", []);

    private readonly IReadOnlyDictionary<string, KubeApiUser> _users;
    private readonly bool _allowAnonymous;

    public Authenticator(IReadOnlyDictionary<string, KubeApiUser> users, bool allowAnonymous)
    {
        _users = users;
        _allowAnonymous = allowAnonymous;
    }

    /// <summary>The user the request authenticates as, or null (401).</summary>
    public KubeApiUser? Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return _allowAnonymous ? Anonymous : null;
        }

        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return _users.GetValueOrDefault(header[Scheme.Length..].Trim());
    }
}
