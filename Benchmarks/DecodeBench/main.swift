import Foundation
import Generation

/// Tokens per second of `generate` with incremental decoding beside the full-window
/// reference (`--no-cache`), for the default events Transformer at several contexts: same
/// model, same seed, and the piece must come out token for token the same. Weights are
/// random: speed does not depend on them. Each piece fills the context (a 4-token prompt
/// and context − 4 new tokens), so the reference runs a whole window for every token.
/// Usage: DecodeBench [context ...]   (default 64 and the default events Transformer's context); one JSON
/// line per context, then a table.
let contexts = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let vocabulary = EventTokenizer.standard.vocabulary
let prompt = vocabulary.ids(of: ["Bar", "Meter_4/4", "Pos_0", "Tempo_\(TempoBuckets.bucket(bpm: 120))"])
let sampling = SamplingOptions()

struct Measurement: Codable {
    var context: Int, tokens: Int, parameters: Int
    var cachedTokensPerSecond: Double, referenceTokensPerSecond: Double, ratio: Double
    var samePiece: Bool
}

func generate(_ model: any SequenceModel, cached: Bool, length: Int) -> (tokens: [Int32], seconds: Double) {
    var random = SeededRandom(seed: 1)
    let start = DispatchTime.now().uptimeNanoseconds
    let tokens = TokenGenerator(model: model, cached: cached)
        .continuation(of: prompt, length: length, options: sampling, random: &random)
    return (tokens, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

var measurements: [Measurement] = []
func reportLoad(_ when: String) throws {
    let load = try String(contentsOfFile: "/proc/loadavg", encoding: .utf8)
    FileHandle.standardError.write(Data("load average \(when): \(load)".utf8))
}

try reportLoad("before")
let defaultContext = TrainingPreset.eventsTransformerDefault.settings.context
for context in contexts.isEmpty ? [64, defaultContext] : contexts {
    let options = TrainingOptions(corpus: [], model: .transformer, tokenizer: .events, context: context)
    let model = Models.make(options.modelConfig(vocabularySize: vocabulary.count), batch: 1, time: context, seed: 1)
    let length = context - prompt.count
    // Untimed: the first generation pays the BLAS threads' start and the buffers' first touch,
    // which would be charged to whichever path ran first.
    _ = generate(model, cached: true, length: min(length, 16))
    _ = generate(model, cached: false, length: min(length, 16))
    let cached = generate(model, cached: true, length: length)
    let reference = generate(model, cached: false, length: length)
    let measurement = Measurement(
        context: context, tokens: length, parameters: model.parameters.count,
        cachedTokensPerSecond: Double(length) / cached.seconds,
        referenceTokensPerSecond: Double(length) / reference.seconds,
        ratio: reference.seconds / cached.seconds, samePiece: cached.tokens == reference.tokens)
    measurements.append(measurement)
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    print(String(decoding: try encoder.encode(measurement), as: UTF8.self))
}
try reportLoad("after")

print("context  tokens  cached tok/s  --no-cache tok/s   ratio  same piece")
for m in measurements {
    print(
        String(
            format: "%7d  %6d  %12.0f  %16.1f  %6.1f×  %@", m.context, m.tokens, m.cachedTokensPerSecond,
            m.referenceTokensPerSecond, m.ratio, m.samePiece ? "yes" : "NO"))
}
if measurements.contains(where: { !$0.samePiece }) { exit(1) }
