namespace Whereabouts.Controller.IpamVerbs;

/// <summary>Rows of text written as left-aligned columns two spaces apart, as kubectl prints tables.</summary>
internal sealed class TextTable(params string[] header)
{
    private readonly List<string[]> _rows = [header];

    public int Count => _rows.Count - 1;

    public void Add(params string[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Length != header.Length)
        {
            throw new ArgumentException($"a row has {row.Length} cells, the header {header.Length}", nameof(row));
        }

        _rows.Add(row);
    }

    public async Task WriteAsync(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var widths = Enumerable.Range(0, header.Length).Select(c => _rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in _rows)
        {
            var cells = row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]));
            await output.WriteLineAsync(string.Join("  ", cells).TrimEnd());
        }
    }
}
