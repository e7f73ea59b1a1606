namespace Whereabouts.Testing.KubeApi.Storage;

/// <summary>A fixed-capacity history of events, oldest first; adding to a full ring evicts the oldest.</summary>
internal sealed class EventRing
{
    private readonly StoreEvent[] _items;
    private int _start;

    public EventRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new StoreEvent[capacity];
    }

    public int Count { get; private set; }

    public StoreEvent this[int index] => _items[(_start + index) % _items.Length];

    /// <summary>Adds an event and returns the one it evicted, if any.</summary>
    public StoreEvent? Add(StoreEvent item)
    {
        if (Count < _items.Length)
        {
            _items[(_start + Count) % _items.Length] = item;
            Count++;
            return null;
        }

        var evicted = _items[_start];
        _items[_start] = item;
        _start = (_start + 1) % _items.Length;
        return evicted;
    }

    public void Clear()
    {
        Array.Clear(_items);
        _start = 0;
        Count = 0;
    }

    /// <summary>The events newer than <paramref name="revision"/>, oldest first.</summary>
    public IEnumerable<StoreEvent> After(long revision)
    {
        var first = Count;
        while (first > 0 && this[first - 1].Revision > revision)
        {
            first--;
        }

        for (var i = first; i < Count; i++)
        {
            yield return this[i];
        }
    }
}
