using BenchmarkDotNet.Running;

namespace Whereabouts.Benchmarks;

/// <summary>Runs the benchmarks chosen on the command line (<c>--filter '*'</c>, <c>--job short</c>, …).</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
