namespace Whereabouts.StoreBench;

/// <summary>One store's run: a burst of ADDs, then a burst of DELs, and what the API server saw.</summary>
internal sealed record ModeResult(
    string Mode,
    TimeSpan AddTime,
    TimeSpan DelTime,
    long AddRequests,
    long DelRequests,
    int AddFailures,
    int DelFailures,
    int Duplicates,
    int LeftAllocations,
    int LeftReservations,
    long PoolPatches,
    long PoolConflicts,
    long ReservationConflicts,
    int Pods)
{
    public double RequestsPerPod => (double)(AddRequests + DelRequests) / Pods;

    public bool IsClean => AddFailures == 0 && DelFailures == 0 && Duplicates == 0 && LeftAllocations == 0 && LeftReservations == 0;
}
