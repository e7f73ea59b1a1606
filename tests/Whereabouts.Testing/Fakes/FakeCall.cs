namespace Whereabouts.Testing.Fakes;

/// <summary>One call the fake store received, with the store clock's time when it arrived.</summary>
/// <param name="Operation">Which method was called.</param>
/// <param name="At">The time of the fake's <see cref="TimeProvider"/> at the call.</param>
/// <param name="Target">The pool or reservation name the call was about; empty for store-wide calls.</param>
public sealed record FakeCall(FakeOperation Operation, DateTimeOffset At, string Target);
