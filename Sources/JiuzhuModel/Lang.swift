import Foundation

/// The UI language: Chinese first, English as an option.
public enum Lang: String, Codable, Sendable, CaseIterable {
    case zh, en

    /// The language's tag in an HTML page's `lang`.
    public var htmlCode: String {
        switch self {
        case .zh: return "zh-CN"
        case .en: return "en"
        }
    }

    /// From `--lang`, else `LANG`/`LC_ALL`: English only when the locale says so.
    public static func detect(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> Lang {
        if let e = explicit?.lowercased() {
            if e.hasPrefix("en") { return .en }
            if e.hasPrefix("zh") { return .zh }
        }
        for key in ["JIUZHU_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
            if let v = environment[key]?.lowercased(), !v.isEmpty {
                if v.hasPrefix("en") { return .en }
                if v.hasPrefix("zh") { return .zh }
            }
        }
        return .zh
    }
}

/// A piece of text in both languages.
public struct Text2: Hashable, Codable, Sendable {
    public var zh: String
    public var en: String
    public init(zh: String, en: String) { self.zh = zh; self.en = en }
    public func callAsFunction(_ lang: Lang) -> String { lang == .zh ? zh : en }
}
