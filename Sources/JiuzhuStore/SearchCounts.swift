import Foundation
import GRDB

/// Stored running figures for the search texts of one or two characters (issue 26).
///
/// A first letter, a surname or the county's ID prefix matches a large part of the office's
/// households; counting them from the search keys (a distinct count over up to 300,000 keys at
/// 100,000 households, or a signature scan of every household) cost 0.75–1.2 s at the 99th
/// percentile and grew faster than the data. Instead:
///
/// - `search_hit(t, household_id, refs)`: one row per household and short text `t` it matches,
///   `refs` being how many of its search keys give that text. Kept by triggers on `search_key`,
///   in the same statement (so the same transaction) as the keys.
/// - `search_total(t, households, cases, monthly_fen)`: per short text, how many households
///   match it, how many cases those households hold and the sum of the cases' monthly amounts
///   (NULL counted as 0, as the case browser's SUM does). Kept by triggers on `search_hit` (a
///   household gaining or losing the text) and on `assistance_case` (a case made, removed, or
///   its amount or household changed).
///
/// The short texts of one key are what a person types to match it, in `SearchText`'s form:
/// its first one and two characters (a name, pinyin, an ID prefix); and for the reversed ID
/// behind `~`, the last one (a digit) and last two digits of the ID as typed, so the ID
/// fragment "53" counts a household once whether its IDs start or end with 53. A household
/// matching a text through several keys or members is one row, so counted once.
enum SearchCounts {
    /// The short texts of key `k` (an SQL expression) as (expression, condition) pairs.
    static func branches(_ k: String) -> [(String, String)] {
        [
            ("substr(\(k), 1, 1)", "\(k) <> ''"),
            ("substr(\(k), 1, 2)", "length(\(k)) >= 2"),
            ("substr(\(k), 2, 1)", "substr(\(k), 1, 1) = '~' AND substr(\(k), 2, 1) BETWEEN '0' AND '9'"),
            ("substr(\(k), 3, 1) || substr(\(k), 2, 1)",
             "substr(\(k), 1, 1) = '~' AND substr(\(k), 3, 1) BETWEEN '0' AND '9' AND (substr(\(k), 2, 1) BETWEEN '0' AND '9' OR substr(\(k), 2, 1) = 'X')"),
        ]
    }

    /// The short texts of one key, as a subquery with column `t` (for a trigger: `NEW.key`).
    static func texts(of k: String) -> String {
        branches(k).map { "SELECT \($0.0) AS t WHERE \($0.1)" }.joined(separator: " UNION ALL ")
    }

    /// Every (text, household) pair of the search keys, with repeats (one per key).
    static let allPairs: String = branches("key").map { "SELECT \($0.0) AS t, household_id FROM search_key WHERE \($0.1)" }
        .joined(separator: " UNION ALL ")

    /// The triggers, as created by migration v24 (named `search_count_*`: the demo loader
    /// creates them after its bulk fill).
    static let triggersV24 = """
        CREATE TRIGGER search_count_key_ins AFTER INSERT ON search_key BEGIN
            INSERT INTO search_hit(t, household_id, refs)
                SELECT x.t, NEW.household_id, 1 FROM (\(texts(of: "NEW.key"))) x WHERE true
                ON CONFLICT(t, household_id) DO UPDATE SET refs = refs + 1;
        END;
        CREATE TRIGGER search_count_key_del AFTER DELETE ON search_key BEGIN
            UPDATE search_hit SET refs = refs - 1 WHERE household_id = OLD.household_id AND t IN (\(texts(of: "OLD.key")));
            DELETE FROM search_hit WHERE household_id = OLD.household_id AND refs <= 0 AND t IN (\(texts(of: "OLD.key")));
        END;
        CREATE TRIGGER search_count_key_upd AFTER UPDATE ON search_key BEGIN
            UPDATE search_hit SET refs = refs - 1 WHERE household_id = OLD.household_id AND t IN (\(texts(of: "OLD.key")));
            DELETE FROM search_hit WHERE household_id = OLD.household_id AND refs <= 0 AND t IN (\(texts(of: "OLD.key")));
            INSERT INTO search_hit(t, household_id, refs)
                SELECT x.t, NEW.household_id, 1 FROM (\(texts(of: "NEW.key"))) x WHERE true
                ON CONFLICT(t, household_id) DO UPDATE SET refs = refs + 1;
        END;
        CREATE TRIGGER search_count_hit_ins AFTER INSERT ON search_hit BEGIN
            INSERT INTO search_total(t, households, cases, monthly_fen)
                SELECT NEW.t, 1, count(*), ifnull(sum(monthly_amount_fen), 0) FROM assistance_case WHERE household_id = NEW.household_id
                ON CONFLICT(t) DO UPDATE SET households = households + 1, cases = cases + excluded.cases,
                    monthly_fen = monthly_fen + excluded.monthly_fen;
        END;
        CREATE TRIGGER search_count_hit_del AFTER DELETE ON search_hit BEGIN
            UPDATE search_total SET households = households - 1,
                cases = cases - (SELECT count(*) FROM assistance_case WHERE household_id = OLD.household_id),
                monthly_fen = monthly_fen - (SELECT ifnull(sum(monthly_amount_fen), 0) FROM assistance_case WHERE household_id = OLD.household_id)
                WHERE t = OLD.t;
            DELETE FROM search_total WHERE t = OLD.t AND households <= 0;
        END;
        CREATE TRIGGER search_count_hit_upd AFTER UPDATE OF t, household_id ON search_hit BEGIN
            SELECT RAISE(ABORT, 'search_hit rows are inserted and deleted, never moved');
        END;
        CREATE TRIGGER search_count_case_ins AFTER INSERT ON assistance_case BEGIN
            UPDATE search_total SET cases = cases + 1, monthly_fen = monthly_fen + ifnull(NEW.monthly_amount_fen, 0)
                WHERE t IN (SELECT t FROM search_hit WHERE household_id = NEW.household_id);
        END;
        CREATE TRIGGER search_count_case_del AFTER DELETE ON assistance_case BEGIN
            UPDATE search_total SET cases = cases - 1, monthly_fen = monthly_fen - ifnull(OLD.monthly_amount_fen, 0)
                WHERE t IN (SELECT t FROM search_hit WHERE household_id = OLD.household_id);
        END;
        CREATE TRIGGER search_count_case_upd AFTER UPDATE OF household_id, monthly_amount_fen ON assistance_case
            WHEN OLD.household_id IS NOT NEW.household_id OR OLD.monthly_amount_fen IS NOT NEW.monthly_amount_fen BEGIN
            UPDATE search_total SET cases = cases - 1, monthly_fen = monthly_fen - ifnull(OLD.monthly_amount_fen, 0)
                WHERE t IN (SELECT t FROM search_hit WHERE household_id = OLD.household_id);
            UPDATE search_total SET cases = cases + 1, monthly_fen = monthly_fen + ifnull(NEW.monthly_amount_fen, 0)
                WHERE t IN (SELECT t FROM search_hit WHERE household_id = NEW.household_id);
        END;
        """

    /// Fill both tables from the search keys and cases, in bulk (they must be empty and the
    /// `search_count_*` triggers absent: the migration and the demo loader create them after).
    static func fill(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO search_hit(t, household_id, refs)
                SELECT t, household_id, count(*) FROM (\(allPairs)) GROUP BY t, household_id;
            INSERT INTO search_total(t, households, cases, monthly_fen)
                SELECT s.t, count(*), ifnull(sum(c.n), 0), ifnull(sum(c.fen), 0)
                FROM search_hit s LEFT JOIN (SELECT household_id, count(*) AS n, ifnull(sum(monthly_amount_fen), 0) AS fen
                                             FROM assistance_case GROUP BY household_id) c ON c.household_id = s.household_id
                GROUP BY s.t;
            """)
    }

    /// What differs between the stored figures and a fresh count from the keys and cases: the
    /// texts whose hits or totals disagree (at most `limit`, in order), empty when they agree.
    ///
    /// One pass over each table, in the order it is stored, and nothing sorted: `verify` spent
    /// 32 s at 300,000 households grouping 12 million (text, household) pairs and comparing
    /// 7.7 million hits both ways, 44 times its time at 10,000 (issue 26). Instead the keys'
    /// pairs are summed per text, as a count and a sum of a mix of the household's id; a text's
    /// stored hits must give the same count (their refs) and the same sum (each household's mix
    /// times its refs), every refs above zero, so a hit with the wrong household or refs, or one
    /// too many or too few, changes its text's sums (two sums that a change of rows leaves equal
    /// need a collision of 64-bit mixes). Each text's stored total is then its hits counted, and
    /// the cases and amounts of their households summed.
    static func mismatches(_ db: Database, limit: Int = 20) throws -> [String] {
        struct Sums: Equatable { var pairs = 0; var mix: UInt64 = 0 }
        struct Totals: Equatable { var households = 0; var cases = 0; var fen: Int64 = 0 }
        /// SplitMix64's finaliser: every bit of the id moves every bit of the mix.
        func mix(_ h: Int64) -> UInt64 {
            var z = UInt64(bitPattern: h) &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var bad = Set<String>()
        // The keys' pairs: each branch walks the keys in order, so a text's pairs mostly come
        // together; they are summed under the current text and added to the table when it changes.
        var fresh: [String: Sums] = [:]
        var current = "", sums = Sums()
        func add() {
            guard sums.pairs > 0 else { return }
            fresh[current, default: Sums()].pairs += sums.pairs
            fresh[current]!.mix &+= sums.mix
        }
        let pairs = try Row.fetchCursor(db, sql: allPairs)
        while let r = try pairs.next() {
            let t: String = r[0]
            if t != current { add(); current = t; sums = Sums() }
            sums.pairs += 1
            sums.mix &+= mix(r[1])
        }
        add()
        // Each household's cases and their amounts (NULL as 0), from the case's household index.
        var cases: [Int64: (n: Int, fen: Int64)] = [:]
        let perHousehold = try Row.fetchCursor(db, sql: """
            SELECT household_id, count(*), ifnull(sum(monthly_amount_fen), 0) FROM assistance_case GROUP BY household_id
            """)
        while let r = try perHousehold.next() { cases[r[0]] = (r[1], r[2]) }
        // The stored hits, in their key's order (text, household): one text after another.
        var stored: [String: (sums: Sums, totals: Totals)] = [:]
        current = ""
        var hitSums = Sums(), totals = Totals()
        func close() {
            guard hitSums.pairs > 0 || totals.households > 0 else { return }
            stored[current] = (hitSums, totals)
        }
        let hits = try Row.fetchCursor(db, sql: "SELECT t, household_id, refs FROM search_hit")
        while let r = try hits.next() {
            let t: String = r[0], h: Int64 = r[1], refs: Int = r[2]
            if t != current { close(); current = t; hitSums = Sums(); totals = Totals() }
            if refs <= 0 { bad.insert(t) }
            hitSums.pairs += refs
            hitSums.mix &+= UInt64(bitPattern: Int64(refs)) &* mix(h)
            totals.households += 1
            if let c = cases[h] { totals.cases += c.n; totals.fen += c.fen }
        }
        close()
        for (t, f) in fresh where stored[t]?.sums != f { bad.insert(t) }
        for (t, st) in stored where fresh[t] != st.sums { bad.insert(t) }
        // The stored totals against the hits (a text with no hit has no total).
        var totalled = Set<String>()
        let rows = try Row.fetchCursor(db, sql: "SELECT t, households, cases, monthly_fen FROM search_total")
        while let r = try rows.next() {
            let t: String = r[0]
            totalled.insert(t)
            if stored[t]?.totals != Totals(households: r[1], cases: r[2], fen: r[3]) { bad.insert(t) }
        }
        for t in stored.keys where !totalled.contains(t) { bad.insert(t) }
        return Array(bad.sorted().prefix(limit))
    }
}

extension SearchText {
    /// The text as `search_hit` stores it, when it is short enough to be counted from there
    /// (one or two Unicode scalars: SQLite's substr counts code points).
    var shortText: String? {
        guard let t = keyPrefixes.first, !t.isEmpty, t.unicodeScalars.count <= 2 else { return nil }
        return t
    }
}

extension Store {
    /// `verify`: how many short texts have a stored figure, and those (at most 20) whose hits or
    /// totals differ from a fresh count from the search keys and cases.
    /// Nil for a file made before the figures existed (opened read-only, not yet migrated: the
    /// next writable open fills them).
    public func verifySearchCounts() throws -> (texts: Int, differ: [String])? {
        try read { db in
            guard try db.tableExists("search_total") else { return nil }
            return (try Int.fetchOne(db, sql: "SELECT count(*) FROM search_total") ?? 0, try SearchCounts.mismatches(db))
        }
    }
}

extension SearchCounts {
    /// Run `body`, which changes rows with the triggers off (a package from another file), and
    /// keep `search_total` as the triggers would have: each of `households`' part taken out as
    /// it was, put back as it is. `search_hit` itself arrives with the changes (the sender's
    /// triggers made it); the totals are this file's own sums over all its households.
    static func folding(_ db: Database, households: Set<Int64>, _ body: () throws -> Void) throws {
        guard !households.isEmpty, try db.tableExists("search_total") else { return try body() }
        let part = """
            SELECT s.t, 1 AS h, (SELECT count(*) FROM assistance_case WHERE household_id = :h) AS n,
                   (SELECT ifnull(sum(monthly_amount_fen), 0) FROM assistance_case WHERE household_id = :h) AS fen
            FROM search_hit s WHERE s.household_id = :h
            """
        let take = try db.makeStatement(sql: """
            UPDATE search_total SET households = households - p.h, cases = cases - p.n, monthly_fen = monthly_fen - p.fen
            FROM (\(part)) p WHERE search_total.t = p.t
            """)
        let put = try db.makeStatement(sql: """
            INSERT INTO search_total(t, households, cases, monthly_fen) SELECT t, h, n, fen FROM (\(part)) WHERE true
            ON CONFLICT(t) DO UPDATE SET households = households + excluded.households, cases = cases + excluded.cases,
                monthly_fen = monthly_fen + excluded.monthly_fen
            """)
        for h in households { try take.execute(arguments: ["h": h]) }
        try body()
        for h in households { try put.execute(arguments: ["h": h]) }
        try db.execute(sql: "DELETE FROM search_total WHERE households <= 0")
    }
}
