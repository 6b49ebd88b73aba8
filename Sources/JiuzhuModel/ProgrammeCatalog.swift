import Foundation

/// Programme step definitions, read from `data/programmes.json`.
public struct ProgrammeCatalog: Codable, Sendable {
    public struct Step: Codable, Hashable, Sendable {
        public var code: String
        public var zh: String
        public var en: String
        /// The role that may do this step (see `Role`).
        public var role: String
        public var publicity: Bool?
        public var limitWorkingDays: Int?
        /// Status the case takes when this, the last step, is done ("active" or "closed").
        public var final: String?
        public func label(_ lang: Lang) -> String { lang == .zh ? zh : en }
    }
    public struct Definition: Codable, Hashable, Sendable {
        public var code: String
        public var zh: String
        public var en: String
        public var unit: String
        public var area: String
        public var steps: [Step]
        public func step(_ code: String) -> Step? { steps.first { $0.code == code } }
        public func index(of code: String) -> Int? { steps.firstIndex { $0.code == code } }
    }
    public var programmes: [Definition]

    public init(programmes: [Definition]) { self.programmes = programmes }

    public static func decode(_ data: Data) throws -> ProgrammeCatalog {
        let c = try JSONDecoder().decode(ProgrammeCatalog.self, from: data)
        for p in c.programmes {
            guard Programme(rawValue: p.code) != nil else { throw CatalogError.unknownProgramme(p.code) }
            for s in p.steps where Role(rawValue: s.role) == nil { throw CatalogError.unknownRole(p.code, s.role) }
            if p.steps.isEmpty { throw CatalogError.noSteps(p.code) }
        }
        for prog in Programme.allCases where !c.programmes.contains(where: { $0.code == prog.rawValue }) {
            throw CatalogError.missingProgramme(prog.rawValue)
        }
        return c
    }

    public func definition(_ p: Programme) -> Definition { programmes.first { $0.code == p.rawValue }! }

    public enum CatalogError: Error, CustomStringConvertible {
        case unknownProgramme(String), unknownRole(String, String), noSteps(String), missingProgramme(String)
        public var description: String {
            switch self {
            case .unknownProgramme(let p): return "programmes.json: unknown programme code '\(p)'"
            case .unknownRole(let p, let r): return "programmes.json: programme '\(p)' names unknown role '\(r)'"
            case .noSteps(let p): return "programmes.json: programme '\(p)' has no steps"
            case .missingProgramme(let p): return "programmes.json: programme '\(p)' is missing"
            }
        }
    }
}
