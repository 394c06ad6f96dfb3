/// A time signature the `events` vocabulary can say: a bar of at most four whole notes,
/// in halves, quarters, eighths or sixteenths; anything else is read as 4/4.
public struct TokenMeter: Hashable, Sendable, Codable, CustomStringConvertible {
    public var numerator: Int
    public var denominator: Int

    public static let common = TokenMeter(numerator: 4, denominator: 4)
    public static let denominators = [2, 4, 8, 16]
    public static let maximumNumerator = 16

    public init(numerator: Int, denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The supported meter for a file's time signature, 4/4 when it cannot be said.
    public init(supporting numerator: Int, _ denominator: Int) {
        let supported = Self.denominators.contains(denominator) && (1...Self.maximumNumerator).contains(numerator)
        self = supported ? TokenMeter(numerator: numerator, denominator: denominator) : .common
    }

    public var barSteps: Int { numerator * 4 * TokenGrid.stepsPerQuarter / denominator }
    public var description: String { "\(numerator)/\(denominator)" }

    public static var all: [TokenMeter] {
        denominators.flatMap { denominator in
            (1...maximumNumerator).map { TokenMeter(numerator: $0, denominator: denominator) }
        }
    }
}
