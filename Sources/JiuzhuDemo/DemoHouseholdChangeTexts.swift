/// What the demo's clerk writes when recording its household changes (data of the demo
/// township, as its names are).
public enum DemoHouseholdChangeTexts {
    public static let babyGivenName = "小宝"
    public static let birthReason = "新生儿出生，凭出生医学证明登记"
    public static let deathReason = "村委会出具死亡证明"
    public static let adjustReason = "家庭成员死亡，按现有人口重新核定"
    public static let phoneReason = "户主更换手机号码"
    public static let splitAddressSuffix = "附1号"
    public static let splitReason = "子女成家，申请分户"
}
