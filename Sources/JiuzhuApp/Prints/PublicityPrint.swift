import Foundation
import JiuzhuModel
import JiuzhuStore

/// A batch's notice in every format, into `prints/` beside the database (files mode 0600): plain
/// text at 80 and 132 columns, HTML, CSV and XLSX. A posted or closed batch prints the document
/// as it was published; a draft prints what would be posted now.
public enum PublicityPrint {
    public enum Format: String, CaseIterable, Sendable { case txt, txt132, html, csv, xlsx }

    /// The bytes of one format (XLSX is written by the library to `path` directly).
    public static func render(_ doc: PublicityDocument, _ format: Format, lang: Lang) -> String? {
        switch format {
        case .txt: return PublicityRender.text(doc, lang: lang, width: 80)
        case .txt132: return PublicityRender.text(doc, lang: lang, width: 132)
        case .html: return PublicityRender.html(doc, lang: lang)
        case .csv: return PublicityRender.csv(doc, lang: lang)
        case .xlsx: return nil
        }
    }

    public static func write(_ doc: PublicityDocument, format: Format, to path: String, lang: Lang, force: Bool = true) throws {
        if let text = render(doc, format, lang: lang) {
            try SurveyPrint.writePrivate(text, to: path, force: force)
        } else {
            try PublicityXLSX.write(doc, lang: lang, to: path, force: force)
        }
    }

    /// A document in every format into `prints/` beside the database, as `NAME-STAMP.EXT`.
    public static func write(_ doc: PublicityDocument, name: String, besides dbPath: String, lang: Lang) throws -> [String] {
        let dir = try PrintsFolder.url(besides: dbPath)
        let stamp = Int(Date().timeIntervalSince1970)
        var out: [String] = []
        for f in Format.allCases {
            let ext = f == .txt132 ? "132.txt" : f.rawValue
            let path = dir.appendingPathComponent("\(name)-\(stamp).\(ext)").path
            try write(doc, format: f, to: path, lang: lang)
            out.append(path)
        }
        return out
    }

    public static func write(batchId: Int64, store: Store, env: AppEnvironment, catalog: ProgrammeCatalog) throws -> [String] {
        let doc = try store.document(batchId: batchId, today: env.today, catalog: catalog)
        let dir = try PrintsFolder.url(besides: store.path)
        let stamp = Int(Date().timeIntervalSince1970)
        var out: [String] = []
        for f in Format.allCases {
            let ext = f == .txt132 ? "132.txt" : f.rawValue
            let path = dir.appendingPathComponent("publicity-\(batchId)-\(stamp).\(ext)").path
            try write(doc, format: f, to: path, lang: env.lang)
            out.append(path)
        }
        return out
    }
}
