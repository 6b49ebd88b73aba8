import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore
import TermUI
import Testing

/// A date the test moves, read by the app's clock.
final class MovableDay: @unchecked Sendable {
    private let lock = NSLock()
    private var day: CivilDate
    init(_ day: CivilDate) { self.day = day }
    var value: CivilDate {
        get { lock.withLock { day } }
        set { lock.withLock { day = newValue } }
    }
}

/// The clock is read per event: an application left open over midnight works on the new day.
@Suite struct ClockTests {
    @Test func theDateRollsOverAtMidnightInARunningApp() throws {
        let store = try Fixture.store(households: 4)
        let day = MovableDay(CivilDate(year: 2026, month: 12, day: 31)!)
        let clock = AppClock(today: { day.value }, random: { 4242 })
        let env = try AppEnvironment.load(store: store, screens: Fixture.screens, lang: .zh, demo: true, clock: clock)
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: env)
        backend.enqueue(.text("jingban"), .tab, .text("demo"), .enter)
        r.runUntilIdle()
        #expect(r.state.top.id == MenuScreen.id || r.state.top.id == IntakeScreen.id)
        #expect(backend.screenText.contains("2026-12-31"))

        // Midnight passes while the menu is open; the next key works on the new day.
        day.value = CivilDate(year: 2027, month: 1, day: 1)!
        if r.state.top.id == IntakeScreen.id { backend.enqueue(.escape) }
        backend.enqueue(.char("7"))
        r.runUntilIdle()
        #expect(r.env.today == CivilDate(year: 2027, month: 1, day: 1)!)
        #expect(r.env.forms.rules.today == r.env.today)
        let report = try #require(r.state.top.state(of: ReportScreen.self))
        // The year-end table opens on the new year, not on the year the app was started in.
        #expect(report.from == CivilDate(year: 2027, month: 1, day: 1)!)
        #expect(backend.screenText.contains("2027-01-01"))
        #expect(!backend.screenText.contains("2026-12-31"))
        // The random source is read per event too.
        #expect(r.env.random == 4242)
    }

    @Test func aFixedDateNeverMoves() throws {
        let env = try Fixture.env(try Store())
        var moved = env
        moved.tick()
        #expect(moved.today == Fixture.today)
    }
}
