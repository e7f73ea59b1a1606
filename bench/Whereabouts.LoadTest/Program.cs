using Whereabouts.LoadTest;

if (!LoadTestOptions.TryParse(args, out var options, out var error))
{
    await Console.Error.WriteLineAsync($"{error}\n{LoadTestOptions.Usage}");
    return 2;
}

return await LoadTest.RunAsync(options);
