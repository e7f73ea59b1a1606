using Whereabouts.PluginBench;

return await Bench.RunAsync(BenchOptions.Parse(args));
