namespace Whereabouts.Controller.NodeController;

/// <summary>A NetworkAttachmentDefinition a pod asked for: its namespace and name.</summary>
internal readonly record struct NetworkRef(string Namespace, string Name)
{
    public override string ToString() => Namespace + "/" + Name;
}
