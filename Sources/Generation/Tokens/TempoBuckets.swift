import Foundation

/// Tempi as 40 log-spaced buckets from 30 to 300 bpm (about 6 % apart, below what a
/// listener notices), so a bucket's own tempo always falls back into that bucket.
public enum TempoBuckets {
    public static let count = 40
    static let slowest = 30.0, fastest = 300.0

    public static func bpm(ofBucket bucket: Int) -> Double {
        slowest * pow(fastest / slowest, Double(bucket) / Double(count - 1))
    }

    public static func bucket(bpm: Double) -> Int {
        let position = log(max(bpm, 1) / slowest) / log(fastest / slowest) * Double(count - 1)
        return min(max(Int(position.rounded()), 0), count - 1)
    }

    public static func bucket(microsecondsPerQuarter: Int) -> Int { bucket(bpm: 60e6 / Double(microsecondsPerQuarter)) }

    public static func microsecondsPerQuarter(ofBucket bucket: Int) -> Int {
        Int((60e6 / bpm(ofBucket: bucket)).rounded())
    }
}
