/// Named tensors packed back to back in one flat buffer, in a fixed order: the same
/// layout serves the parameters, their gradients and both AdamW moments.
public struct TensorLayout: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
        public let offset: Int
        public var count: Int { shape.reduce(1, *) }
    }

    public private(set) var entries: [Entry] = []
    public private(set) var totalCount = 0
    private var indexByName: [String: Int] = [:]

    public init() {}

    /// Appends a tensor and returns its offset in the flat buffer.
    @discardableResult
    public mutating func add(_ name: String, _ shape: [Int]) -> Int {
        precondition(indexByName[name] == nil, "tensor \(name) added twice")
        let entry = Entry(name: name, shape: shape, offset: totalCount)
        indexByName[name] = entries.count
        entries.append(entry)
        totalCount += entry.count
        return entry.offset
    }

    public subscript(name: String) -> Entry? { indexByName[name].map { entries[$0] } }

    public static func == (lhs: TensorLayout, rhs: TensorLayout) -> Bool { lhs.entries == rhs.entries }
}
