using System.CommandLine;
using Whereabouts.Core.Config;

namespace Whereabouts.Controller.Cli;

/// <summary><c>--log-level debug|verbose|error|panic</c>, case-insensitive as upstream reads it; anything else is a usage error.</summary>
internal static class LogLevelOption
{
    public const LogLevelSetting Default = LogLevelSetting.Error;

    private static readonly LogLevelSetting[] Levels = [LogLevelSetting.Debug, LogLevelSetting.Verbose, LogLevelSetting.Error, LogLevelSetting.Panic];

    public static Option<LogLevelSetting> Create() => new("--log-level")
    {
        Description = "Log level: debug, verbose, error (warnings and errors) or panic",
        HelpName = "debug|verbose|error|panic",
        DefaultValueFactory = _ => Default,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
            if (TryParse(text, out var level))
            {
                return level;
            }

            result.AddError($"--log-level: '{text}' is not one of debug, verbose, error, panic");
            return Default;
        },
    };

    public static bool TryParse(string text, out LogLevelSetting level)
    {
        foreach (var candidate in Levels)
        {
            if (string.Equals(text, Name(candidate), StringComparison.OrdinalIgnoreCase))
            {
                level = candidate;
                return true;
            }
        }

        level = Default;
        return false;
    }

    /// <summary>The flag value that selects <paramref name="level"/>.</summary>
    public static string Name(LogLevelSetting level) => level switch
    {
        LogLevelSetting.Debug => "debug",
        LogLevelSetting.Verbose => "verbose",
        LogLevelSetting.Error => "error",
        _ => "panic",
    };
}
