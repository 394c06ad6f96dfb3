/// Why an index could not be used; each case names the file and says what to do.
public enum ClearanceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No index file in the folder.
    case noIndex(folder: String)
    /// The file is not an SQLite database, or SQLite reports it damaged.
    case corruptIndex(file: String, reason: String)
    /// The file is an SQLite database but not a clearance index (or not one this version knows).
    case wrongVersion(file: String, found: String)
    /// The index holds pieces but its baseline of unrelated pairs was never measured
    /// (the indexing run that would have measured it was stopped first).
    case notCalibrated(file: String)
    /// An index of an earlier layout whose pieces and postings still serve but whose baseline
    /// was measured another way (`IndexSchema.baselineOnlyVersions`).
    case outdatedBaseline(file: String)
    /// A stored piece whose bytes do not decode.
    case damagedPiece(file: String, piece: String)

    public var description: String {
        switch self {
        case .noIndex(let folder):
            return
                "\(folder): no clearance index here; build one with the index command, naming the catalogue's folders"
        case .corruptIndex(let file, let reason):
            return "\(file): the clearance index is damaged (\(reason)); delete the file and index the catalogue again"
        case .wrongVersion(let file, let found):
            return
                "\(file): not a clearance index of this version (\(found)); index the catalogue again into a new folder"
        case .notCalibrated(let file):
            return "\(file): the index has no baseline of unrelated pieces yet (its indexing run was stopped); "
                + "run the index command again on the same sources to finish it"
        case .outdatedBaseline(let file):
            return "\(file): the index's baseline of unrelated pieces was measured by an earlier tunesmith; "
                + "run the index command again on the same sources (only the baseline is measured again)"
        case .damagedPiece(let file, let piece):
            return
                "\(file): the stored notes of \(piece) are damaged; delete the index file and index the catalogue again"
        }
    }
}
