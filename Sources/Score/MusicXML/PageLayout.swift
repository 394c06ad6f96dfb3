/// The page a score is engraved on, written into the MusicXML's `<defaults>`.
///
/// Without it MuseScore uses its own defaults: a 7 mm staff, and a page size that follows
/// the machine's locale, so the same piece could take a different number of pages on
/// another machine. Here the page is A4 with MuseScore's own margins (10 mm, 20 mm at the
/// foot for the page number), and the staff is 6.5 mm, rastral size 4, the size engravers
/// use for piano music: a grand staff of 7 mm leaves room for five systems on an A4 page
/// where MuseScore's import of a one-staff piece fits seven, and at 6.5 mm six fit.
public struct PageLayout: Hashable, Sendable {
    public var staffHeightMillimetres: Double
    public var pageWidthMillimetres: Double
    public var pageHeightMillimetres: Double
    /// Left, right and top.
    public var marginMillimetres: Double
    public var bottomMarginMillimetres: Double

    public static let a4 = PageLayout(
        staffHeightMillimetres: 6.5, pageWidthMillimetres: 210, pageHeightMillimetres: 297, marginMillimetres: 10,
        bottomMarginMillimetres: 20)

    /// MusicXML measures the page in tenths of the distance between staff lines: a staff
    /// (four spaces) is 40 tenths.
    public static let tenthsPerStaff = 40.0

    public func tenths(_ millimetres: Double) -> Double {
        millimetres * Self.tenthsPerStaff / staffHeightMillimetres
    }

    /// The `<defaults>` element: scaling, then the page and its margins (both sides alike).
    public var defaultsElement: String {
        func value(_ millimetres: Double) -> String { String(format: "%.2f", tenths(millimetres)) }
        let margin = value(marginMillimetres)
        return "<defaults><scaling><millimeters>\(staffHeightMillimetres)</millimeters>"
            + "<tenths>\(Int(Self.tenthsPerStaff))</tenths></scaling>"
            + "<page-layout><page-height>\(value(pageHeightMillimetres))</page-height>"
            + "<page-width>\(value(pageWidthMillimetres))</page-width>"
            + "<page-margins type=\"both\"><left-margin>\(margin)</left-margin><right-margin>\(margin)</right-margin>"
            + "<top-margin>\(margin)</top-margin><bottom-margin>\(value(bottomMarginMillimetres))</bottom-margin>"
            + "</page-margins></page-layout></defaults>\n"
    }
}
