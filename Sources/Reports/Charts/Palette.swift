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

    /// A key's colour: its place on the circle of fifths sets the hue, so neighbouring
    /// keys look alike and distant ones differ; minor keys are darker, and the key band
    /// chart also stripes them so mode never rests on colour alone.
    public static func key(tonic: Int, minor: Bool) -> String {
        let majorTonic = minor ? (tonic + 3) % 12 : tonic
        let stepsAroundFifths = (majorTonic * 7) % 12
        let hue = Double(stepsAroundFifths) * 30
        return minor ? hsl(hue: hue, saturation: 55, lightness: 38) : hsl(hue: hue, saturation: 70, lightness: 62)
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
