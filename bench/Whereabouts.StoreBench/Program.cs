using Whereabouts.StoreBench;

if (!StoreBenchOptions.TryParse(args, out var options, out var error))
{
    await Console.Error.WriteLineAsync($"{error}\n{StoreBenchOptions.Usage}");
    return 2;
}

if (options.MemoryChildKubeconfig is { } kubeconfig)
{
    return await MemoryProbe.RunChildAsync(kubeconfig);
}

Console.WriteLine(Machine.Describe());
return options.MemoryAllocations is { } allocations
    ? await MemoryProbe.RunAsync(allocations)
    : await Burst.RunAsync(options);
