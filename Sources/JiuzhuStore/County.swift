import Foundation
import GRDB
import JiuzhuModel

/// A county file (issue 25 item 4): one file holding many townships' records. A household's
/// township is the first nine digits of its 12-digit village code (county 6 + township 3 +
/// village 3); the township's own row in `region` is those nine digits and "000".
///
/// Whether a file is a county's is decided here only (`isCountyFile`): it holds households of
/// more than one township, or it takes part in the exchange as the county (`exchange_state`
/// side 'county'). The screens show their township column and filter only then, so a
/// township's own file looks as it always did.
extension Store {
    /// The nine-digit prefix a 12-digit region code starts with.
    public static func townshipPrefix(_ code: String) -> String { String(code.prefix(9)) }

    /// The village codes of township `code` (its prefix or any code within it) as a closed range
    /// of 12-digit codes: `village_code BETWEEN lower AND upper` is a range on any index leading
    /// with the village code.
    public static func townshipRange(_ code: String) -> (lower: String, upper: String) {
        let p = townshipPrefix(code)
        return (p + "000", p + "999")
    }

    /// The townships with households, in code order, each as its region row (code ending in
    /// "000"; named by the row, or by its code when the file has no row for it). Found by
    /// skipping along the household village index, one seek per township, so it costs the same
    /// at 230,000 households as at 100.
    public static func townships(_ db: Database) throws -> [Region] {
        var prefixes: [String] = []
        let next = try db.cachedStatement(sql: "SELECT min(village_code) FROM household WHERE village_code > ?")
        var after = ""
        while let code = try String.fetchOne(next, arguments: [after]) {
            let p = townshipPrefix(code)
            prefixes.append(p)
            after = p + "999~"   // past every code of the township ('~' sorts after the digits)
        }
        guard !prefixes.isEmpty else { return [] }
        var names: [String: (String, String?)] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT code, name, parent_code FROM region WHERE level = 'township'") {
            names[townshipPrefix(r["code"])] = (r["name"], r["parent_code"])
        }
        return prefixes.map { p in
            Region(code: p + "000", name: names[p]?.0 ?? p + "000", level: .township, parentCode: names[p]?.1 ?? String(p.prefix(6)) + "000000")
        }
    }

    /// The one decision of county mode: households of more than one township, or the
    /// exchange's county side.
    public static func isCountyFile(_ db: Database) throws -> Bool {
        try countyTownships(db) != nil
    }

    /// The townships a county file's screens list and filter by; nil in a township's own file.
    public static func countyTownships(_ db: Database) throws -> [Region]? {
        let towns = try townships(db)
        if towns.count > 1 { return towns }
        return try exchangeSide(db) == "county" ? towns : nil
    }

    public func townships() throws -> [Region] { try read { try Store.townships($0) } }
    public func isCountyFile() throws -> Bool { try read { try Store.isCountyFile($0) } }
    /// The townships of a county file, or nil in a township's own file.
    public func countyTownships() throws -> [Region]? { try read { try Store.countyTownships($0) } }

    /// The township named by `text` among `towns`: its name, its 12-digit code or its nine-digit
    /// prefix.
    public static func township(_ text: String, in towns: [Region]) -> Region? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { return nil }
        return towns.first { $0.name == t || $0.code == t || townshipPrefix($0.code) == t }
    }
}
