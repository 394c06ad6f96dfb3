import Foundation
import Generation

/// Tokens per second of full training steps (forward, backward, clipping, AdamW) for one
/// model shape; one JSON line on stdout. Run one model per process so the peak resident
/// memory belongs to that model alone.
let shapes: [String: (config: ModelConfig, batch: Int, time: Int)] = [
    "lstm": (.lstm(vocabularySize: 512, embedding: 512, hidden: 512, layers: 2), 64, 64),
    // Learned positions: torch_bench.py's GPT has a wpe table, and --export must load into it.
    "transformer": (
        .transformer(
            vocabularySize: 512, width: 256, layers: 4, heads: 4, context: 512,
            positions: .learned), 16, 256
    ),
    "wavenet": (.wavenet(vocabularySize: 512, channels: 128, skipChannels: 256, blocks: 8), 16, 256),
]

var arguments = Array(CommandLine.arguments.dropFirst())
/// --export DIR: after timing, save the model checkpoint and the batch with its loss, so
/// PyTorch can load both and check it computes the same loss.
var exportDirectory: String?
if let flag = arguments.firstIndex(of: "--export"), flag + 1 < arguments.count {
    exportDirectory = arguments[flag + 1]
    arguments.removeSubrange(flag...(flag + 1))
}
guard let name = arguments.first, let shape = shapes[name] else {
    FileHandle.standardError.write(
        "usage: TrainBench lstm|transformer|wavenet [seconds] [--export DIR]\n".data(using: .utf8)!)
    exit(2)
}
let seconds = arguments.dropFirst().first.flatMap(Double.init) ?? 10

let model = Models.make(shape.config, batch: shape.batch, time: shape.time, seed: 1)
let trainer = Trainer(
    model: model, schedule: LearningRateSchedule(peak: 1e-3, minimum: 1e-4, warmupSteps: 10, totalSteps: 1000), seed: 1)
var generator = SeededRandom(seed: 3)
let tokenCount = shape.batch * shape.time
let tokens = (0..<tokenCount).map { _ in Int32(generator.next() % UInt64(shape.config.vocabularySize)) }
let targets = (0..<tokenCount).map { _ in Int32(generator.next() % UInt64(shape.config.vocabularySize)) }

for _ in 0..<3 { trainer.train(tokens: tokens, targets: targets) }
var steps = 0
var loss: Float = 0
let start = DispatchTime.now().uptimeNanoseconds
var elapsed = 0.0
while elapsed < seconds || steps < 5 {
    loss = trainer.train(tokens: tokens, targets: targets)
    steps += 1
    elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}
if let exportDirectory {
    let evaluation = trainer.evaluate(tokens: tokens, targets: targets)
    try Checkpoint.saveModel(model, to: exportDirectory)
    let batch = SafeTensors.File(
        tensors: [
            "tokens": .init(integers: tokens, shape: [shape.batch, shape.time]),
            "targets": .init(integers: targets, shape: [shape.batch, shape.time]),
        ],
        metadata: ["loss": String(evaluation)])
    try SafeTensors.write(batch, to: exportDirectory + "/batch.safetensors")
}

var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let report: [String: Any] = [
    "engine": "tunesmith", "model": name, "batch": shape.batch, "time": shape.time,
    "parameters": model.parameters.count, "steps": steps, "seconds": elapsed,
    "tokens_per_second": Double(steps * tokenCount) / elapsed, "peak_rss_mib": Double(usage.ru_maxrss) / 1024,
    "final_loss": Double(loss),
]
print(String(data: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), encoding: .utf8)!)
