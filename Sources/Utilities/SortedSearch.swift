extension RandomAccessCollection where Index == Int {
    /// Index of the last element whose key is at most `value`, or the first index when
    /// none is: the tempo change in force at a tick, the bar holding it, the bin of a
    /// frequency. Binary search, so the keys must not fall. The collection must not be empty.
    @inlinable
    public func lastIndex<Key: Comparable>(atMost value: Key, by key: (Element) -> Key) -> Int {
        var low = startIndex, high = endIndex - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if key(self[middle]) <= value { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The first index whose element satisfies `predicate`, for a predicate that is false
    /// then true along the collection (its end when none does): where a value would go in a
    /// sorted array.
    @inlinable
    public func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var low = startIndex, high = endIndex
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
