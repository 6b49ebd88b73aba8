import Foundation
import JiuzhuModel
import JiuzhuStore
import TermUI

/// In-process measurements through the real runner, store and TermUI (with TestBackend in
/// place of the terminal). Figures, not assertions: `jiuzhu bench` prints them.
public enum Benchmark {
    public struct Stats: Codable, Sendable {
        public var count: Int
        public var medianMs: Double
        public var p99Ms: Double
        public var worstMs: Double
        public init(_ samples: [Double]) {
            let s = samples.sorted()
            count = s.count
            medianMs = s.isEmpty ? 0 : s[s.count / 2]
            p99Ms = s.isEmpty ? 0 : s[min(s.count - 1, Int((Double(s.count) * 0.99).rounded(.up)) - 1)]
            worstMs = s.last ?? 0
        }
    }

    /// At least `n` keystrokes: the 50 below typed over and over, "hu" rubbed out between rounds
    /// (52 a round), so a p99 over them is a percentile and not the slowest key.
    public static func keystrokes(atLeast n: Int) -> [KeyEvent] {
        guard n > keystrokes.count else { return keystrokes }
        var k: [KeyEvent] = []
        while k.count < n {
            if !k.isEmpty { k += [.backspace, .backspace] }
            k += keystrokes
        }
        return k
    }

    /// 50 keystrokes a clerk might type: pinyin initials, full pinyin, names, ID digits at
    /// either end, a village, each typed and rubbed out again.
    public static let keystrokes: [KeyEvent] = {
        var k: [KeyEvent] = []
        func type(_ s: String, erase: Bool = true) {
            for c in s { k.append(.char(c)) }
            if erase { for _ in s { k.append(.backspace) } }
        }
        type("zsf"); type("wang"); type("li"); type("张三"); type("5329"); type("0012"); type("李家")
        type("huang", erase: false); k += [.backspace, .backspace, .backspace]
        return k
    }()

    public struct KeystrokeResult: Sendable {
        public var perKey: Stats
        /// The search texts the keystrokes produced, in order.
        public var texts: [String]
        /// The statements each distinct text's first page ran, for the sqlite3 comparison.
        public var statements: [String: [String]]
        /// Time for the exact count to arrive after each text, off the keystroke path.
        public var count: Stats
        /// The same, per keystroke in order: how long the drawing thread waited before the
        /// next key (the shell comparison pauses as long).
        public var countWaits: [Double]
        /// The statements of each distinct text's exact count (run after its page).
        public var countStatements: [String: [String]]
        /// The same page query alone, in this process through GRDB (each text's average of 20),
        /// per keystroke: what the app's filter costs before anything is drawn.
        public var query: Stats
        /// One frame of the browser rendered and diffed to the backend (nothing changed since
        /// the last, so this is the render and the comparison, not the terminal's output).
        public var frame: Stats
    }

    /// Each text's page query run `repeats` times in this process; milliseconds per run.
    static func queryTimes(_ texts: [String], repeats: Int = 20, _ page: (String) throws -> Void) rethrows -> [Double] {
        var perText: [String: Double] = [:]
        for t in Set(texts) {
            try page(t)   // once untimed, as the shell's first run warms its cache too
            let t0 = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<repeats { try page(t) }
            perText[t] = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6 / Double(repeats)
        }
        return texts.map { perText[$0] ?? 0 }
    }

    public static let benchUser = User(id: 0, name: "bench", displayName: "bench", role: .supervisor)

    /// When the frame of a key dispatched at `t0` was drawn: the count or sum is started after
    /// it, still inside the dispatch, and is not part of what the user waits for.
    static func frameDrawn(_ runner: AppRunner, since t0: UInt64) -> UInt64 {
        runner.lastFrameAt > t0 ? runner.lastFrameAt : DispatchTime.now().uptimeNanoseconds
    }

    /// Open the household browser logged in as a supervisor and time `keys`, each from key to
    /// drawn frame (page query, reducer, view, diff to the backend).
    public static func householdKeystrokes(store: Store, env: AppEnvironment, width: Int = 80, height: Int = 24,
                                           keys: [KeyEvent] = keystrokes, login: Login? = nil) throws -> KeystrokeResult {
        let backend = TestBackend(width: width, height: height)
        backend.keepsFrames = false
        let runner = AppRunner(backend: backend, store: store, env: env)
        try logIn(runner, login)
        runner.dispatch(.key(.char("1")))
        runner.settle()
        var samples: [Double] = []
        var texts: [String] = []
        var countTimes: [Double] = []
        // JIUZHU_BENCH_TRACE=1: each keystroke's text and time on stderr.
        let trace = ProcessInfo.processInfo.environment["JIUZHU_BENCH_TRACE"] != nil
        for key in keys {
            let t0 = DispatchTime.now().uptimeNanoseconds
            runner.dispatch(.key(key))
            let t1 = frameDrawn(runner, since: t0)
            samples.append(Double(t1 - t0) / 1e6)
            runner.settle()
            countTimes.append(Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e6)
            if let b = HouseholdsScreen.extract(runner.state.top) { texts.append(b.query.text) }
            if trace { try? FileHandle.standardError.write(contentsOf: Data("\(width)x\(height) \(texts.last ?? "?") \(samples.last!) count \(countTimes.last!)\n".utf8)) }
        }
        var statements: [String: [String]] = [:]
        for t in Set(texts) {
            let (_, sql) = try store.captureSQL { db in
                try Store.householdPage(db, HouseholdQuery(text: t), anchor: .first, limit: runner.state.householdPageSize)
            }
            statements[t] = sql
        }
        let limit = runner.state.householdPageSize
        let query = try queryTimes(texts) { t in
            _ = try store.read { db in try Store.householdPage(db, HouseholdQuery(text: t), anchor: .first, limit: limit) }
        }
        let frames = (0..<20).map { _ in time(runs: 1) { runner.draw() } }
        var countStatements: [String: [String]] = [:]
        for t in Set(texts) { countStatements[t] = try store.captureSQL { db in try Store.householdCount(db, text: t) }.1 }
        return KeystrokeResult(perKey: Stats(samples), texts: texts, statements: statements, count: Stats(countTimes), countWaits: countTimes,
                               countStatements: countStatements,
                               query: Stats(query), frame: Stats(frames))
    }

    /// Milliseconds for `body`, the best of `runs`.
    public static func time(runs: Int = 3, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<runs {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        return best
    }
}

extension Benchmark {
    public struct FormResult: Codable, Sendable {
        /// From Enter on the draft to the form drawn.
        public var openMs: Double
        /// Typing into a member's field and into an income row: key to drawn frame.
        public var keystroke: Stats
        /// Tab out of a field: its checks, the database checks and the draft written (fsync).
        public var leave: Stats
        /// F2 to the case, survey, persons and audit row committed.
        public var submitMs: Double
        public var members: Int
        public var incomeRows: Int
    }

    /// A household of `members` people with three income rows each, opened from a draft, typed
    /// into, tabbed through and submitted, through the real runner and store. Writes a draft and
    /// a case into `store`: run it on a benchmark database.
    public static func bigForm(store: Store, env: AppEnvironment, members: Int = 30, width: Int = 80, height: Int = 24) throws -> FormResult {
        guard let spec = env.screens.forms[ApplicationForm.formId] else { throw StoreError.invalid("no application form") }
        let today = env.today
        // Birth dates no demo person has (the 1st of a month in 1931–1960, sequence 9xx) and a
        // different set each run, counted by the surveys already in the database.
        let runNo = try store.surveyCount()
        // The store takes an application only from a clerk of the database (`Policy`).
        guard let clerk = try store.users().first(where: { $0.active && Policy.allows($0.role, .takeApplications) && $0.role == .clerk }) else {
            throw StoreError.invalid("no active clerk in the benchmark database")
        }
        let region = String((try store.office()?.countyCode ?? "532927").prefix(6))
        var v = FormValues.blank(spec, today: today)
        v.fields["programme"] = "rural_dibao"
        v.fields["village"] = try store.villages().first { $0.level == .village }?.code ?? ""
        v.fields["address"] = "测试路1号"; v.fields["paid_by_card"] = "no"; v.fields["causes"] = "illness"
        v.fields["investigator1"] = "张明"; v.fields["investigator2"] = "李华"; v.fields["signed"] = "yes"
        v.fields["application_signed"] = "yes"; v.fields["check_authorised"] = "yes"
        let kinds = ["wages", "farming", "youfu"]
        // At 100,000 households a demo person may hold one of these numbers: take the next free one.
        var taken = Set<String>()
        let ids = try (0..<members).map { i -> IDNumber in
            let birth = CivilDate(year: 1931 + (runNo * 7 + i) % 30, month: 1 + i % 12, day: 1)!
            var seq = 900 + (runNo * 31 + i) % 99
            var id = IDNumber.make(region: region, birth: birth, sequence: seq)
            while try taken.contains(id.value) || store.idHolder(idNumber: id.value, outside: nil) != nil {
                seq = (seq + 1) % 1000
                id = IDNumber.make(region: region, birth: birth, sequence: seq)
            }
            taken.insert(id.value)
            return id
        }
        v.groups["members"] = (0..<members).map { i in
            let id = ids[i]
            var m = FormValues.newItem(spec.section("members")!, today: today)
            m["name"] = "测试\(["甲", "乙", "丙", "丁", "戊", "己"][i % 6])\(["一", "二", "三", "四", "五"][i % 5])"
            m["id_number"] = id.value; m["relation"] = i == 0 ? "02" : "70"; m["sex"] = id.sex.rawValue
            return m
        }
        v.groups["income"] = (0..<(members * 3)).map { ["member": String($0 / 3 + 1), "kind": kinds[$0 % 3], "amount": "1200.00"] }
        let draft = try store.saveDraft(id: nil, user: clerk.name, form: spec.id, title: "bench", values: v)

        let backend = TestBackend(width: width, height: height)
        let runner = AppRunner(backend: backend, store: store, env: env)
        runner.dispatch(.loggedIn(clerk))
        runner.settle()
        if runner.state.top.id == IntakeScreen.id {} else { runner.dispatch(.key(.char("2"))) }
        runner.settle()
        guard let st = IntakeScreen.extract(runner.state.top), let row = st.drafts.firstIndex(where: { $0.id == draft }) else {
            throw StoreError.invalid("bench draft not listed")
        }
        for _ in 0..<(row + 1 - st.selection) { runner.dispatch(.key(.down)) }
        let o0 = DispatchTime.now().uptimeNanoseconds
        runner.dispatch(.key(.enter))
        let openMs = Double(DispatchTime.now().uptimeNanoseconds - o0) / 1e6
        func timed(_ k: KeyEvent) -> Double {
            let t0 = DispatchTime.now().uptimeNanoseconds
            runner.dispatch(.key(k))
            return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
        }
        var keys: [Double] = [], leaves: [Double] = []
        // The last member's page: rub out and retype the name; tab through the page.
        for _ in 0..<(2 + members - 1) { _ = timed(.pageDown) }
        for _ in 0..<3 { keys.append(timed(.backspace)) }
        for c in "王五六" { keys.append(timed(.char(c))) }
        for _ in 0..<12 { leaves.append(timed(.tab)) }
        // The income table: retype an amount on the last row.
        while let f = FormScreen.extract(runner.state.top), let p = spec.pages(f.values)[safe: f.page], p.section != "income" { _ = timed(.pageDown) }
        let target = FieldRef(section: "income", item: members * 3 - 1, field: "amount")
        for _ in 0..<(members * 3 * 4) {
            guard let f = FormScreen.extract(runner.state.top), let p = spec.pages(f.values)[safe: f.page],
                  spec.slots(p, f.values)[safe: f.focus] != target else { break }
            leaves.append(timed(.tab))
        }
        for _ in 0..<7 { keys.append(timed(.backspace)) }
        for c in "2400.00" { keys.append(timed(.char(c))) }
        leaves.append(timed(.tab))
        let s0 = DispatchTime.now().uptimeNanoseconds
        runner.dispatch(.key(.function(2)))
        let submitMs = Double(DispatchTime.now().uptimeNanoseconds - s0) / 1e6
        guard let f = FormScreen.extract(runner.state.top), f.submittedCase != nil else {
            var why = (runner.state.message?.text ?? "") + ((runner.state.top.id == FormScreen.id) ? "" : " (left the form)")
            if let f = FormScreen.extract(runner.state.top) {
                why += (f.errorList ?? []).prefix(3).map { App.describe($0, spec: spec, values: f.values, env: env) }.joined(separator: "; ")
                if let b = f.confirmBox { why += b.message }
            }
            throw StoreError.invalid("bench form was not submitted: \(why)")
        }
        return FormResult(openMs: openMs, keystroke: Stats(keys), leave: Stats(leaves), submitMs: submitMs, members: members, incomeRows: members * 3)
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}

extension Benchmark {
    public struct ReviewResult: Codable, Sendable {
        public var reviewerRows: Int
        public var clerkRows: Int
        /// Loading the queue (the query, deadlines worked out for every row).
        public var reviewerQueueMs: Double
        public var clerkQueueMs: Double
        /// Opening a case: household, history, facts, rule table and benefit.
        public var openCase: Stats
        /// The queue and a case drawn through the view at 80×24.
        public var drawMs: Double
    }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
    }

    /// 审核审批 at the database's size: the reviewer's and the clerk's queues, and opening the
    /// first 50 cases of the reviewer's queue. Reads only.
    public static func review(store: Store, env: AppEnvironment) throws -> ReviewResult? {
        guard let catalog = env.catalog else { return nil }
        var reviewer: [QueueRow] = [], clerk: [QueueRow] = []
        let rq = try (0..<3).map { _ in try time { reviewer = try store.reviewQueue(role: .reviewer, catalog: catalog, today: env.today) } }.min()!
        let cq = try (0..<3).map { _ in try time { clerk = try store.reviewQueue(role: .clerk, catalog: catalog, today: env.today) } }.min()!
        var samples: [Double] = []
        var last: CaseFile?
        for row in reviewer.prefix(50) {
            samples.append(try time { last = try store.caseFile(id: row.caseId, today: env.today, catalog: catalog) })
        }
        var s = AppState(width: 80, height: 24)
        s.user = User(name: "bench", displayName: "bench", role: .reviewer)
        var q = ReviewState(); q.rows = reviewer; q.loading = false
        var c = CaseViewState(caseId: last?.caseRecord.id ?? 0); c.file = last
        s.stack = [MenuScreen.embed(MenuState()), ReviewScreen.embed(q), CaseScreen.embed(c)]
        let draw = time {
            _ = AppView.render(s, env: env)
            s.stack.removeLast()
            _ = AppView.render(s, env: env)
        }
        return ReviewResult(reviewerRows: reviewer.count, clerkRows: clerk.count, reviewerQueueMs: rq, clerkQueueMs: cq,
                            openCase: Stats(samples), drawMs: draw)
    }
}

extension Benchmark {
    public struct CaseBrowserResult: Sendable {
        /// Each keystroke from key to drawn frame (the page query, reducer, view).
        public var perKey: Stats
        /// The count and sum's arrival after each keystroke, off the keystroke path.
        public var summary: Stats
        /// The same, per keystroke in order (the shell comparison pauses as long).
        public var summaryWaits: [Double]
        /// F5 (next column) and F6 (reverse) over every sort column, key to frame.
        public var sorts: Stats
        /// A new filter from the filter box (F2 in the box to the new first page drawn), and every
        /// sort both ways under some of them.
        public var filters: Stats
        /// The slowest new filter and its time.
        public var slowestFilter: String
        /// The slowest sort, its column and way ("head ↑" or "head ↓") and the search text under it.
        public var slowestSort: String
        public var filterSorts: Stats
        /// Enter on a case to its timeline drawn (steps, actors, dates, reasons, objections,
        /// spot checks, rule table, benefit).
        public var openCase: Stats
        public var texts: [String]
        /// The statements each distinct text's first page ran, for the sqlite3 comparison.
        public var statements: [String: [String]]
        /// The statements of each distinct text's count and sum (run after its page).
        public var countStatements: [String: [String]]
        /// Each keystroke's page query alone in this process, and one frame drawn.
        public var query: Stats
        public var frame: Stats
    }

    /// The filters the bench applies through the filter box: the field (its id) and the text.
    /// In a county file the village is named within a township (village names repeat across
    /// townships), and a township alone is one filter more (`township` stands for the file's
    /// second township).
    public static let caseFilters: [[(field: String, text: String)]] = [
        [("programme", "rural_dibao")], [("programme", "tekun")], [("status", "in_progress")], [("status", "active")],
        [("township", "township"), ("village", "李家村")], [("overdue", "是")], [("class", "A")],
        [("min", "500")], [("investigator", "张")], [("decidedFrom", "2026-01-01")],
    ]

    /// The case browser (对象查询) as the household one: each keystroke from key to drawn frame
    /// (the page query, reducer, view); the count and sum run off the keystroke path. Then every
    /// sort both ways, new filters (and sorts under them), and opening cases.
    public static func caseBrowser(store: Store, env: AppEnvironment, width: Int = 80, height: Int = 24,
                                   keys: [KeyEvent] = keystrokes, login: Login? = nil) throws -> CaseBrowserResult {
        guard let catalog = env.catalog else { throw StoreError.invalid("bench: no programme catalog (data/programmes.json)") }
        let backend = TestBackend(width: width, height: height)
        backend.keepsFrames = false
        let runner = AppRunner(backend: backend, store: store, env: env)
        try logIn(runner, login)
        runner.dispatch(.key(.char("5")))
        runner.settle()
        func timed(_ k: KeyEvent) -> Double {
            let t0 = DispatchTime.now().uptimeNanoseconds
            runner.dispatch(.key(k))
            return Double(frameDrawn(runner, since: t0) - t0) / 1e6
        }
        func browser() throws -> CaseBrowserState {
            guard let b = CaseBrowserScreen.extract(runner.state.top) else {
                throw StoreError.invalid("bench: left the case browser (\(runner.state.top.id)) \(runner.state.message?.text ?? "")")
            }
            return b
        }
        var samples: [Double] = [], summaries: [Double] = [], texts: [String] = []
        let trace = ProcessInfo.processInfo.environment["JIUZHU_BENCH_TRACE"] != nil
        for key in keys {
            let t0 = DispatchTime.now().uptimeNanoseconds
            runner.dispatch(.key(key))
            let t1 = frameDrawn(runner, since: t0)
            samples.append(Double(t1 - t0) / 1e6)
            runner.settle()
            summaries.append(Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e6)
            texts.append(try browser().query.text)
            if trace { try? FileHandle.standardError.write(contentsOf: Data("cases \(texts.last!) \(samples.last!) count \(summaries.last!)\n".utf8)) }
        }
        let b = try browser()
        guard !b.rows.isEmpty, b.count != nil else {
            throw StoreError.invalid("bench: the case browser showed no rows or no count: text=\(b.search.value) rows=\(b.rows.count) loading=\(b.loading)")
        }
        // Every sort column, each way (the search text typed last still in force).
        var slowestSort = "", slowestSortMs = -1.0
        func sortRound() throws -> [Double] {
            var t: [Double] = []
            for _ in CaseQuery.Sort.allCases {
                for key in [KeyEvent.function(5), .function(6)] {
                    t.append(timed(key))
                    if t.last! > slowestSortMs {
                        let q = try browser().query
                        slowestSortMs = t.last!
                        slowestSort = "\(q.sort.rawValue) \(q.descending ? "↓" : "↑")" + (q.text.isEmpty ? "" : " \(q.text)") + (q.isFiltered ? " (filtered)" : "")
                    }
                }
            }
            runner.settle()
            return t
        }
        let sorts = try sortRound()
        // New filters through the box, with no search text: F3, the field, F2 (timed), then Ctrl-U.
        runner.dispatch(.key(.escape)); runner.settle()
        var filters: [Double] = [], filterSorts: [Double] = []
        var slowest = ""
        let county = try browser().townships
        let township = county.flatMap { $0.dropFirst().first ?? $0.first }?.name
        var list = caseFilters.map { f in f.compactMap { p -> (field: String, text: String)? in
            p.field != "township" ? p : township.map { (p.field, $0) } } }
        if let township { list.insert([("township", township)], at: 4) }
        for (i, f) in list.enumerated() {
            runner.dispatch(.key(.function(3)))
            let ids = try browser().dialog?.fields.map(\.id) ?? []
            var at = 0
            for p in f {
                guard let to = ids.firstIndex(of: p.field), to >= at else { throw StoreError.invalid("bench: no filter field \(p.field) after \(at)") }
                for _ in at..<to { runner.dispatch(.key(.tab)) }
                runner.dispatch(.key(.text(p.text)))
                at = to
            }
            let text = f.map(\.text).joined(separator: " ")
            filters.append(timed(.function(2)))
            if filters.last! >= filters.max()! { slowest = text }
            runner.settle()
            let b = try browser()
            if b.dialog != nil { throw StoreError.invalid("bench: filter \(text) refused: \(b.dialog?.error ?? "")") }
            if i < 5 { filterSorts += try sortRound() }
            runner.dispatch(.key(.ctrl("u"))); runner.settle()
        }
        // Opening cases: the first two screenfuls in case order, then the oldest steps.
        var opens: [Double] = []
        func openPage() throws {
            for i in 0..<(try browser().rows.count) {
                if i > 0 { runner.dispatch(.key(.down)) }
                opens.append(timed(.enter))
                guard let c = CaseScreen.extract(runner.state.top), c.file != nil else { throw StoreError.invalid("bench: Enter did not open a case") }
                runner.dispatch(.key(.escape)); runner.settle()
            }
        }
        try openPage()
        runner.dispatch(.key(.pageDown)); runner.settle()
        try openPage()
        while try browser().query.sort != .since { runner.dispatch(.key(.function(5))) }
        runner.settle()
        try openPage()
        var statements: [String: [String]] = [:]
        for t in Set(texts) {
            var q = CaseQuery(); q.text = t
            let (_, sql) = try store.captureSQL { db in
                try Store.casePage(db, q, anchor: .first, limit: App.casePageSize(runner.state), today: env.today, catalog: catalog)
            }
            statements[t] = sql
        }
        let limit = App.casePageSize(runner.state)
        let query = try queryTimes(texts) { t in
            var q = CaseQuery(); q.text = t
            _ = try store.read { db in try Store.casePage(db, q, anchor: .first, limit: limit, today: env.today, catalog: catalog) }
        }
        runner.dispatch(.key(.escape)); runner.settle()
        let frames = (0..<20).map { _ in time(runs: 1) { runner.draw() } }
        var countStatements: [String: [String]] = [:]
        for t in Set(texts) {
            var q = CaseQuery(); q.text = t
            countStatements[t] = try store.captureSQL { db in try Store.caseSummary(db, q, today: env.today, catalog: catalog) }.1
        }
        return CaseBrowserResult(perKey: Stats(samples), summary: Stats(summaries), summaryWaits: summaries, sorts: Stats(sorts), filters: Stats(filters), slowestFilter: slowest, slowestSort: slowestSort,
                                 filterSorts: Stats(filterSorts), openCase: Stats(opens), texts: texts, statements: statements,
                                 countStatements: countStatements,
                                 query: Stats(query), frame: Stats(frames))
    }
}
