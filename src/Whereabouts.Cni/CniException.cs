namespace Whereabouts.Cni;

/// <summary>
/// Carries a <see cref="CniError"/> that the dispatcher writes unchanged, so code that knows the right CNI code
/// can say so instead of having its failure reported as <see cref="CniErrorCodes.Internal"/>.
/// </summary>
public sealed class CniException : Exception
{
    /// <summary>Creates an exception for the given CNI code and message.</summary>
    public CniException(int code, string message, string? details = null)
        : this(new CniError(code, message, details))
    {
    }

    /// <summary>Creates an exception carrying <paramref name="error"/>.</summary>
    public CniException(CniError error)
        : this(error, innerException: null)
    {
    }

    /// <summary>Creates an exception carrying <paramref name="error"/>, caused by <paramref name="innerException"/>.</summary>
    public CniException(CniError error, Exception? innerException)
        : base(error?.Message, innerException)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    /// <summary>Creates an internal (999) error; prefer the constructors that name a code.</summary>
    public CniException()
        : this(CniErrorCodes.Internal, "internal error")
    {
    }

    /// <summary>Creates an internal (999) error with <paramref name="message"/>.</summary>
    public CniException(string message)
        : this(CniErrorCodes.Internal, message)
    {
    }

    /// <summary>Creates an internal (999) error with <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public CniException(string message, Exception? innerException)
        : this(new CniError(CniErrorCodes.Internal, message), innerException)
    {
    }

    /// <summary>The error written to stdout.</summary>
    public CniError Error { get; }

    /// <summary>Shortcut for <see cref="CniError.Code"/>.</summary>
    public int Code => Error.Code;
}
