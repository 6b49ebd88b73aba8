import Foundation
import GRDB
import JiuzhuModel

extension Store {
    /// Write a generated township into an empty database in one transaction: reference data,
    /// regions, households, members, cases and their histories, and the demo users (password
    /// `password`). One audit row records the whole load.
    public func loadDemo(_ t: DemoTownship, reference: ReferenceData, password: String, progress: (Int) -> Void = { _ in }) throws {
        // Derive password hashes before taking the write lock (PBKDF2 is slow on purpose).
        let users = try t.users.map { u -> (User, [UInt8], [UInt8]) in
            let salt = PasswordHash.newSalt()
            return (u, salt, try PasswordHash.derive(password, salt: salt, iterations: passwordIterations))
        }
        // A generated file has nothing to lose: no fsync per page and a large cache while it is
        // written (a failed load deletes the file). Normal settings return with the next open.
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144")
        }
        defer { try? writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA cache_size = -2000") } }
        try write { db in
            // Bulk load: the triggers that keep derived columns (the head's pinyin on each case,
            // the household's search signature) and the secondary indexes of the household and
            // case tables are set aside while the rows go in; afterwards each trigger is fired
            // once per household or case, and the indexes are built once, from their own
            // definitions in the schema (a load that fails rolls all of this back).
            let triggers = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
                .map { (name: $0["name"] as String, sql: $0["sql"] as String) }
            let indexes = try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('household', 'assistance_case')
                """).map { (name: $0["name"] as String, sql: $0["sql"] as String) }
            for t in triggers { try db.execute(sql: "DROP TRIGGER \(t.name)") }
            for i in indexes { try db.execute(sql: "DROP INDEX \(i.name)") }
            try Store.initializeOffice(db, reference: reference, office: Office(
                countyCode: String(t.county.code.prefix(6)), countyName: t.county.name,
                townshipCode: t.township.code, townshipName: t.township.name), actor: "demo")
            for v in t.villages {
                try db.execute(sql: "INSERT INTO region(code, name, level, parent_code) VALUES (?, ?, ?, ?)",
                               arguments: [v.region.code, v.region.name, v.region.level.rawValue, t.township.code])
            }
            let now = Timestamp.now()
            let setProgrammes = try db.makeStatement(sql: "UPDATE household SET programmes = ? WHERE id = ?")
            for (n, dh) in t.households.enumerated() {
                let (hid, pids) = try Store.insertHousehold(db, dh.household, members: dh.members, now: now)
                var summary: [(Bool, String)] = []
                for dc in dh.cases {
                    var c = dc.case
                    c.householdId = hid
                    c.personId = dc.personIndex.map { pids[$0] }
                    try Store.insertCase(db, c, steps: dc.steps, villageCode: dh.household.villageCode, now: now)
                    if c.status == .active || c.status == .inProgress {
                        summary.append((c.status == .active, "\(c.programme.label.zh) \(c.status.label.zh)"))
                    }
                }
                if !summary.isEmpty {
                    // Same order as refreshHouseholdSummary: cases in force first.
                    let text = summary.enumerated().sorted { ($0.element.0 ? 0 : 1, $0.offset) < ($1.element.0 ? 0 : 1, $1.offset) }
                        .map(\.element.1).joined(separator: "; ")
                    try setProgrammes.execute(arguments: [text, hid])
                }
                if n % 5000 == 4999 { progress(n + 1) }
            }
            for (u, salt, hash) in users {
                try db.execute(sql: """
                    INSERT INTO app_user(name, display_name, role, pw_algo, pw_iterations, pw_salt, pw_hash, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [u.name, u.displayName, u.role.rawValue, PasswordHash.algorithm, passwordIterations,
                                     Data(salt), Data(hash), now])
            }
            try Store.backfillCaseColumns(db)
            for t in triggers { try db.execute(sql: t.sql) }
            // Fire the person triggers once per household and the case triggers once per case
            // (an UPDATE OF a column fires its trigger even when the value is the same).
            try db.execute(sql: "UPDATE person SET name = name WHERE id IN (SELECT min(id) FROM person GROUP BY household_id)")
            try db.execute(sql: "UPDATE assistance_case SET household_id = household_id")
            for i in indexes { try db.execute(sql: i.sql) }
            try Audit.append(db, user: "demo", action: "demo.generate", entity: "office", entityId: t.township.code,
                             detail: Audit.detail(["seed": String(t.seed), "households": String(t.households.count),
                                                   "today": t.today.iso]))
            try db.execute(sql: "ANALYZE")
        }
    }
}
