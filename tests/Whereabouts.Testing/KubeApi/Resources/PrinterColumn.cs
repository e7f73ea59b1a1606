namespace Whereabouts.Testing.KubeApi.Resources;

/// <summary>One additionalPrinterColumn of a CRD version (a simple JSON path such as <c>.spec.range</c>).</summary>
internal sealed record PrinterColumn(string Name, string Type, string Format, string Description, int Priority, string JsonPath);
