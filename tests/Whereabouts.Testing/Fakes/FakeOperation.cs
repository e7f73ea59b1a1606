namespace Whereabouts.Testing.Fakes;

/// <summary>The calls <see cref="FakeIpamStore"/> counts and can fail, one per store method.</summary>
public enum FakeOperation
{
    /// <summary><c>IPoolStore.GetAsync</c>.</summary>
    GetPool,

    /// <summary><c>IPoolStore.GetOrCreateAsync</c>.</summary>
    GetOrCreatePool,

    /// <summary><c>IPoolStore.TryUpdateAsync</c>.</summary>
    UpdatePool,

    /// <summary><c>IReservationStore.GetAsync</c>.</summary>
    GetReservation,

    /// <summary><c>IReservationStore.TryCreateAsync</c>.</summary>
    CreateReservation,

    /// <summary><c>IReservationStore.DeleteAsync</c>.</summary>
    DeleteReservation,

    /// <summary><c>IIpamStore.CheckReachableAsync</c>.</summary>
    CheckReachable,

    /// <summary><c>IReservationStore.FindByContainerAsync</c>.</summary>
    FindReservations,

    /// <summary><c>IIpamStore.LocateAsync</c>.</summary>
    Locate,
}
