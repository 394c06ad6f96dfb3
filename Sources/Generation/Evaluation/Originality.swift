/// How much of a piece is already in the training set, so the label never clears a copy.
///
/// A piece is read as its notes in (onset, pitch) order, each step from one note to the
/// next being (pitch interval, onset interval in grid steps): transposing a passage or
/// moving it in time leaves it the same, changing a pitch or a rhythm does not.
public struct OriginalityIndex: Sendable {
    /// Notes per n-gram for the shared-n-gram share.
    public static let shareLength = 8
    /// Notes per seed for finding the longest shared run.
    static let seedLength = 4
    /// A seed matched more often than this (a scale, a repeated note) is too common to
    /// lead anywhere new; longer runs through it are found from their other seeds.
    static let maximumCandidates = 256

    private let steps: [[Int32]]
    private let names: [String]
    private let shareHashes: [UInt64]
    private let seedEntries: [(hash: UInt64, piece: Int32, position: Int32)]

    /// Whether onset intervals count. Without rhythm only the pitch line and which notes
    /// sound together compare: the `notes` vocabulary has no rhythm to copy.
    public let rhythm: Bool

    public init(pieces: [(name: String, piece: QuantisedPiece)], rhythm: Bool = true) {
        self.rhythm = rhythm
        var shares: [UInt64] = [], seeds: [(hash: UInt64, piece: Int32, position: Int32)] = []
        steps = pieces.map { Self.steps(of: $0.piece, rhythm: rhythm) }
        names = pieces.map(\.name)
        for (index, sequence) in steps.enumerated() {
            shares += Self.hashes(sequence, notes: Self.shareLength)
            seeds += Self.hashes(sequence, notes: Self.seedLength).enumerated().map { ($1, Int32(index), Int32($0)) }
        }
        shareHashes = shares.sorted()
        seedEntries = seeds.sorted { $0.hash < $1.hash }
    }

    public var pieceCount: Int { steps.count }

    public struct Report: Codable, Hashable, Sendable {
        /// Longest run of consecutive notes shared with one training piece (0 when even
        /// `seedLength` notes in a row are nowhere in the training set).
        public var longestSharedRun: Int
        /// The training piece holding that run.
        public var longestRunSource: String?
        /// Share of the piece's 8-note n-grams found anywhere in the training set.
        public var sharedNGramShare: Double
        public var notes: Int
    }

    public func report(for piece: QuantisedPiece) -> Report {
        let query = Self.steps(of: piece, rhythm: rhythm)
        let queryShares = Self.hashes(query, notes: Self.shareLength)
        let found = queryShares.filter { hash in
            let index = shareHashes.partitioningIndex { $0 >= hash }
            return index < shareHashes.count && shareHashes[index] == hash
        }.count
        var longest = 0, source: Int32?
        for (position, hash) in Self.hashes(query, notes: Self.seedLength).enumerated() {
            var index = seedEntries.partitioningIndex { $0.hash >= hash }
            let first = index
            while index < seedEntries.count && seedEntries[index].hash == hash && index - first < Self.maximumCandidates
            {
                let entry = seedEntries[index]
                index += 1
                let training = steps[Int(entry.piece)]
                let start = Int(entry.position)
                // Extend only from where the shared run begins, once per alignment.
                if position > 0 && start > 0 && query[position - 1] == training[start - 1] { continue }
                var length = 0
                while position + length < query.count && start + length < training.count
                    && query[position + length] == training[start + length]
                {
                    length += 1
                }
                if length + 1 > longest && length >= Self.seedLength - 1 {
                    longest = length + 1
                    source = entry.piece
                }
            }
        }
        return Report(
            longestSharedRun: longest, longestRunSource: source.map { names[Int($0)] },
            sharedNGramShare: queryShares.isEmpty ? 0 : Double(found) / Double(queryShares.count),
            notes: piece.pitchedNotes.count)
    }

    /// Steps between consecutive pitched notes of all instruments, in (onset, pitch) order:
    /// pitch interval and onset interval, packed. Drums have no melody to copy.
    static func steps(of piece: QuantisedPiece, rhythm: Bool) -> [Int32] {
        let notes = piece.pitchedNotes.sorted { ($0.onset, $0.pitch) < ($1.onset, $1.pitch) }
        return zip(notes, notes.dropFirst()).map { earlier, later in
            let interval = later.onset - earlier.onset
            return Int32(later.pitch - earlier.pitch + 128) << 16
                | Int32(rhythm ? min(interval, 0xFFFF) : min(interval, 1))
        }
    }

    /// A hash of every run of `notes` consecutive notes (`notes` − 1 steps).
    static func hashes(_ steps: [Int32], notes: Int) -> [UInt64] {
        let width = notes - 1
        guard steps.count >= width else { return [] }
        return (0...(steps.count - width)).map { start in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for step in steps[start..<(start + width)] {
                hash = (hash ^ UInt64(UInt32(bitPattern: step))) &* 0x100_0000_01b3
            }
            return hash
        }
    }
}

/// When a piece counts as a copy: a long literal run, or most of its n-grams borrowed.
public struct CopyThreshold: Codable, Hashable, Sendable {
    public var longestRun: Int
    public var nGramShare: Double

    public init(longestRun: Int = 32, nGramShare: Double = 0.5) {
        self.longestRun = longestRun
        self.nGramShare = nGramShare
    }

    public func isCopy(_ report: OriginalityIndex.Report) -> Bool {
        report.longestSharedRun >= longestRun || report.sharedNGramShare >= nGramShare
    }
}
