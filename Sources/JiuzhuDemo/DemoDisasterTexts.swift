// The demo's disaster work: the texts a clerk would write (data, like the demo's names).
public enum DemoDisasterTexts {
    public static let defaultName = "洪涝灾害"
    public static let county = "县应急管理局"
    public static let redCross = "县红十字会"
    public static let donor = "县慈善总会"
    public static let stockTakeReason = "受潮霉变，报损"
    public static let needsCollapsed = "住房倒塌，需过渡安置、口粮、衣被"
    public static let needsSevere = "住房严重损坏，需口粮、衣被"
    public static let needsGeneral = "口粮"
    public static let needsNone = "农作物受灾，需口粮"
    /// The loss level 核灾定级 gives a ledger grade (data/programmes.json's choices).
    public static func level(_ damage: String) -> String { damage == "collapsed" ? "重度" : damage == "severe" ? "中度" : "轻度" }
    /// The assessment's house damage as the demo cases wrote it, to the ledger's grades.
    public static let damage: [String: String] = ["倒塌": "collapsed", "严重损坏": "severe", "一般损坏": "general", "农作物受灾": "none"]
}
