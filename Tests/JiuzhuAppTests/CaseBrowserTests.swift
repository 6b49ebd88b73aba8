import Foundation
import GRDB
@testable import JiuzhuApp
import JiuzhuModel
@testable import JiuzhuStore
import TermUI
import Testing

/// 对象查询: filters combine as a direct SQL count says; typing filters; Enter opens the case.
@Suite(.serialized) struct CaseBrowserTests {
    static func store() throws -> (Store, [Int64]) {
        let s = try Fixture.store(households: 12)
        var ids: [Int64] = []
        for h in 1...12 {
            let step = ["township_review", "county_approval", "village_publicity"][h % 3]
            let since = Fixture.today.adding(days: -(h * 4))
            ids.append(try CaseFixture.ruralCase(s, household: Int64(h), at: step, since: since))
        }
        try s.write { db in
            try db.execute(sql: "UPDATE assistance_case SET status = 'active', step = 'payment', monthly_amount_fen = id * 10000 WHERE id % 4 = 0")
        }
        return (s, ids)
    }

    @Test func typingFiltersAndEnterOpensTheCase() throws {
        let (store, _) = try Self.store()
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store))
        for e: KeyEvent in [.text("duzha"), .tab, .text("demo"), .enter, .char("5")] { backend.enqueue(e) }
        r.runUntilIdle()
        let b0 = try #require(r.state.top.state(of: CaseBrowserScreen.self))
        #expect(b0.count == 12)
        backend.enqueue(.text("张三丰")); r.runUntilIdle()
        let b1 = try #require(r.state.top.state(of: CaseBrowserScreen.self))
        #expect(b1.rows.map(\.head) == ["张三丰"])
        #expect(backend.screenText.contains("共 1 件"))
        backend.enqueue(.enter); r.runUntilIdle()
        let c = try #require(r.state.top.state(of: CaseScreen.self))
        #expect(c.file?.head?.name == "张三丰")
        #expect(backend.screenText.contains("办理记录") || backend.screenText.contains("审核条件"))
    }
}

@Suite(.serialized) struct CaseBrowserSavedTests {
    @Test func aSavedSelectionComesBackAfterARestartAndExports() throws {
        let (store, _) = try CaseBrowserTests.store()
        func session() throws -> (AppRunner, TestBackend) {
            let backend = TestBackend(width: 80, height: 24)
            let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store))
            for e: KeyEvent in [.text("duzha"), .tab, .text("demo"), .enter, .char("5")] { backend.enqueue(e) }
            r.runUntilIdle()
            return (r, backend)
        }
        var (r, backend) = try session()
        // Filter to the active cases of 李家村, save it as 李家村在保.
        backend.enqueue(.function(3)); r.runUntilIdle()
        for e: KeyEvent in [.tab, .text("李家村"), .tab, .text("在保"), .function(2)] { backend.enqueue(e) }
        r.runUntilIdle()
        let b = try #require(r.state.top.state(of: CaseBrowserScreen.self))
        let selected = b.count
        #expect(b.query.village == "532927101201" && b.query.status == .active)
        for e: KeyEvent in [.function(7), .text("李家村在保"), .function(2)] { backend.enqueue(e) }
        r.runUntilIdle()
        #expect(r.state.message?.text.contains("李家村在保") == true)
        // A new session (a restart) brings it back with F4.
        (r, backend) = try session()
        for e: KeyEvent in [.function(4), .text("李家村在保"), .function(2)] { backend.enqueue(e) }
        r.runUntilIdle()
        let b2 = try #require(r.state.top.state(of: CaseBrowserScreen.self))
        #expect(b2.query.village == "532927101201" && b2.query.status == .active)
        #expect(b2.count == selected)
        // F9 exports the selection: masked IDs, 0600.
        backend.enqueue(.function(9)); r.runUntilIdle()
        let text = r.state.message?.text ?? ""
        let lines = text.split(separator: "\n").map(String.init)
        let path = try #require(lines.first { $0.hasSuffix(".csv") })
        let xlsx = try #require(lines.first { $0.hasSuffix(".xlsx") })
        let csv = try String(contentsOfFile: path, encoding: .utf8)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(csv.contains("案件号,项目"))
        #expect(csv.split(separator: "\r\n").count == (selected ?? 0) + 1)
        #expect(csv.contains("********"))
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        // The same selection as an Excel workbook: a zip, 0600, one row per case after the title
        // and header rows, IDs masked (read with unzip where the machine has it).
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: xlsx)).prefix(2)) == [0x50, 0x4B])
        #expect((try FileManager.default.attributesOfItem(atPath: xlsx)[.posixPermissions] as? Int) == 0o600)
        if let unzip = ["/usr/bin/unzip", "/bin/unzip"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: unzip)
            p.arguments = ["-p", xlsx, "xl/worksheets/sheet1.xml"]
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let sheet = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(sheet.components(separatedBy: "<row ").count - 1 == (selected ?? 0) + 2)
            #expect(sheet.contains("********"))
        }
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: xlsx)
    }
}
