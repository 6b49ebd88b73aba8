import Foundation
import GRDB
import JiuzhuModel

/// The office this database belongs to: county, township, its villages and communities.
public struct Office: Equatable, Sendable {
    public var countyCode: String
    public var countyName: String
    public var townshipCode: String   // 12 digits
    public var townshipName: String
    public init(countyCode: String, countyName: String, townshipCode: String, townshipName: String) {
        self.countyCode = countyCode; self.countyName = countyName
        self.townshipCode = townshipCode; self.townshipName = townshipName
    }
}

extension Store {
    /// Set up a new database (one with no office yet): reference data, county and township
    /// regions, office settings, and the audit row. Refused once an office is set.
    public func initializeOffice(reference: ReferenceData, office: Office, by actor: String) throws {
        try write { db in
            if try Store.office(db) != nil { let t = sayBoth("store.officeExists"); throw StoreError.fieldRefused(zh: t.zh, en: t.en) }
            try Store.initializeOffice(db, reference: reference, office: office, actor: actor)
        }
    }

    /// Set up a new database: reference data, county and township regions, office settings.
    static func initializeOffice(_ db: Database, reference: ReferenceData, office: Office, actor: String) throws {
        try reference.install(in: db)
        let countyFull = office.countyCode + "000000"
        try db.execute(sql: "INSERT INTO region(code, name, level, parent_code) VALUES (?, ?, 'county', NULL)",
                       arguments: [countyFull, office.countyName])
        // Township digits 000: the county bureau's own file (issue 25), the county its only region.
        if office.townshipCode != countyFull {
            try db.execute(sql: "INSERT INTO region(code, name, level, parent_code) VALUES (?, ?, 'township', ?)",
                           arguments: [office.townshipCode, office.townshipName, countyFull])
        }
        try setSetting(db, "office.county_code", office.countyCode, description: say("store.office.setting.countyCode", .zh))
        try setSetting(db, "office.county_name", office.countyName, description: say("store.office.setting.countyName", .zh))
        try setSetting(db, "office.township_code", office.townshipCode, description: say("store.office.setting.townshipCode", .zh))
        try setSetting(db, "office.township_name", office.townshipName, description: say("store.office.setting.townshipName", .zh))
        try Audit.append(db, user: actor, action: "init", entity: "office", entityId: office.townshipCode,
                         detail: Audit.detail(["township": office.townshipName, "county": office.countyCode]))
    }

    public func office() throws -> Office? {
        try read { db in try Store.office(db) }
    }

    static func office(_ db: Database) throws -> Office? {
        guard let t = try Store.setting(db, "office.township_code") else { return nil }
        return Office(countyCode: try Store.setting(db, "office.county_code") ?? "",
                      countyName: try Store.setting(db, "office.county_name") ?? "",
                      townshipCode: t, townshipName: try Store.setting(db, "office.township_name") ?? "")
    }

    /// Add a village (行政村) or community (社区) under the township; `code` is its own 3 digits.
    @discardableResult
    public func addRegion(code: String, name: String, level: RegionLevel, by user: String) throws -> String {
        guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw StoreError.said("store.office.theCodeIsDigits")
        }
        try TextBounds.check(name, field: pair("store.office.theVillageSName"))
        return try write { db in
            try Store.authorize(db, user, .addRegion)
            guard let town = try Store.setting(db, "office.township_code") else {
                throw StoreError.said("store.office.theDatabaseHasNo")
            }
            let full = String(town.prefix(9)) + code
            if try String.fetchOne(db, sql: "SELECT name FROM region WHERE code = ?", arguments: [full]) != nil {
                throw StoreError.said("store.office.codeExistsAlready", ["full": "\(full)"])
            }
            try db.execute(sql: "INSERT INTO region(code, name, level, parent_code) VALUES (?, ?, ?, ?)",
                           arguments: [full, name, level.rawValue, town])
            try Audit.append(db, user: user, action: "region.add", entity: "region", entityId: full, detail: Audit.detail(["name": name]))
            return full
        }
    }

    public func regions() throws -> [Region] { try read { try Store.regions($0) } }
}

extension Store {
    /// Every reference code's labels, by kind and code (small: loaded once at start-up).
    public func codeLabels() throws -> [String: [String: Text2]] {
        try read { db in
            var labels: [String: [String: Text2]] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT kind, code, zh, en FROM ref_code") {
                labels[r["kind"], default: [:]][r["code"]] = Text2(zh: r["zh"], en: r["en"])
            }
            return labels
        }
    }
}
