namespace Whereabouts.Controller.Reconcile;

/// <summary>A pod reference as allocations and reservations store it: <c>namespace/name</c>.</summary>
internal readonly record struct PodRef(string Namespace, string Name)
{
    /// <summary>Reads <c>namespace/name</c>; false for anything else (empty, no slash, more than one, an empty part).</summary>
    public static bool TryParse(string? text, out PodRef podRef)
    {
        podRef = default;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash <= 0 || slash == text.Length - 1 || text.IndexOf('/', slash + 1) >= 0)
        {
            return false;
        }

        podRef = new PodRef(text[..slash], text[(slash + 1)..]);
        return true;
    }

    public override string ToString() => Namespace + "/" + Name;
}
