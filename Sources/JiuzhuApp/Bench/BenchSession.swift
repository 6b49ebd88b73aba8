import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// A role's session for `jiuzhu bench`: the real login screen and `authenticate`, then what that
/// role does, through the real runner and store (TestBackend in place of the terminal).
extension Benchmark {
    /// A demo account (see data/demo/township.txt).
    public struct Login: Sendable, Codable, Equatable {
        public var user: String
        public var password: String
        public init(user: String, password: String) { self.user = user; self.password = password }
    }

    /// The demo's four working roles, in the order the bench runs them.
    public static let demoLogins: [(role: Role, login: Login)] = [
        (.clerk, Login(user: "jingban", password: "demo")), (.reviewer, Login(user: "shenhe", password: "demo")),
        (.approver, Login(user: "shenpi", password: "demo")), (.supervisor, Login(user: "duzha", password: "demo")),
    ]

    /// Log `runner` in through the login screen (name, Tab, password, Enter: the password is
    /// checked by the store), then back to the main menu (a clerk with drafts lands on them).
    /// Without a login, a supervisor is set as logged in (the in-process tests).
    public static func logIn(_ runner: AppRunner, _ login: Login?) throws {
        guard let login else { runner.dispatch(.loggedIn(benchUser)); return }
        guard runner.state.top.id == LoginScreen.id else { throw StoreError.invalid("bench: not at the login screen (\(runner.state.top.id))") }
        for c in login.user { runner.dispatch(.key(.char(c))) }
        runner.dispatch(.key(.tab))
        for c in login.password { runner.dispatch(.key(.char(c))) }
        runner.dispatch(.key(.enter))
        runner.settle()
        guard runner.state.user?.name == login.user else {
            var why = runner.state.message?.text ?? ""
            if let l = LoginScreen.extract(runner.state.top) { why += l.error ?? "" }
            throw StoreError.invalid("bench: login as \(login.user) failed: \(why)")
        }
        for _ in 0..<3 where runner.state.top.id != MenuScreen.id {
            runner.dispatch(.key(.escape)); runner.settle()
        }
        guard runner.state.top.id == MenuScreen.id else { throw StoreError.invalid("bench: no main menu after login (\(runner.state.top.id))") }
    }

    /// What a clerk does besides searching, each from key to drawn frame: open a household's
    /// card from a search, open a new application form from 申请受理, the review queue
    /// (审核审批) loaded; the reviewer and approver open the queue and its first cases.
    public struct WalkResult: Codable, Sendable {
        public var loginMs: Double
        public var openCardMs: Double?
        public var openFormMs: Double?
        public var reviewQueueMs: Double?
        public var reviewRows: Int?
        public var openCase: Stats?
    }

    public static func walk(store: Store, env: AppEnvironment, role: Role, login: Login) throws -> WalkResult {
        let runner = AppRunner(backend: TestBackend(width: 80, height: 24), store: store, env: env)
        runner.draw()
        let l0 = DispatchTime.now().uptimeNanoseconds
        try logIn(runner, login)
        var r = WalkResult(loginMs: Double(DispatchTime.now().uptimeNanoseconds - l0) / 1e6)
        func timed(_ k: KeyEvent) -> Double {
            let t0 = DispatchTime.now().uptimeNanoseconds
            runner.dispatch(.key(k))
            runner.settle()
            return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
        }
        func toMenu() {
            for _ in 0..<8 where runner.state.top.id != MenuScreen.id {
                let wasForm = runner.state.top.id == FormScreen.id
                runner.dispatch(.key(.escape)); runner.settle()
                // Leaving the form asks to confirm (its draft is kept): yes.
                if wasForm && runner.state.top.id == FormScreen.id { runner.dispatch(.key(.char("y"))); runner.settle() }
            }
        }
        if role == .clerk {
            runner.dispatch(.key(.char("1"))); runner.settle()
            for c in "li" { runner.dispatch(.key(.char(c))); runner.settle() }
            r.openCardMs = timed(.enter)
            guard runner.state.top.id == HouseholdCardScreen.id else { throw StoreError.invalid("bench: Enter did not open a card (\(runner.state.top.id))") }
            toMenu()
            runner.dispatch(.key(.char("2"))); runner.settle()
            while let st = IntakeScreen.extract(runner.state.top), st.selection > 0 { runner.dispatch(.key(.up)) }
            r.openFormMs = timed(.enter)
            guard runner.state.top.id == FormScreen.id else { throw StoreError.invalid("bench: Enter did not open the form (\(runner.state.top.id))") }
            toMenu()
        }
        r.reviewQueueMs = timed(.char("3"))
        guard let q = ReviewScreen.extract(runner.state.top) else { throw StoreError.invalid("bench: 3 did not open the review queue (\(runner.state.top.id))") }
        r.reviewRows = q.rows.count
        if role != .clerk {
            var opens: [Double] = []
            for i in 0..<min(20, q.rows.count) {
                if i > 0 { runner.dispatch(.key(.down)) }
                opens.append(timed(.enter))
                guard runner.state.top.id == CaseScreen.id else { throw StoreError.invalid("bench: Enter did not open a case (\(runner.state.top.id))") }
                runner.dispatch(.key(.escape)); runner.settle()
            }
            r.openCase = Stats(opens)
        }
        toMenu()
        return r
    }
}
