import Foundation
import GRDB
import JiuzhuModel

/// What the papers a decision owes need from the store beyond the case file.
extension Store {
    /// The office's rule for the first month paid and the month a stop takes effect
    /// (`payment_start_months`), as the rosters apply it: a notice says the same month.
    public func paymentRules() throws -> PaymentRules {
        try read { db in try Store.paymentRules(db) }
    }
}
