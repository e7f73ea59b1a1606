namespace Whereabouts.Controller.InstallCni;

/// <summary>The installed plugin does not run on this node, or does not answer VERSION as a CNI plugin must.</summary>
internal sealed class PluginUnusableException : Exception
{
    public PluginUnusableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
