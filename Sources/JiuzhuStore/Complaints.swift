import Foundation
import GRDB
import JiuzhuModel

/// A complaint or report (举报, domain.md "Supervision"): received, assigned to someone to check,
/// checked (founded or not, and what is proposed for the case), answered. An objection to a
/// posting of adjustments and cancellations is registered here too.
public struct Complaint: Equatable, Sendable {
    public enum Channel: String, Sendable, CaseIterable {
        case box, phone, inPerson = "in_person", letter, anonymous, posting
        public var label: Text2 {
            switch self {
            case .box: return sayBoth("store.complaints.box")
            case .phone: return sayBoth("store.complaints.phone")
            case .inPerson: return sayBoth("store.complaints.inPerson")
            case .letter: return sayBoth("store.complaints.letter")
            case .anonymous: return sayBoth("store.complaints.anonymous")
            case .posting: return sayBoth("store.complaints.postingObjection")
            }
        }
        /// From what a clerk types: 1–6, the code, or the label's first characters.
        public init?(text: String) {
            let t = text.trimmingCharacters(in: .whitespaces)
            if let n = Int(t), (1...Channel.allCases.count).contains(n) { self = Channel.allCases[n - 1]; return }
            if let c = Channel(rawValue: t) { self = c; return }
            guard !t.isEmpty, let c = Channel.allCases.first(where: { $0.label.zh.hasPrefix(t) || $0.label.en.hasPrefix(t.lowercased()) }) else { return nil }
            self = c
        }
    }

    public enum Stage: String, Sendable, CaseIterable {
        case received, assigned, checked, answered
        public var label: Text2 {
            switch self {
            case .received: return sayBoth("store.complaints.received")
            case .assigned: return sayBoth("store.complaints.assigned")
            case .checked: return sayBoth("store.complaints.checked")
            case .answered: return sayBoth("store.complaints.answered")
            }
        }
    }

    public var id: Int64
    public var receivedOn: CivilDate
    public var channel: Channel
    /// Who complained ("" when anonymous) and how to answer them.
    public var complainant: String
    /// Whom or what it is about, as told; and the case, when one is named.
    public var subject: String
    public var caseId: Int64?
    public var content: String
    public var assignedTo: String?
    public var assignedOn: CivilDate?
    public var checkedOn: CivilDate?
    public var founded: Bool?
    public var finding: String?
    public var answeredOn: CivilDate?
    public var answer: String?
    public var receivedBy: String
    public var version: Int

    /// Days from receipt within which a complaint is to be answered: the work list shows it
    /// from a week before, and as late after. (A house choice; no figure in domain.md.)
    public static let answerDays = 30

    public var stage: Stage {
        answeredOn != nil ? .answered : checkedOn != nil ? .checked : assignedOn != nil ? .assigned : .received
    }
}

/// What a clerk enters when a complaint comes in.
public struct NewComplaint: Equatable, Sendable {
    public var receivedOn: CivilDate
    public var channel: Complaint.Channel
    public var complainant: String
    public var subject: String
    public var caseId: Int64?
    public var content: String
    public init(receivedOn: CivilDate, channel: Complaint.Channel, complainant: String = "", subject: String, caseId: Int64? = nil, content: String) {
        self.receivedOn = receivedOn; self.channel = channel; self.complainant = complainant
        self.subject = subject; self.caseId = caseId; self.content = content
    }
}

extension Store {
    static let complaintSQL = "SELECT * FROM complaint"

    static func complaint(from r: Row) -> Complaint {
        func date(_ c: String) -> CivilDate? { (r[c] as String?).flatMap(CivilDate.init(iso:)) }
        return Complaint(id: r["id"], receivedOn: date("received_on") ?? .today, channel: Complaint.Channel(rawValue: r["channel"]) ?? .box,
                         complainant: r["complainant"], subject: r["subject"], caseId: r["case_id"], content: r["content"],
                         assignedTo: r["assigned_to"], assignedOn: date("assigned_on"), checkedOn: date("checked_on"),
                         founded: (r["founded"] as Int64?).map { $0 != 0 }, finding: r["finding"], answeredOn: date("answered_on"),
                         answer: r["answer"], receivedBy: r["received_by"], version: r["version"])
    }

    /// The register, open complaints first (oldest first), then the answered (newest first).
    public func complaints() throws -> [Complaint] {
        try read { db in
            try Row.fetchAll(db, sql: Store.complaintSQL + " ORDER BY answered_on IS NOT NULL, CASE WHEN answered_on IS NULL THEN received_on END, CASE WHEN answered_on IS NULL THEN id END, answered_on DESC, id DESC")
                .map(Store.complaint(from:))
        }
    }

    public func complaint(id: Int64) throws -> Complaint? {
        try read { db in try Row.fetchOne(db, sql: Store.complaintSQL + " WHERE id = ?", arguments: [id]).map(Store.complaint(from:)) }
    }

    static func checkCaseExists(_ db: Database, _ caseId: Int64?) throws {
        guard let id = caseId else { return }
        if try Int64.fetchOne(db, sql: "SELECT id FROM assistance_case WHERE id = ?", arguments: [id]) == nil {
            throw StoreError.said("store.complaints.thereIsNoCase", ["id": "\(id)"])
        }
    }

    /// Register a complaint as received; its number.
    @discardableResult
    public func receiveComplaint(_ n: NewComplaint, by user: String, today: CivilDate = .today) throws -> Int64 {
        let content = n.content.trimmingCharacters(in: .whitespacesAndNewlines)
        let subject = n.subject.trimmingCharacters(in: .whitespacesAndNewlines)
        if content.isEmpty { throw StoreError.said("store.complaints.writeWhatTheComplaint") }
        if subject.isEmpty && n.caseId == nil {
            throw StoreError.said("store.complaints.sayWhomItIs")
        }
        if n.receivedOn > today {
            throw StoreError.said("store.complaints.receivedOnAfterToday", ["receivedOnIso": "\(n.receivedOn.iso)"])
        }
        return try write { db in
            try Store.authorize(db, user, .complaints)
            try Store.checkCaseExists(db, n.caseId)
            let complainant = n.channel == .anonymous ? "" : n.complainant.trimmingCharacters(in: .whitespaces)
            return try Store.insertComplaint(db, NewComplaint(receivedOn: n.receivedOn, channel: n.channel, complainant: complainant,
                                                              subject: subject, caseId: n.caseId, content: content), by: user)
        }
    }

    /// The complaint's row and its audit row; `n` already checked and trimmed.
    static func insertComplaint(_ db: Database, _ n: NewComplaint, by user: String, audit: [String: String] = [:]) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO complaint(received_on, channel, complainant, subject, case_id, content, received_by, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [n.receivedOn.iso, n.channel.rawValue, n.complainant, n.subject, n.caseId, n.content, user, Timestamp.now()])
        let id = db.lastInsertedRowID
        try Audit.append(db, user: user, action: "complaint.receive", entity: "complaint", entityId: String(id),
                         detail: Audit.detail(audit.merging(["channel": n.channel.rawValue, "case": n.caseId.map(String.init) ?? ""]) { a, _ in a }))
        return id
    }

    /// An objection to a line of a posted adjustments-and-cancellations posting: no case goes back
    /// (that posting moves none); it is registered as a complaint about the case, channel
    /// 公示异议, for the supervisor to assign and check. The complaint's number.
    public func registerPostingComplaint(batchId: Int64, caseId: Int64, receivedOn: CivilDate, receivedHow: String, content: String,
                                         by user: String, today: CivilDate = .today) throws -> Int64 {
        let text = content.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { throw StoreError.said("store.complaints.writeWhatTheObjection") }
        if receivedOn > today { throw StoreError.said("store.complaints.receivedOnAfterToday", ["receivedOnIso": "\(receivedOn.iso)"]) }
        return try write { db in
            try Store.authorize(db, user, .publicity)
            let b = try Store.requireBatch(db, batchId, version: nil, state: .posted)
            guard b.kind.step == nil else {
                throw StoreError.said("store.complaints.anObjectionToBatch", ["batchId": "\(batchId)"])
            }
            guard let change = try String.fetchOne(db, sql: "SELECT change FROM publicity_line WHERE batch_id = ? AND case_id = ?", arguments: [batchId, caseId]) else {
                throw StoreError.said("store.complaints.caseIsNotOn", ["caseId": "\(caseId)", "batchId": "\(batchId)"])
            }
            let head = try String.fetchOne(db, sql: """
                SELECT h.head_name FROM assistance_case c JOIN household h ON h.id = c.household_id WHERE c.id = ?
                """, arguments: [caseId]) ?? ""
            let label = PublicityChange(rawValue: change)?.label.zh ?? change
            return try Store.insertComplaint(db, NewComplaint(receivedOn: receivedOn, channel: .posting, complainant: receivedHow.trimmingCharacters(in: .whitespaces),
                                                              subject: "\(head)（\(b.title)，\(label)）", caseId: caseId, content: text),
                                             by: user, audit: ["batch": String(batchId)])
        }
    }

    /// The complaint at `version` in one of `stages`, dated no earlier than the stage before
    /// (`earlier`, named `what`), or why it cannot be moved on: gone, changed by someone else,
    /// out of order (`refusal`), or dated before.
    static func requireComplaint(_ db: Database, _ id: Int64, version: Int, in stages: Set<Complaint.Stage>, refusal: String,
                                 on date: CivilDate, after earlier: (Complaint) -> CivilDate?, _ what: String) throws -> Complaint {
        // `refusal` and `what` are keys in screens/strings-store.json.
        guard let c = try Row.fetchOne(db, sql: Store.complaintSQL + " WHERE id = ?", arguments: [id]).map(Store.complaint(from:)) else {
            throw StoreError.notFound(entity: "complaint", id: String(id))
        }
        if c.version != version { throw StoreError.staleEdit(entity: "complaint", id: id) }
        if !stages.contains(c.stage) {
            throw StoreError.said(refusal, ["id": String(id), "stage_zh": c.stage.label.zh, "stage_en": c.stage.label.en])
        }
        if let e = earlier(c), date < e {
            throw StoreError.said("store.complaints.isBeforeTheEarlier", ["dateIso": "\(date.iso)", "what_zh": say(what, .zh), "what_en": say(what, .en), "eIso": "\(e.iso)"])
        }
        return c
    }

    /// Hand the complaint to someone to check (交办).
    public func assignComplaint(id: Int64, version: Int, to person: String, on date: CivilDate, by user: String) throws {
        let who = person.trimmingCharacters(in: .whitespaces)
        if who.isEmpty { throw StoreError.said("store.complaints.sayWhoIsTo") }
        try write { db in
            try Store.authorize(db, user, .complaints)
            _ = try Store.requireComplaint(db, id, version: version, in: [.received, .assigned], refusal: "store.complaints.cannotReassign",
                                             on: date, after: \.receivedOn, "store.complaints.stage.received")
            try db.execute(sql: "UPDATE complaint SET assigned_to = ?, assigned_on = ?, version = version + 1 WHERE id = ?",
                           arguments: [who, date.iso, id])
            try Audit.append(db, user: user, action: "complaint.assign", entity: "complaint", entityId: String(id),
                             detail: Audit.detail(["to": who, "on": date.iso]))
        }
    }

    /// Record the check: founded or not, what was found; a founded complaint about a case in
    /// force that proposes a change opens a follow-up for the approver, in the same transaction.
    public func checkComplaint(id: Int64, version: Int, on date: CivilDate, founded: Bool, finding: String,
                               proposed: FollowUpAction = .none, by user: String) throws {
        let text = finding.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { throw StoreError.said("store.complaints.writeWhatTheCheck") }
        try write { db in
            try Store.authorize(db, user, .complaints)
            let c = try Store.requireComplaint(db, id, version: version, in: [.assigned, .checked], refusal: "store.complaints.checkedAfterAssigned",
                                             on: date, after: \.assignedOn, "store.complaints.stage.assigned")
            if proposed != .none {
                guard founded, let caseId = c.caseId else {
                    throw StoreError.said("store.complaints.onlyAFoundedComplaint")
                }
                _ = try Store.openFollowUp(db, caseId: caseId, source: .complaint, sourceId: id, proposed: proposed, finding: text,
                                           incomeEstimate: nil, by: user, on: date)
            } else {
                try db.execute(sql: "DELETE FROM case_followup WHERE source = 'complaint' AND source_id = ? AND closed_on IS NULL", arguments: [id])
            }
            try db.execute(sql: "UPDATE complaint SET checked_on = ?, founded = ?, finding = ?, version = version + 1 WHERE id = ?",
                           arguments: [date.iso, founded ? 1 : 0, text, id])
            try Audit.append(db, user: user, action: "complaint.check", entity: "complaint", entityId: String(id),
                             detail: Audit.detail(["founded": founded ? "yes" : "no", "proposed": proposed.rawValue, "on": date.iso]))
        }
    }

    /// Record the answer given to the complainant (答复); the complaint is then closed.
    public func answerComplaint(id: Int64, version: Int, on date: CivilDate, answer: String, by user: String) throws {
        let text = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { throw StoreError.said("store.complaints.writeTheAnswerGiven") }
        try write { db in
            try Store.authorize(db, user, .complaints)
            _ = try Store.requireComplaint(db, id, version: version, in: [.checked], refusal: "store.complaints.answeredAfterChecked",
                                             on: date, after: \.checkedOn, "store.complaints.stage.checked")
            try db.execute(sql: "UPDATE complaint SET answered_on = ?, answer = ?, version = version + 1 WHERE id = ?", arguments: [date.iso, text, id])
            try Audit.append(db, user: user, action: "complaint.answer", entity: "complaint", entityId: String(id), detail: Audit.detail(["on": date.iso]))
        }
    }
}
