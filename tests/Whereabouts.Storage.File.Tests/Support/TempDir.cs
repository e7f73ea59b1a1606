namespace Whereabouts.Storage.File.Tests.Support;

/// <summary>A fresh directory under the system temp directory, removed on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("wb-file-").FullName;
    }

    public string Path { get; }

    public string Pools => Sub("pools");

    public string Reservations => Sub("reservations");

    public string Sub(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A peer we started may still be writing; the system's temp cleaner gets the rest.
        }
    }
}
