import ArgumentParser
import Foundation
import JiuzhuModel
import JiuzhuStore

/// Starts the full-screen application.
enum AppLauncher {
    static func run(store: Store, lang: Lang, demo: Bool) throws {
        print(L("全屏界面尚未提供。数据库:\(store.path)", "The full-screen application is not built yet. Database: \(store.path)"))
    }
}
