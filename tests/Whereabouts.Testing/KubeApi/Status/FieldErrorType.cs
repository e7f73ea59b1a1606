namespace Whereabouts.Testing.KubeApi.Status;

/// <summary>The kinds of k8s.io/apimachinery field errors the server produces.</summary>
internal enum FieldErrorType
{
    Required,
    Invalid,
    TypeInvalid,
    NotSupported,
    Forbidden,
    TooLong,
    TooMany,
}
