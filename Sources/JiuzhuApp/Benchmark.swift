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
    }

    public static let benchUser = User(id: 0, name: "bench", displayName: "bench", role: .supervisor)

    /// Open the household browser logged in as a supervisor and time `keys`, each from key to
    /// drawn frame (page query, reducer, view, diff to the backend).
    public static func householdKeystrokes(store: Store, env: AppEnvironment, width: Int = 80, height: Int = 24,
                                           keys: [KeyEvent] = keystrokes) throws -> KeystrokeResult {
        let backend = TestBackend(width: width, height: height)
        let runner = AppRunner(backend: backend, store: store, env: env)
        runner.dispatch(.loggedIn(benchUser))
        runner.dispatch(.key(.char("1")))
        runner.settle()
        var samples: [Double] = []
        var texts: [String] = []
        var countTimes: [Double] = []
        for key in keys {
            let t0 = DispatchTime.now().uptimeNanoseconds
            runner.dispatch(.key(key))
            let t1 = DispatchTime.now().uptimeNanoseconds
            samples.append(Double(t1 - t0) / 1e6)
            runner.settle()
            countTimes.append(Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e6)
            if case .households(let b) = runner.state.top { texts.append(b.query.text) }
        }
        var statements: [String: [String]] = [:]
        for t in Set(texts) {
            let (_, sql) = try store.captureSQL { db in
                try Store.householdPage(db, HouseholdQuery(text: t), anchor: .first, limit: runner.state.householdPageSize)
            }
            statements[t] = sql
        }
        return KeystrokeResult(perKey: Stats(samples), texts: texts, statements: statements, count: Stats(countTimes))
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
