namespace Whereabouts.Cni;

/// <summary>The operations a runtime asks of a CNI plugin through <c>CNI_COMMAND</c>.</summary>
public enum CniCommand
{
    /// <summary><c>ADD</c>: allocate and return a result.</summary>
    Add,

    /// <summary><c>DEL</c>: release; must succeed for unknown attachments.</summary>
    Del,

    /// <summary><c>CHECK</c> (spec 0.4.0+): verify that what ADD created still exists.</summary>
    Check,

    /// <summary><c>GC</c> (spec 1.1.0+): release everything not in the valid attachment list.</summary>
    Gc,

    /// <summary><c>STATUS</c> (spec 1.1.0+): report whether ADD can be served.</summary>
    Status,

    /// <summary><c>VERSION</c>: report the supported spec versions.</summary>
    Version,
}
