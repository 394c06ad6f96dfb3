import Foundation

/// What a Markov run measured for one order it tried.
public struct MarkovOrderRecord: Codable, Sendable {
    public var order: Int
    /// Mean nats per held-out token (every token of the validation pieces after their first).
    public var validationLoss: Double
    public var validationBitsPerNote: Double

    enum CodingKeys: String, CodingKey {
        case order
        case validationLoss = "val_loss"
        case validationBitsPerNote = "val_bits_per_note"
    }
}

extension TrainingRun {
    /// The Markov baseline: counts the n-grams of the training pieces (and of their
    /// transpositions, when asked), scores every order it may have on the validation pieces
    /// unless one was given, and keeps the best as the run's `best/` model. Counting is
    /// deterministic and takes a minute or two, so there are no epochs and nothing to resume.
    func countMarkovModel(dataset: Dataset, started: Date, progress: TrainingProgress) throws -> TrainingSummary {
        let vocabularySize = dataset.vocabulary.count
        let highest = min(
            NGramCounts.highestOrder(vocabularySize: vocabularySize), TrainingOptions.markovOrders.upperBound)
        if let order = options.order, order > highest {
            throw PipelineError.markovOrderTooHigh(order: order, vocabularySize: vocabularySize, highest: highest)
        }
        let candidates = options.order.map { [$0] } ?? Array(2...highest)
        var pieces = dataset.training.map { dataset.sequences[$0] }
        if let transposition = Transposition(vocabulary: dataset.vocabulary, maximum: options.transpose ?? 0) {
            let written = pieces
            let drums = dataset.training.map { dataset.drumKeys[$0] }
            for shift in -transposition.maximum...transposition.maximum where shift != 0 {
                pieces += zip(written, drums).compactMap { transposition.shifted($0, by: shift, drums: $1) }
            }
        }
        let counted = NGramCounts(pieces: pieces, order: candidates.max()!, vocabularySize: vocabularySize)
        let validation = dataset.validation.map { dataset.sequences[$0] }
        let validationTokens = validation.reduce(0) { $0 + max(0, $1.count - 1) }
        let validationNotes = dataset.tokensAndNotes(of: dataset.validation).notes
        var best: (model: KneserNeyModel, loss: Double)?
        for model in KneserNeyModel.family(counts: counted, orders: candidates) {
            let order = model.order
            let nats = validation.reduce(0) { $0 + model.nats(of: $1) }
            let loss = nats / Double(max(1, validationTokens))
            progress.orderScored(
                MarkovOrderRecord(
                    order: order, validationLoss: loss,
                    validationBitsPerNote: BitsPerNote.of(nats: nats, notes: validationNotes)))
            if best.map({ loss < $0.loss }) ?? true { best = (model, loss) }
        }
        let chosen = best!
        let model = MarkovModel(
            counts: counted.truncated(to: chosen.model.order), kneserNey: chosen.model, batch: 1,
            time: options.context)
        let training = dataset.training.map { dataset.sequences[$0] }
        let trainLoss =
            training.reduce(0) { $0 + model.kneserNey.nats(of: $1) }
            / Double(max(1, training.reduce(0) { $0 + max(0, $1.count - 1) }))

        try folder.writeDescription(options: options, dataset: dataset)
        try Checkpoint.saveModel(model, to: folder.best)
        let seconds = Date().timeIntervalSince(started)
        let bitsPerNote = BitsPerNote.of(nats: chosen.loss * Double(validationTokens), notes: validationNotes)
        let record = EpochRecord(
            epoch: 1, trainLoss: trainLoss, validationLoss: chosen.loss, validationBitsPerNote: bitsPerNote,
            learningRate: 0, steps: 0, seconds: seconds)
        try folder.write([record], to: folder.historyFile)
        progress.epochEnded(record, true)
        let summary = TrainingSummary(
            model: options.model.rawValue, tokenizer: options.tokenizer.rawValue,
            splitProtocol: options.splitProtocol.rawValue,
            trainLoss: trainLoss, validationLoss: chosen.loss, validationBitsPerNote: bitsPerNote,
            order: chosen.model.order,
            bestEpoch: 1, epochs: 1,
            tokensPerSecond: Double(dataset.tokenCount(of: dataset.training)) / max(seconds, 1e-9),
            parameters: model.counts.distinctNGrams, seconds: seconds, vocabulary: vocabularySize,
            pieces: dataset.sequences.count, trainingTokens: dataset.tokenCount(of: dataset.training),
            validationWindows: validationTokens, run: folder.path,
            pieceMemory: try fitPieceMemory(dataset: dataset)?.fit)
        try folder.write(summary, to: folder.summaryFile)
        return summary
    }
}

extension KneserNeyModel {
    /// −ln P of every token of a piece after its first, each from the tokens before it (as many
    /// as the order uses): what `tunesmith likelihood` sums, computed directly.
    public func nats(of piece: [Int32]) -> Double {
        guard piece.count > 1 else { return 0 }
        var total = 0.0
        for position in 1..<piece.count {
            total -= log(probability(of: piece[position], after: piece[max(0, position - order + 1)..<position]))
        }
        return total
    }
}
