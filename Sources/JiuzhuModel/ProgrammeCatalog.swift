import Foundation

/// Programme step definitions, read from `data/programmes.json` (its "comment" says what each
/// key means). The workflow engine (`Workflow`) runs cases by these definitions.
public struct ProgrammeCatalog: Codable, Sendable {
    /// One thing a step records: a meeting date, the votes, the approver ...
    public struct Input: Codable, Hashable, Sendable {
        public enum Kind: String, Codable, Sendable { case date, month, integer, text, money, choice, yesno }
        public struct Choice: Codable, Hashable, Sendable {
            public var code: String
            public var zh: String
            public var en: String
            public func label(_ lang: Lang) -> String { lang == .zh ? zh : en }
        }
        public var id: String
        public var zh: String
        public var en: String
        public var kind: Kind
        public var required: Bool?
        public var choices: [Choice]?
        public func label(_ lang: Lang) -> String { lang == .zh ? zh : en }
        /// The label in both languages, as `data/programmes.json` gives it.
        public var text: Text2 { Text2(zh: zh, en: en) }
        public var isRequired: Bool { required ?? false }
        public init(id: String, zh: String, en: String, kind: Kind, required: Bool? = nil, choices: [Choice]? = nil) {
            self.id = id; self.zh = zh; self.en = en; self.kind = kind; self.required = required; self.choices = choices
        }
    }
    /// 先行救助: paid at step `at` before the papers, which are due within `papersDays`.
    public struct Urgent: Codable, Hashable, Sendable {
        public var at: String
        public var paymentStep: String
        public var papersDays: Int
    }
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
        public var inputs: [Input]?
        /// The step may refuse the case.
        public var reject: Bool?
        /// The step may send the case back to this step for re-investigation.
        public var backTo: String?
        /// Publicity: an objection sends the case back to this step.
        public var objectionTo: String?
        /// The approval that sets the benefit.
        public var decision: Bool?
        /// The household survey (done through the survey form).
        public var survey: Bool?
        /// On the path only when 审核确认权下放 is set ("delegated") or only when it is not
        /// ("county"); nil: always (民发〔2021〕57号 lets a county delegate confirmation).
        public var only: String?
        /// The English name for a narrow column (10 cells), where `en` would be cut.
        public var enShort: String?
        public func label(_ lang: Lang) -> String { lang == .zh ? zh : en }
        public func shortLabel(_ lang: Lang) -> String { lang == .zh ? zh : (enShort ?? en) }
        public var isPublicity: Bool { publicity ?? false }
        public var canReject: Bool { reject ?? false }
        public var isDecision: Bool { decision ?? false }
        /// Whether the step is on the path with confirmation delegated to the township or not.
        public func onPath(delegated: Bool) -> Bool {
            switch only {
            case "delegated"?: return delegated
            case "county"?: return !delegated
            default: return true
            }
        }
        public var stepInputs: [Input] { inputs ?? [] }
        public init(code: String, zh: String, en: String, role: String, publicity: Bool? = nil, limitWorkingDays: Int? = nil,
                    final: String? = nil, inputs: [Input]? = nil, reject: Bool? = nil, backTo: String? = nil,
                    objectionTo: String? = nil, decision: Bool? = nil, survey: Bool? = nil, only: String? = nil) {
            self.code = code; self.zh = zh; self.en = en; self.role = role; self.publicity = publicity
            self.limitWorkingDays = limitWorkingDays; self.final = final; self.inputs = inputs; self.reject = reject
            self.backTo = backTo; self.objectionTo = objectionTo; self.decision = decision; self.survey = survey; self.only = only
        }
    }
    public struct Definition: Codable, Hashable, Sendable {
        public var code: String
        public var zh: String
        public var en: String
        public var unit: String
        public var area: String
        public var steps: [Step]
        public var urgent: Urgent?
        /// The English name for a narrow column (8 cells), where `en` would be cut.
        public var enShort: String?
        public var programme: Programme { Programme(rawValue: code)! }
        public func label(_ lang: Lang) -> String { lang == .zh ? zh : en }
        public func shortLabel(_ lang: Lang) -> String { lang == .zh ? zh : (enShort ?? en) }
        public func step(_ code: String) -> Step? { steps.first { $0.code == code } }
        public func index(of code: String) -> Int? { steps.firstIndex { $0.code == code } }
        /// The steps a case walks, with confirmation delegated to the township or not.
        public func path(delegated: Bool) -> [Step] { steps.filter { $0.onPath(delegated: delegated) } }
        /// The step that decides (approves, refuses, and later stops) on that path.
        public func decisionStep(delegated: Bool) -> Step? { path(delegated: delegated).first { $0.isDecision } }
    }
    public var programmes: [Definition]
    /// The actions after which the family is owed a written notice (`notices` in the file).
    public struct Notices: Codable, Hashable, Sendable {
        public var actions: [String]
    }
    public var notices: Notices?

    public init(programmes: [Definition], notices: Notices? = nil) { self.programmes = programmes; self.notices = notices }

    /// Whether a case is owed a written notice after `action` (refused, stopped, adjusted,
    /// suspended: `notices.actions` in `data/programmes.json`).
    public func owesNotice(after action: CaseAction) -> Bool { notices?.actions.contains(action.rawValue) ?? false }

    /// The catalogue in `data`, checked; an error names `data/programmes.json` and the line.
    public static func decode(_ data: Data) throws -> ProgrammeCatalog {
        do { return try decodeChecked(data) }
        catch let e as CatalogError { throw e.located(in: data) }
    }

    static func decodeChecked(_ data: Data) throws -> ProgrammeCatalog {
        let c: ProgrammeCatalog
        do { c = try JSONDecoder().decode(ProgrammeCatalog.self, from: data) }
        catch let e as DecodingError { throw CatalogError.decoding(Self.where(e, in: data)) }
        for p in c.programmes {
            guard Programme(rawValue: p.code) != nil else { throw CatalogError.unknownProgramme(p.code) }
            for s in p.steps where Role(rawValue: s.role) == nil { throw CatalogError.unknownRole(p.code, s.role) }
            if p.steps.isEmpty { throw CatalogError.noSteps(p.code) }
            try check(p)
        }
        for a in c.notices?.actions ?? [] where CaseAction(rawValue: a) == nil { throw CatalogError.invalid("notices", "unknown action '\(a)'") }
        for prog in Programme.allCases where !c.programmes.contains(where: { $0.code == prog.rawValue }) {
            throw CatalogError.missingProgramme(prog.rawValue)
        }
        return c
    }

    public func definition(_ p: Programme) -> Definition { programmes.first { $0.code == p.rawValue }! }

    /// Names inside a programme must point at its own steps, backwards; the last step says
    /// what the case becomes; choices have choices.
    static func check(_ p: Definition) throws {
        func bad(_ why: String) -> CatalogError { .invalid(p.code, why) }
        var seen = Set<String>()
        for (i, s) in p.steps.enumerated() {
            if !seen.insert(s.code).inserted { throw bad("step '\(s.code)' appears twice") }
            for (key, target) in [("backTo", s.backTo), ("objectionTo", s.objectionTo)] {
                guard let t = target else { continue }
                guard let j = p.index(of: t), j < i else { throw bad("step '\(s.code)' \(key) '\(t)' is not an earlier step") }
            }
            if s.objectionTo != nil && !s.isPublicity { throw bad("step '\(s.code)' has objectionTo but is not a publicity step") }
            if let o = s.only, o != "delegated" && o != "county" { throw bad("step '\(s.code)': only '\(o)' must be delegated or county") }
            for delegated in [false, true] where s.onPath(delegated: delegated) {
                let path = p.path(delegated: delegated)
                if let f = s.final, path.last?.code != s.code || (f != "active" && f != "closed") {
                    throw bad("step '\(s.code)': final '\(f)' must be active or closed, and only on the last step")
                }
            }
            var ids = Set<String>()
            for input in s.stepInputs {
                if !ids.insert(input.id).inserted { throw bad("step '\(s.code)' input '\(input.id)' appears twice") }
                if input.kind == .choice && (input.choices ?? []).isEmpty { throw bad("step '\(s.code)' input '\(input.id)' has no choices") }
            }
        }
        for delegated in [false, true] {
            let path = p.path(delegated: delegated)
            if path.last?.final == nil { throw bad("the last step has no 'final'") }
            if path.filter(\.isDecision).count != 1 { throw bad("a path needs exactly one decision step") }
            // Only the decision step refuses; earlier steps propose refusal, which goes to it.
            if let d = path.firstIndex(where: \.isDecision), path[(d + 1)...].contains(where: \.canReject) {
                throw bad("step '\(path[(d + 1)...].first(where: \.canReject)!.code)' may not refuse after the decision")
            }
        }
        if let u = p.urgent {
            guard let a = p.index(of: u.at), let pay = p.index(of: u.paymentStep), a < pay else {
                throw bad("urgent: 'at' and 'paymentStep' must be steps, 'at' first")
            }
            if u.papersDays < 1 { throw bad("urgent: papersDays must be at least 1") }
        }
    }

    static func `where`(_ e: DecodingError, in data: Data) -> String { JSONLocation.describe(e, in: data) }

    public enum CatalogError: Error, CustomStringConvertible {
        case unknownProgramme(String), unknownRole(String, String), noSteps(String), missingProgramme(String), invalid(String, String)
        /// The file could not be read as JSON of the right shape: where and what.
        case decoding(String)
        /// A problem and the line it is on.
        indirect case at(line: Int, CatalogError)
        public var description: String {
            switch self {
            case .decoding(let s): return "data/programmes.json\(s)"
            case .at(let line, let e): return "data/programmes.json line \(line): " + e.problem
            default: return "data/programmes.json: " + problem
            }
        }
        var problem: String {
            switch self {
            case .decoding(let s): return s
            case .at(_, let e): return e.problem
            case .unknownProgramme(let p): return "unknown programme code '\(p)'"
            case .unknownRole(let p, let r): return "programme '\(p)' names unknown role '\(r)'"
            case .noSteps(let p): return "programme '\(p)' has no steps"
            case .missingProgramme(let p): return "programme '\(p)' is missing"
            case .invalid(let p, let why): return "programme '\(p)': \(why)"
            }
        }
        /// The same error with the line of what it names: the programme's code, then within it
        /// the role, step or input quoted in the problem.
        func located(in data: Data) -> CatalogError {
            switch self {
            case .decoding, .at, .missingProgramme: return self
            case .unknownProgramme(let p), .noSteps(let p):
                return JSONLocation.line(of: p, in: data).map { .at(line: $0, self) } ?? self
            case .unknownRole(let p, let r):
                let start = JSONLocation.line(of: p, in: data) ?? 1
                return (JSONLocation.line(of: r, in: data, from: start) ?? JSONLocation.line(of: p, in: data)).map { .at(line: $0, self) } ?? self
            case .invalid(let p, let why):
                let start = JSONLocation.line(of: p, in: data) ?? 1
                let inner = JSONLocation.quoted(why).flatMap { JSONLocation.line(of: $0, in: data, from: start) }
                return (inner ?? JSONLocation.line(of: p, in: data)).map { .at(line: $0, self) } ?? self
            }
        }
    }
}
