import Testing

@testable import Clearance

/// Paths a tune takes through a texture: each next note from the first chord that starts once
/// the note has ended, within an octave, nearest first.
@Suite struct LegatoPathsTests {
    /// A note, a note of another voice starting while it sounds, then a chord a little before it
    /// ends (a played performance), one of whose notes lies more than an octave away, then a
    /// later note.
    static let notes = [
        LineNote(onsetBeats: 0, durationBeats: 1, pitch: 60),
        LineNote(onsetBeats: 0.5, durationBeats: 0.5, pitch: 64),
        LineNote(onsetBeats: 0.96, durationBeats: 1, pitch: 80),
        LineNote(onsetBeats: 0.96, durationBeats: 1, pitch: 62),
        LineNote(onsetBeats: 0.96, durationBeats: 1, pitch: 55),
        LineNote(onsetBeats: 2, durationBeats: 1, pitch: 65),
    ]

    @Test func aNextNoteComesFromTheFirstChordOnceTheNoteHasEnded() {
        let next = LegatoPaths.successors(in: Self.notes)
        // Not the note starting under it, not the one an octave and more away, not the later
        // chord; the nearer pitch first.
        #expect(next[0] == [3, 4])
        #expect(next[1] == [3, 4])
        #expect(next[3] == [5])
        #expect(next[4] == [5])
        #expect(next[2].isEmpty)
        #expect(next[5].isEmpty)
    }

    /// Repeated notes, scale runs and pedal figures are what nearest-step paths find most and
    /// what any two pieces with a texture in common share: not followed. A tune with leaps and
    /// turns is.
    @Test func repeatedNotesScalesAndPedalFiguresAreNotTuneLike() {
        #expect(!LegatoPaths.isTuneLike([60, 60, 60, 60, 64, 64, 64, 64]))
        #expect(!LegatoPaths.isTuneLike([60, 62, 64, 65, 67, 69, 71, 72]))
        #expect(!LegatoPaths.isTuneLike([60, 62, 64, 65, 67, 65, 64, 62]))
        #expect(!LegatoPaths.isTuneLike([65, 61, 65, 60, 65, 59, 65, 58]))
        #expect(LegatoPaths.isTuneLike([67, 64, 65, 62, 64, 60, 59, 62]))
    }

    /// A tune in the middle of a texture: a bass and a voice a tenth above move with it, and a
    /// short note starts halfway through each of its notes. The tune lies along a path.
    @Test func aTuneAmongOtherVoicesLiesAlongAPath() {
        let tune = Melodies.melody(seed: 31, count: 16).map {
            LineNote(onsetBeats: $0.onsetBeats, durationBeats: $0.durationBeats, pitch: $0.pitch - 12)
        }
        let texture = (tune + Self.otherVoices(around: tune)).sorted {
            ($0.onsetBeats, $1.pitch) < ($1.onsetBeats, $0.pitch)
        }
        let tuneIndices = tune.map { note in texture.firstIndex(of: note)! }
        let paths = Set(LegatoPaths.paths(through: texture))
        let runs = (0...(tune.count - LegatoPaths.notesPerPath)).map {
            Array(tuneIndices[$0..<($0 + LegatoPaths.notesPerPath)])
        }
        let tuneLikeRuns = runs.filter { LegatoPaths.isTuneLike($0.map { texture[$0].pitch }) }
        #expect(!tuneLikeRuns.isEmpty)
        #expect(tuneLikeRuns.allSatisfy(paths.contains))
    }

    /// However dense the texture, a note starts at most `pathsPerNote` paths, and every path is
    /// tune-like.
    @Test func eachNoteStartsFewPaths() {
        // Six tunes in one register at once.
        let texture = (40..<46).flatMap { Melodies.melody(seed: UInt64($0), count: 40) }
            .sorted { ($0.onsetBeats, $1.pitch) < ($1.onsetBeats, $0.pitch) }
        let paths = LegatoPaths.paths(through: texture)
        let starts = Dictionary(grouping: paths, by: \.[0]).mapValues(\.count)
        #expect(starts.count > texture.count / 2)
        #expect(starts.values.allSatisfy { $0 <= LegatoPaths.pathsPerNote })
        #expect(starts.values.contains(LegatoPaths.pathsPerNote))
        #expect(paths.allSatisfy { $0.count == LegatoPaths.notesPerPath })
        #expect(paths.allSatisfy { LegatoPaths.isTuneLike($0.map { texture[$0].pitch }) })
    }

    /// A tune whose voice every line breaks: a note a semitone above it starts halfway through
    /// each of its notes, and a bass moves a major sixth below it. No line holds more than two of
    /// its notes in a row, so no seed of a line reaches it; along a path it is found whole, as
    /// the naive reference finds it.
    @Test func aTuneNoLineHoldsIsFoundAlongAPath() throws {
        let tune = Melodies.melody(seed: 33, count: 16)
        let others = tune.flatMap { note in
            [
                LineNote(
                    onsetBeats: note.onsetBeats + note.durationBeats / 2, durationBeats: note.durationBeats / 4,
                    pitch: note.pitch + 1),
                LineNote(onsetBeats: note.onsetBeats, durationBeats: note.durationBeats, pitch: note.pitch - 9),
            ]
        }
        let query = Melodies.piece(tune + others)
        for line in query.lines {
            var longest = 0, run = 0
            var previous: Int?
            for note in line.notes {
                let place = tune.firstIndex(of: note)
                run = place == nil ? 0 : place == previous.map { $0 + 1 } ? run + 1 : 1
                longest = max(longest, run)
                previous = place
            }
            #expect(longest <= 2)
        }
        var catalogue = MemoryCatalogue()
        catalogue.add(path: "source.mid", piece: Melodies.piece(tune))
        catalogue.add(path: "other.mid", piece: Melodies.piece(Melodies.melody(seed: 99, count: 40)))
        let found = try #require(try Matcher.matches(for: query, in: catalogue).first)
        #expect(found.piece.path == "source.mid")
        #expect(found.queryLine.source == .acrossVoices)
        #expect(found.alignment.sharedNotes == tune.count)
        var withoutPaths = MatchSettings()
        withoutPaths.pathCandidates = 0
        let fromLines = try #require(try Matcher.matches(for: query, in: catalogue, settings: withoutPaths).first)
        #expect(fromLines.alignment.sharedNotes < tune.count / 2 + 1)
        #expect(fromLines.score < found.score)
        let naive = try #require(NaiveMatcher.matches(for: query, in: catalogue).first)
        #expect(abs(naive.score - found.score) < 1e-4 && naive.alignment.sharedNotes == found.alignment.sharedNotes)
    }

    /// A path's seed is a hash: a place whose pitch steps differ from the path's (a collision)
    /// leads nowhere.
    @Test func aPlaceWhosePitchesDifferLeadsNowhere() {
        let tune = Melodies.melody(seed: 33, count: 16)
        let path = Array(0..<LegatoPaths.notesPerPath)
        func passage(at start: Int) -> AlignedPassage? {
            PathCandidates.passage(
                PathCandidates.Candidate(followedPiece: 0, sourceLine: 0, sourcePosition: start, path: 0, weight: 1),
                number: 0, paths: [path], everyNote: tune, source: tune)
        }
        #expect(passage(at: 0) != nil)
        #expect(passage(at: 1) == nil)
        #expect(passage(at: tune.count - LegatoPaths.notesPerPath + 1) == nil)
    }

    /// Other voices around a tune: a bass two octaves below it, a voice a tenth above, and a
    /// short note a fifth above starting halfway through each of its notes.
    static func otherVoices(around tune: [LineNote]) -> [LineNote] {
        tune.flatMap { note in
            [
                LineNote(onsetBeats: note.onsetBeats, durationBeats: note.durationBeats, pitch: note.pitch - 24),
                LineNote(onsetBeats: note.onsetBeats, durationBeats: note.durationBeats, pitch: note.pitch + 16),
                LineNote(
                    onsetBeats: note.onsetBeats + note.durationBeats / 2, durationBeats: note.durationBeats / 4,
                    pitch: note.pitch + 7),
            ]
        }
    }
}
