namespace Whereabouts.Testing.KubeApi.Operations;

/// <summary>The fieldValidation directive: what the server does about fields the schema does not know.</summary>
internal enum FieldValidation
{
    /// <summary>Drop them silently.</summary>
    Ignore,

    /// <summary>Drop them with a Warning header each (kube-apiserver's default).</summary>
    Warn,

    /// <summary>Refuse the request (400).</summary>
    Strict,
}
