import Foundation
import JiuzhuApp
import JiuzhuModel
import JiuzhuStore
import TermUI
import Testing

/// `keymap.json`'s generic section: every screen takes it, a screen's own binding overrides it,
/// and the help screen and the key bar show the merged bindings.
@Suite struct KeymapTests {
    let keymap = Fixture.screens.keymap

    @Test func everyScreenTakesTheGenericKeysUnlessItBindsThemItself() throws {
        #expect(keymap.generic.map(\.key).contains("Up"))
        // The menu binds no Up of its own: the generic one, with its key-bar label.
        let menuUp = try #require(keymap.bindings(for: MenuScreen.id).first { $0.key == "Up" })
        #expect(menuUp.command == .up && menuUp.zh == "上移" && menuUp.barKey == "↑↓")
        #expect(keymap.command(for: .up, on: MenuScreen.id) == .up)
        // The household browser rewords Up for its help and keeps the generic bar label.
        let householdsUp = try #require(keymap.bindings(for: HouseholdsScreen.id).first { $0.key == "Up" })
        #expect(householdsUp.zh == "上一户" && householdsUp.bar?.zh == "选择")
        // The login box binds Up to another command: that wins, and no ↑↓ on its bar.
        #expect(keymap.command(for: .up, on: LoginScreen.id) == .prevField)
        #expect(keymap.bindings(for: LoginScreen.id).allSatisfy { $0.barKey == nil })
        // The year-end table unbinds them ('none').
        #expect(keymap.command(for: .up, on: ReportScreen.id) == nil)
        #expect(!keymap.bindings(for: ReportScreen.id).contains { $0.key == "Up" || $0.key == "Down" })
    }

    @Test func theKeyBarAndHelpShowTheMergedMap() throws {
        let store = try Fixture.store(households: 4)
        let backend = TestBackend(width: 80, height: 24)
        let r = AppRunner(backend: backend, store: store, env: try Fixture.env(store))
        backend.enqueue(.text("jingban"), .tab, .text("demo"), .enter)
        r.runUntilIdle()
        if r.state.top.id == IntakeScreen.id { backend.enqueue(.escape); r.runUntilIdle() }
        #expect(r.state.top.id == MenuScreen.id)
        let bar = try #require(backend.screenText.split(separator: "\n").last)
        #expect(bar.contains("↑↓ 选择"), "\(bar)")
        backend.enqueue(.function(1)); r.runUntilIdle()
        #expect(backend.screenText.contains("上移") && backend.screenText.contains("下移"))
    }

    @Test(arguments: [
        ("\"key\": \"F10\"", "\"key\": \"F1\"", "key 'F1' is bound twice in 'global'"),
        ("\"key\": \"Down\",\n   \"command\": \"down\"", "\"key\": \"Down\",\n   \"command\": \"none\"", "generic key 'Down' is bound to 'none'"),
        ("\"key\": \"Down\",\n   \"command\": \"down\"", "\"key\": \"F10\",\n   \"command\": \"down\"", "key 'F10' is both generic and global"),
        // A section no module declares (a screen's name is its module's `id`).
        ("\"audit\": [", "\"audti\": [", "unknown screen 'audti' (known: message, caseAction, login,"),
    ])
    func aMistakeInTheKeymapIsAnErrorNamingTheFile(find: String, replace: String, says: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("screens-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Fixture.root.appendingPathComponent("screens"), to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("keymap.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains(find))
        try text.replacingOccurrences(of: find, with: replace).write(to: file, atomically: true, encoding: .utf8)
        let error = try #require(throws: ScreenData.LoadError.self) { _ = try ScreenData.load(from: dir) }
        #expect(error.file == "keymap.json")
        #expect(error.description.contains(says), "\(error)")
    }
}
