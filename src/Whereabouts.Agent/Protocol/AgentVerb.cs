namespace Whereabouts.Agent.Protocol;

/// <summary>The CNI commands the agent serves; the names are the wire values.</summary>
public static class AgentVerb
{
    public const string Add = "ADD";
    public const string Del = "DEL";
    public const string Check = "CHECK";
    public const string Gc = "GC";
    public const string Status = "STATUS";

    /// <summary>DEL and GC read the configuration leniently (broken allocation-only settings do not fail a release).</summary>
    public static bool IsRelease(string verb) => verb is Del or Gc;

    /// <summary>ADD, DEL and CHECK act on one container's attachment and are served in arrival order per container.</summary>
    public static bool IsPerAttachment(string verb) => verb is Add or Del or Check;
}
