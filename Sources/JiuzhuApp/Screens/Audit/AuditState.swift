import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// 系统管理 → 审计日志: who did what and when, newest first, a screenful at a time; F3 walks the
/// hash chain from the first row and says whether it is whole.
public struct AuditState: Equatable, Sendable {
    public var entries: [Audit.Entry] = []
    public var selected = 0
    /// The newest row's id when the log was opened: the count shown, and where Home goes.
    public var newest: Int64 = 0
    public var loading = true
    public init() {}
    public var selectedEntry: Audit.Entry? { entries.indices.contains(selected) ? entries[selected] : nil }
}
