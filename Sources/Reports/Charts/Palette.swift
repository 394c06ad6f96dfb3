/// One set of colours for every chart, so a reader learns them once. Series colours
/// are the Okabe–Ito set, which stays distinguishable for colour-blind readers.
public enum Palette {
    public static let text = "#222222"
    public static let mutedText = "#666666"
    public static let grid = "#e3e3e3"
    public static let axis = "#888888"
    public static let bar = "#0072B2"
    public static let overlay = "#D55E00"
    public static let highlight = "#CC79A7"
    public static let series = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]

    public static func series(_ index: Int) -> String { series[index % series.count] }

    /// Paul Tol's discrete rainbow, twelve colours far enough apart to tell neighbours apart.
    static let keySignatureColours = [
        (0xDC, 0x05, 0x0C), (0xE8, 0x60, 0x1C), (0xF1, 0x93, 0x2D), (0xF6, 0xC1, 0x41), (0xF7, 0xF0, 0x56),
        (0xCA, 0xE0, 0xAB),
        (0x90, 0xC9, 0x87), (0x4E, 0xB2, 0x65), (0x7B, 0xAF, 0xDE), (0x52, 0x89, 0xC7), (0x19, 0x65, 0xB0),
        (0x88, 0x2E, 0x72),
    ]

    /// A key's colour: its key signature's place on the circle of fifths picks the colour,
    /// so C major and A minor are kin and neighbouring signatures sit next to each other in
    /// the rainbow; minor keys are darker, and the key band chart also stripes them so mode
    /// never rests on colour alone.
    public static func key(tonic: Int, minor: Bool) -> String {
        let majorTonic = minor ? (tonic + 3) % 12 : tonic
        let stepsAroundFifths = (majorTonic * 7) % 12
        let (red, green, blue) = keySignatureColours[stepsAroundFifths]
        let scale = minor ? 0.62 : 1
        func channel(_ value: Int) -> String {
            let scaled = Int((Double(value) * scale).rounded())
            return String(scaled, radix: 16).count == 1 ? "0" + String(scaled, radix: 16) : String(scaled, radix: 16)
        }
        return "#" + channel(red) + channel(green) + channel(blue)
    }

    /// White or near-black, whichever reads better on the key's colour.
    public static func labelColour(onKey tonic: Int, minor: Bool) -> String {
        let majorTonic = minor ? (tonic + 3) % 12 : tonic
        let (red, green, blue) = keySignatureColours[(majorTonic * 7) % 12]
        let scale = minor ? 0.62 : 1
        let luminance = (0.299 * Double(red) + 0.587 * Double(green) + 0.114 * Double(blue)) * scale / 255
        return luminance < 0.55 ? "white" : text
    }

    /// Sequential scale from white to the bar colour, for heat maps (0…1).
    public static func intensity(_ fraction: Double) -> String {
        let clamped = min(1, max(0, fraction))
        let lightness = 97 - clamped * 60
        return hsl(hue: 205, saturation: 80, lightness: lightness)
    }

    static func hsl(hue: Double, saturation: Double, lightness: Double) -> String {
        "hsl(\(SVGNumber.format(hue)),\(SVGNumber.format(saturation))%,\(SVGNumber.format(lightness))%)"
    }
}
