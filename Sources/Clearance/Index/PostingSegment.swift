import Foundation
import Utilities

/// One immutable file of the inverted index, `INDEXDIR/postings-*.seg`: for every seed its
/// pieces' places, seeds in ascending order. An indexing batch writes one segment; segments
/// of the same size are merged into one (`ClearanceIndex.mergeSegments`), so a large index is
/// a handful of files rather than a row per seed per batch.
///
/// Layout (little-endian):
///
///     "TCLRPST1" + 8 reserved bytes
///     entries, seed ascending, each:
///         seed − previous seed of its block (varint; 0 for a block's first)
///         pieces holding the seed in this segment (varint): its document frequency
///         length in bytes of the postings that follow (varint)
///         postings, piece then line then position ascending, each three varints:
///             piece − previous piece (the first counted from one below piece 0)
///             line, or line − previous line within the same piece
///             position, or position − previous position within the same line
///     directory: per block of `blockSize` entries, its first seed and offset (u64, u64)
///     footer: directory offset, block count, seed count (u64 each), "TCLRPEND"
///
/// A seed held by one piece once (most phrase seeds) costs about 8 bytes with its entry.
final class PostingSegment: @unchecked Sendable {
    static let headerMagic = Array("TCLRPST1".utf8)
    static let footerMagic = Array("TCLRPEND".utf8)
    static let headerSize = 16
    static let footerSize = 32
    /// Entries per directory block: the directory costs 16 bytes per block, a look-up scans
    /// at most this many entries after its binary search.
    static let blockSize = 16

    let path: String
    let seedCount: Int
    private let mapping: UnsafeMutableRawPointer?
    private let bytes: UnsafeRawBufferPointer
    private let directoryOffset: Int
    fileprivate let blockCount: Int
    /// The entries, without the directory and footer.
    private let entryBytes: UnsafeRawBufferPointer

    /// Maps the file and checks its header, footer and directory bounds.
    init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw ClearanceError.corruptIndex(
                file: path, reason: "postings file missing: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw ClearanceError.corruptIndex(file: path, reason: String(cString: strerror(errno)))
        }
        let size = Int(status.st_size)
        guard size >= Self.headerSize + Self.footerSize else {
            throw ClearanceError.corruptIndex(file: path, reason: "postings file truncated (\(size) bytes)")
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_SHARED, descriptor, 0), mapped != MAP_FAILED else {
            throw ClearanceError.corruptIndex(file: path, reason: String(cString: strerror(errno)))
        }
        let bytes = UnsafeRawBufferPointer(start: mapped, count: size)
        var footer = ByteCursor(bytes, at: size - Self.footerSize)
        let directoryOffset = Int(clamping: (try? footer.uint64()) ?? .max)
        let blockCount = Int(clamping: (try? footer.uint64()) ?? .max)
        let seedCount = Int(clamping: (try? footer.uint64()) ?? .max)
        guard Array(bytes[0..<8]) == Self.headerMagic, Array(bytes[(size - 8)...]) == Self.footerMagic,
            directoryOffset >= Self.headerSize, directoryOffset <= size, blockCount <= size / 16,
            directoryOffset + blockCount * 16 == size - Self.footerSize,
            seedCount <= blockCount * Self.blockSize, seedCount > (blockCount - 1) * Self.blockSize
        else {
            munmap(mapped, size)
            throw ClearanceError.corruptIndex(file: path, reason: "not a postings file of this layout, or damaged")
        }
        mapping = mapped
        self.bytes = bytes
        self.directoryOffset = directoryOffset
        self.blockCount = blockCount
        self.seedCount = seedCount
        entryBytes = UnsafeRawBufferPointer(rebasing: bytes[..<directoryOffset])
        sparseDirectory = stride(from: 0, to: blockCount, by: Self.sparseStride).map {
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: directoryOffset + $0 * 16, as: UInt64.self))
        }
    }

    deinit {
        if let mapping { munmap(mapping, bytes.count) }
    }

    /// A seed's entry: its document frequency in this segment and where its postings lie.
    struct Entry {
        var seed: SeedKey
        var pieces: Int
        var postings: Range<Int>
    }

    fileprivate func blockStart(_ block: Int) -> (seed: SeedKey, offset: Int) {
        let at = directoryOffset + block * 16
        return (
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)),
            Int(clamping: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self)))
        )
    }

    fileprivate func damaged() -> ClearanceError {
        .corruptIndex(file: path, reason: "a posting list runs past its end")
    }

    /// Reads the entry at `cursor`, whose seed follows `previous`.
    fileprivate func entry(at cursor: inout ByteCursor, after previous: SeedKey) throws -> Entry {
        do {
            let seed = previous &+ (try cursor.varint())
            let pieces = Int(clamping: try cursor.varint())
            let length = Int(clamping: try cursor.varint())
            let start = cursor.offset
            guard length <= directoryOffset - start else { throw ByteCursor.Overrun() }
            try cursor.skip(length)
            return Entry(seed: seed, pieces: pieces, postings: start..<(start + length))
        } catch {
            throw damaged()
        }
    }

    /// Blocks per entry of `sparseDirectory`.
    static let sparseStride = 16

    /// The first seed of every `sparseStride`-th block, read once when the file is opened (8
    /// bytes per 256 seeds: 1.2 MiB for a 10,000-piece index), so a look-up's binary search touches
    /// the mapped directory only within one stretch of `sparseStride` blocks, 256 bytes.
    private let sparseDirectory: [SeedKey]

    /// The entries of `seeds` (ascending) that this segment holds, with each seed's index, in
    /// seed order. The look-ups are made side by side, one step of every seed's search at a
    /// time: a lone look-up in a file far larger than the caches is a chain of cache and TLB
    /// misses, each waiting for the one before (the directory's binary search, then each entry
    /// of the block), while the same step of different seeds' look-ups reads independent
    /// places, so the processor overlaps their misses. `findOneByOne` is the reference.
    func find(sorted seeds: [SeedKey], _ found: (Int, Entry) -> Void) throws {
        guard blockCount > 0 else { return }
        // [seeds] the first directory block each seed's search spans, then the block found.
        var base = [Int](repeating: 0, count: seeds.count)
        // [seeds] the blocks each seed's search still spans from `base`; 0 for a seed below the
        // segment's first.
        var span = [Int](repeating: 0, count: seeds.count)
        let sparse = sparseDirectory
        var stretch = 0
        for (index, seed) in seeds.enumerated() where sparse[0] <= seed {
            // The last stretch whose first seed is ≤ seed, galloping from the previous seed's: the
            // seeds ascend, so the search stays near where the last one ended.
            var low = stretch, step = 1
            while low + step < sparse.count && sparse[low + step] <= seed {
                low += step
                step *= 2
            }
            var high = min(sparse.count, low + step)
            while high - low > 1 {
                let middle = (low + high) / 2
                if sparse[middle] <= seed { low = middle } else { high = middle }
            }
            stretch = low
            base[index] = stretch * Self.sparseStride
            span[index] = min(blockCount - base[index], Self.sparseStride)
        }
        // The last block of each stretch whose first seed is ≤ the seed: every search one halving
        // a pass, without a branch on what was read (a mispredicted branch would throw away the
        // reads issued after it).
        var searching = true
        while searching {
            searching = false
            for index in seeds.indices where span[index] > 1 {
                let half = span[index] / 2
                base[index] = blockStart(base[index] + half).seed <= seeds[index] ? base[index] + half : base[index]
                span[index] -= half
                searching = true
            }
        }
        // A batch of blocks at a time, scanned side by side an entry a pass.
        // [batch] where each seed's scan has read to, the seed it read last, and the entries it may
        // still read (0 once it has met its seed or passed it).
        var cursors = [Int](repeating: 0, count: Self.findBatch)
        var previous = [SeedKey](repeating: 0, count: Self.findBatch)
        var left = [Int](repeating: 0, count: Self.findBatch)
        var entries = [Entry?](repeating: nil, count: Self.findBatch)  // [batch] each seed's entry, if held
        for batch in stride(from: 0, to: seeds.count, by: Self.findBatch) {
            let members = batch..<min(seeds.count, batch + Self.findBatch)
            for index in members {
                let member = index - batch
                entries[member] = nil
                left[member] = 0
                guard span[index] > 0 else { continue }
                // A block's first entry starts with a seed step of 0: checked for every block.
                let (first, offset) = blockStart(base[index])
                guard offset >= Self.headerSize, offset < directoryOffset, entryBytes[offset] == 0 else {
                    throw damaged()
                }
                (cursors[member], previous[member], left[member]) = (offset, first, Self.blockSize)
            }
            var scanning = true
            while scanning {
                scanning = false
                for index in members where left[index - batch] > 0 {
                    let member = index - batch
                    var cursor = ByteCursor(entryBytes, at: cursors[member])
                    guard !cursor.atEnd else {
                        left[member] = 0
                        continue
                    }
                    let entry = try entry(at: &cursor, after: previous[member])
                    if entry.seed >= seeds[index] {
                        if entry.seed == seeds[index] { entries[member] = entry }
                        left[member] = 0
                    } else {
                        (cursors[member], previous[member]) = (cursor.offset, entry.seed)
                        left[member] -= 1
                        scanning = true
                    }
                }
            }
            for index in members { if let entry = entries[index - batch] { found(index, entry) } }
        }
    }

    /// Blocks `find` scans side by side: enough independent reads to keep the memory system busy,
    /// few enough for their state to stay in the first-level cache.
    static let findBatch = 64

    /// `find` one seed after another: the reference it is tested against.
    func findOneByOne(sorted seeds: [SeedKey], _ found: (Int, Entry) -> Void) throws {
        guard blockCount > 0 else { return }
        let sparse = sparseDirectory
        var stretch = 0
        for (index, seed) in seeds.enumerated() where sparse[0] <= seed {
            // The last stretch whose first seed is ≤ seed: from the previous seed's stretch on.
            var low = stretch, high = sparse.count
            while high - low > 1 {
                let middle = (low + high) / 2
                if sparse[middle] <= seed { low = middle } else { high = middle }
            }
            stretch = low
            // The last block of that stretch whose first seed is ≤ seed.
            var block = stretch * Self.sparseStride, end = min(blockCount, block + Self.sparseStride)
            while end - block > 1 {
                let middle = (block + end) / 2
                if blockStart(middle).seed <= seed { block = middle } else { end = middle }
            }
            let (first, offset) = blockStart(block)
            guard offset >= Self.headerSize, offset < directoryOffset else { throw damaged() }
            var cursor = ByteCursor(entryBytes, at: offset)
            var previous = first
            for _ in 0..<Self.blockSize where !cursor.atEnd {
                let entry = try entry(at: &cursor, after: previous)
                if entry.seed >= seed {
                    if entry.seed == seed { found(index, entry) }
                    break
                }
                previous = entry.seed
            }
        }
    }

    /// Appends an entry's postings (piece << 32 | `Posting.location`) to `output`, leaving out
    /// those of `removed` pieces.
    func decode(_ entry: Entry, into output: inout [UInt64], removed: Set<Int64>) throws {
        var cursor = ByteCursor(UnsafeRawBufferPointer(rebasing: bytes[entry.postings]))
        // The first piece step is counted from one below piece 0.
        var piece: UInt64 = .max, line: UInt64 = 0, position: UInt64 = 0
        do {
            while !cursor.atEnd {
                let pieceStep = try cursor.varint()
                let lineValue = try cursor.varint()
                let positionValue = try cursor.varint()
                if pieceStep > 0 {
                    piece &+= pieceStep
                    line = lineValue
                    position = positionValue
                } else if lineValue > 0 {
                    line &+= lineValue
                    position = positionValue
                } else {
                    position &+= positionValue
                }
                guard line <= UInt64(Posting.largestLine), position <= UInt64(Posting.largestPosition),
                    piece <= UInt64(UInt32.max)
                else { throw ByteCursor.Overrun() }
                if removed.isEmpty || !removed.contains(Int64(piece)) {
                    output.append(piece << 32 | line << 20 | position)
                }
            }
        } catch {
            throw damaged()
        }
    }

    /// Reads the entries one by one in seed order, for merging segments.
    struct Entries {
        let segment: PostingSegment
        var cursor: ByteCursor
        var read = 0
        var previous: SeedKey = 0

        mutating func next() throws -> Entry? {
            guard read < segment.seedCount else { return nil }
            if read % PostingSegment.blockSize == 0 {
                let block = read / PostingSegment.blockSize
                guard block < segment.blockCount else { throw segment.damaged() }
                let (first, offset) = segment.blockStart(block)
                guard offset == cursor.offset else { throw segment.damaged() }
                previous = first
            }
            let found = try segment.entry(at: &cursor, after: previous)
            previous = found.seed
            read += 1
            return found
        }
    }

    func entries() -> Entries {
        Entries(
            segment: self, cursor: ByteCursor(entryBytes, at: Self.headerSize))
    }

    /// The bytes of an entry's postings, to copy them unchanged into a merged segment.
    func postingBytes(_ entry: Entry) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[entry.postings])
    }
}

/// Writes a segment file seed by seed (seeds ascending) beside its destination, then syncs it
/// and renames it into place: the destination is absent or whole, never partial.
final class SegmentWriter {
    // The writer's state is only ever touched by the thread writing the file, one call at a
    // time; unchecked, its accesses skip the dynamic exclusivity checks that would otherwise
    // cost more than encoding a posting.
    let path: String
    private let temporaryPath: String
    @exclusivity(unchecked) private var file: UnsafeMutablePointer<FILE>?
    // (≤ 1 MiB) bytes not yet handed to the file.
    @exclusivity(unchecked) private var buffer: [UInt8] = []
    @exclusivity(unchecked) private var flushedBytes = 0
    // (2 × blocks) each block's first seed and offset.
    @exclusivity(unchecked) private var directory: [UInt64] = []
    @exclusivity(unchecked) private var lastSeed: SeedKey = 0
    @exclusivity(unchecked) private(set) var seedCount = 0
    // (3 varints a posting of the longest list so far) scratch for encoding one seed's postings.
    @exclusivity(unchecked) private var scratch: [UInt8] = []

    init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        temporaryPath = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp").path
        guard let opened = fopen(temporaryPath, "wb") else {
            throw UnwritableFileError(file: temporaryPath, reason: String(cString: strerror(errno)))
        }
        file = opened
        buffer.reserveCapacity(1 << 20)
        buffer.append(contentsOf: PostingSegment.headerMagic)
        buffer.append(contentsOf: [UInt8](repeating: 0, count: 8))
    }

    deinit { abandon() }

    private var offset: Int { flushedBytes + buffer.count }

    private func flush() throws {
        guard let file else { return }
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == buffer.count else {
            throw UnwritableFileError(file: temporaryPath, reason: String(cString: strerror(errno)))
        }
        flushedBytes += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Adds a seed and its postings (piece << 32 | location, ascending).
    func add(_ seed: SeedKey, postings: some Collection<UInt64>) throws {
        let (length, pieces) = Self.encode(postings, into: &scratch)
        guard pieces > 0 else { return }
        try scratch.withUnsafeBytes {
            try add(seed, pieces: pieces, encoded: UnsafeRawBufferPointer(rebasing: $0[..<length]))
        }
    }

    /// Encodes a seed's postings (piece << 32 | location, ascending) as an entry holds them, at
    /// the start of `bytes` (grown to fit); returns their length and the pieces holding the seed.
    /// Written through a pointer into room for the longest encoding: appending byte by byte
    /// would check the capacity each time.
    static func encode(_ postings: some Collection<UInt64>, into bytes: inout [UInt8]) -> (length: Int, pieces: Int) {
        let longest = postings.count * 3 * Varint.longest
        if bytes.count < longest { bytes = [UInt8](repeating: 0, count: max(longest, 2 * bytes.count)) }
        return bytes.withUnsafeMutableBufferPointer { bytes in
            var length = 0, pieces = 0
            var piece: UInt64 = .max, line: UInt64 = 0, position: UInt64 = 0
            for posting in postings {
                let nextPiece = posting >> 32, nextLine = posting >> 20 & 0xFFF, nextPosition = posting & 0xF_FFFF
                if nextPiece != piece {
                    Varint.write(nextPiece &- piece, to: bytes, at: &length)
                    Varint.write(nextLine, to: bytes, at: &length)
                    Varint.write(nextPosition, to: bytes, at: &length)
                    pieces += 1
                } else if nextLine != line {
                    Varint.write(0, to: bytes, at: &length)
                    Varint.write(nextLine - line, to: bytes, at: &length)
                    Varint.write(nextPosition, to: bytes, at: &length)
                } else {
                    Varint.write(0, to: bytes, at: &length)
                    Varint.write(0, to: bytes, at: &length)
                    Varint.write(nextPosition - position, to: bytes, at: &length)
                }
                (piece, line, position) = (nextPiece, nextLine, nextPosition)
            }
            return (length, pieces)
        }
    }

    /// Adds a seed whose postings are already encoded (copied from a segment being merged).
    func add(_ seed: SeedKey, pieces: Int, encoded: UnsafeRawBufferPointer) throws {
        Varint.append(enter(seed, at: offset), to: &buffer)
        Varint.append(UInt64(pieces), to: &buffer)
        Varint.append(UInt64(encoded.count), to: &buffer)
        buffer.append(contentsOf: encoded)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Adds a stretch of seeds (ascending, after those added before) whose postings are encoded
    /// back to back: its entries written through a pointer in one pass, then to the file.
    func add(_ stretch: SeedPlaces.EncodedStretch) throws {
        guard !stretch.seeds.isEmpty else { return }
        try flush()
        guard let file else { return }
        let start = flushedBytes
        let entries = stretch.bytes.withUnsafeBufferPointer { postings in
            [UInt8](unsafeUninitializedCapacity: stretch.bytes.count + 3 * Varint.longest * stretch.seeds.count) {
                bytes, written in
                written = 0
                for (index, seed) in stretch.seeds.enumerated() {
                    let from = stretch.starts[index], length = stretch.starts[index + 1] - from
                    Varint.write(enter(seed, at: start + written), to: bytes, at: &written)
                    Varint.write(UInt64(stretch.pieces[index]), to: bytes, at: &written)
                    Varint.write(UInt64(length), to: bytes, at: &written)
                    (bytes.baseAddress! + written).initialize(from: postings.baseAddress! + from, count: length)
                    written += length
                }
            }
        }
        let wrote = entries.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard wrote == entries.count else {
            throw UnwritableFileError(file: temporaryPath, reason: String(cString: strerror(errno)))
        }
        flushedBytes += entries.count
    }

    /// Counts an entry for `seed` starting at `offset` in the file, listing it in the directory
    /// when it starts a block; returns what the entry starts with: the seed less the one before
    /// (0 for a block's first).
    private func enter(_ seed: SeedKey, at offset: Int) -> UInt64 {
        if seedCount % PostingSegment.blockSize == 0 {
            directory.append(seed)
            directory.append(UInt64(offset))
            lastSeed = seed
        }
        precondition(seed >= lastSeed, "segment seeds must ascend")
        defer {
            lastSeed = seed
            seedCount += 1
        }
        return seed - lastSeed
    }

    /// Writes the directory and footer, syncs, and renames the file into place. Returns its size.
    func finish() throws -> Int {
        let directoryOffset = offset
        for value in directory { withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) } }
        for value in [UInt64(directoryOffset), UInt64(directory.count / 2), UInt64(seedCount)] {
            withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
        }
        buffer.append(contentsOf: PostingSegment.footerMagic)
        try flush()
        guard let file else { return 0 }
        let synced = fflush(file) == 0 && fsync(fileno(file)) == 0
        fclose(file)
        self.file = nil
        guard synced, rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw UnwritableFileError(file: path, reason: reason)
        }
        return offset
    }

    /// Closes and deletes the unfinished file.
    func abandon() {
        guard let file else { return }
        fclose(file)
        self.file = nil
        unlink(temporaryPath)
    }
}
