import Foundation
@testable import JiuzhuModel

/// The repository's data/ folder and the programme catalog in it.
enum DataFixture {
    static let dataDir: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("data/programmes.json").path) {
                return dir.appendingPathComponent("data")
            }
            dir = dir.deletingLastPathComponent()
        }
        fatalError("data/ not found above \(#filePath)")
    }()

    static let catalog = try! ProgrammeCatalog.decode(Data(contentsOf: dataDir.appendingPathComponent("programmes.json")))
}
