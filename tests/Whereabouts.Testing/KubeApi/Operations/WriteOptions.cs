namespace Whereabouts.Testing.KubeApi.Operations;

/// <summary>How one write request treats unknown fields, and the warnings it collects for the response.</summary>
internal sealed class WriteOptions
{
    public WriteOptions(FieldValidation fieldValidation)
    {
        FieldValidation = fieldValidation;
    }

    /// <summary>What test helpers use: unknown fields are dropped without a word.</summary>
    public static WriteOptions Quiet => new(FieldValidation.Ignore);

    public FieldValidation FieldValidation { get; }

    /// <summary>Warning texts (as in kube-apiserver's "299 - &lt;text&gt;" Warning headers).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Paths of members the request body gave more than once (the last one counts).</summary>
    public List<string> Duplicates { get; } = [];
}
