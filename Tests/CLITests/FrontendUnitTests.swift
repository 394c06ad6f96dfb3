import ArgumentParser
import Foundation
import Testing

@testable import tunesmith

/// What a progress display wrote, with a clock the test moves by hand.
private final class Terminal: @unchecked Sendable {
    private let lock = NSLock()
    private var time = 0.0
    private var written: [String] = []

    var now: Double {
        get { lock.withLock { time } }
        set { lock.withLock { time = newValue } }
    }
    var writes: [String] { lock.withLock { written } }

    func display(minimumInterval: Double = 0.1) -> ProgressDisplay {
        ProgressDisplay(
            unit: "files", minimumInterval: minimumInterval,
            write: { text in self.lock.withLock { self.written.append(text) } }, clock: { self.now })
    }
}

@Suite(.timeLimit(.minutes(5))) struct ProgressDisplayTests {
    @Test func drawsAtMostTenTimesASecondButAlwaysTheLastItem() {
        let terminal = Terminal()
        let progress = terminal.display()
        progress.update(done: 0, total: 10)
        terminal.now = 0.05
        progress.update(done: 1, total: 10)
        terminal.now = 0.2
        progress.update(done: 2, total: 10)
        terminal.now = 0.21
        progress.update(done: 10, total: 10)
        #expect(terminal.writes.count == 3)
        #expect(terminal.writes.last?.contains("10/10 files") == true)
    }

    @Test func showsTheRateAndTheTimeLeft() {
        let terminal = Terminal()
        let progress = terminal.display()
        progress.update(done: 0, total: 100)
        terminal.now = 10
        progress.update(done: 50, total: 100)
        let line = terminal.writes.last ?? ""
        #expect(line.contains("50/100 files"))
        #expect(line.contains("5 files/s"))
        #expect(line.contains("ETA 0:10"))
        #expect(line.contains("[" + String(repeating: "█", count: 12) + String(repeating: "·", count: 12) + "]"))
    }

    @Test func freeTextIsDrawnBesideTheBar() {
        let terminal = Terminal()
        terminal.display().update(fraction: 0.5, "epoch 2  loss 1.2345")
        let halfFull = String(repeating: "█", count: 12) + String(repeating: "·", count: 12)
        #expect(terminal.writes == ["\r\u{1B}[2K[\(halfFull)] epoch 2  loss 1.2345"])
    }

    @Test func clearErasesADrawnLineOnceAndTheNextUpdateRedrawsAtOnce() {
        let terminal = Terminal()
        let progress = terminal.display()
        progress.clear()
        #expect(terminal.writes.isEmpty)
        progress.update(done: 1, total: 4)
        progress.clear()
        progress.clear()
        #expect(terminal.writes.count == 2)
        #expect(terminal.writes.last == "\r\u{1B}[2K")
        progress.update(done: 2, total: 4)
        #expect(terminal.writes.count == 3)
    }

    @Test func updatesFromManyThreadsEachWriteAWholeLine() {
        let terminal = Terminal()
        let progress = terminal.display(minimumInterval: 0)
        DispatchQueue.concurrentPerform(iterations: 1000) { progress.update(done: $0, total: 1000) }
        #expect(terminal.writes.count == 1000)
        #expect(terminal.writes.allSatisfy { $0.hasPrefix("\r\u{1B}[2K[") && $0.contains("/1000 files") })
    }

    @Test func durationsReadAsClockTimes() {
        #expect(ProgressDisplay.duration(65) == "1:05")
        #expect(ProgressDisplay.duration(3725) == "1:02:05")
        #expect(ProgressDisplay.duration(.infinity) == "0:00")
    }
}

private struct Doubled: Encodable, Sendable {
    var input: String
    var doubled: Int
}

private struct Unreadable: Error, CustomStringConvertible {
    var description: String { "unreadable on purpose" }
}

@Suite(.timeLimit(.minutes(5))) struct BatchFrontendTests {
    @Test func failuresAreCountedAndTheOtherResultsKeepTheirOrder() throws {
        let scratch = try ScratchFolder()
        let results = scratch.url.appendingPathComponent("results.jsonl").path
        let inputs = (1...40).map(String.init)
        let frontend = BatchFrontend(json: true, inputCount: inputs.count, resultsFile: results)
        try frontend.process(inputs, jobs: 4, text: { (value: Doubled) in "\(value.doubled)" }) { input, position in
            guard position % 10 != 3 else { throw Unreadable() }
            return Doubled(input: input, doubled: 2 * Int(input)!)
        }
        frontend.emit(["inputs": inputs.count], text: "40 inputs")
        #expect(frontend.diagnostics.failureCount == 4)
        #expect(throws: ExitCode(1)) { try frontend.finish() }
        let lines = try String(contentsOfFile: results, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 41)
        for (position, line) in lines.prefix(40).enumerated() {
            let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            if position % 10 == 3 {
                #expect(object["file"] as? String == inputs[position])
                #expect(object["error"] as? String == "unreadable on purpose")
            } else {
                #expect(object["doubled"] as? Int == 2 * (position + 1))
            }
        }
        #expect(lines.last == #"{"inputs":40}"#)
    }

    @Test func anInputWithNothingToShowIsNeitherPrintedNorAFailure() throws {
        let scratch = try ScratchFolder()
        let results = scratch.url.appendingPathComponent("results.txt").path
        let frontend = BatchFrontend(json: false, inputCount: 3, resultsFile: results)
        var collected: [Int] = []
        frontend.process(
            ["1", "skip", "3"], text: { "value \($0)" }, perform: { input, _ in Int(input) },
            collect: { collected.append($0) })
        try frontend.finish()
        #expect(collected == [1, 3])
        #expect(try String(contentsOfFile: results, encoding: .utf8) == "value 1\nvalue 3\n")
    }
}
