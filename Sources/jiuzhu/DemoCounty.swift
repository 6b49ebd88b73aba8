import Foundation
import JiuzhuApp
import JiuzhuDemo
import JiuzhuModel
import JiuzhuStore

/// `jiuzhu demo --county [--townships N]`: a county of three (up to 23) demo townships and the county bureau's file, made
/// through the same exchange as real work (issue 25 item 7): each township file is a demo
/// township that starts the exchange and sends its baseline package; the bureau's file takes
/// them in, its approver decides two of three 低保 cases waiting at 县级审批 (the rest stay in
/// its queue), and it writes each township a package back, which the township takes in.
/// Files: PATH (the county), PATH's name with -105 etc. for the townships, packages in
/// PATH's name with -packages.
enum DemoCounty {
    static func create(path: String, households: Int, townships count: Int = 3, seed: UInt64, lang: Lang) throws -> [String] {
        if FileManager.default.fileExists(atPath: path) { throw fail(existingFile(path).message(lang)) }
        let dir = try dataDirectory()
        let base = path.hasSuffix(".sqlite") ? String(path.dropLast(7)) : path
        let packages = base + "-packages"
        // Both inputs are "key = value" lines, # starting a comment.
        func pairs(_ name: String) throws -> [(String, String)] {
            try String(contentsOfFile: dir.appendingPathComponent("demo/" + name).path, encoding: .utf8).split(separator: "\n").compactMap { line in
                let l = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
                guard let eq = l.firstIndex(of: "=") else { return nil }
                return (l[..<eq].trimmingCharacters(in: .whitespaces), l[l.index(after: eq)...].trimmingCharacters(in: .whitespaces))
            }
        }
        let values = try pairs("county.txt")
        func value(_ k: String) -> String? { values.first { $0.0 == k }?.1 }
        let others = values.filter { $0.0 == "township" }.prefix(count - 1).map { v -> (String, String, String) in
            let p = v.1.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            return (p.first ?? "", p.count > 1 ? p[1] : "", p.count > 2 ? p[2] : "")
        }
        try FileManager.default.createDirectory(atPath: packages, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var lines: [String] = []
        var townships: [(code: String, path: String, store: Store)] = []
        // The townships: the first is township.txt's own, the others county.txt's.
        let homeCode = try pairs("township.txt").first { $0.0 == "township_code" }?.1 ?? "104"
        for k in 0...others.count {
            let code = k == 0 ? homeCode : others[k - 1].0
            var name = ""
            let (store, summary) = try DemoSetup.create(path: "\(base)-\(code).sqlite", households: households, seed: seed + UInt64(k), lang: lang) { inputs in
                inputs.idLane = k; inputs.idLanes = others.count + 1
                if k > 0 {
                    inputs.townshipCode = others[k - 1].0; inputs.townshipName = others[k - 1].1
                    inputs.elderHome = others[k - 1].2
                }
                name = inputs.townshipName
            }
            _ = summary
            let office = try store.office()
            let full = office?.townshipCode ?? code
            try guarded(lang) { try store.startExchange(side: "township", by: "admin") }
            let pkg = "\(packages)/\(code)-to-county-1.jzx"
            let p = try guarded(lang) { try store.exportPackage(to: pkg, by: "admin") }
            townships.append((full, store.path, store))
            lines.append(t("cli.demo.countyTownship", ["name": name, "path": store.path, "rows": String(p.rows())]))
        }
        // The county bureau's file.
        let reference = try guarded(lang) { try ReferenceData.load(from: dir) }
        guard let first = try townships.first?.store.office() else { throw fail("no township") }
        let bureau = Office(countyCode: first.countyCode, countyName: first.countyName,
                            townshipCode: first.countyCode + "000000", townshipName: value("bureau_name") ?? first.countyName)
        let county = try guarded(lang) {
            try Store.build(at: path) { s in
                try s.initializeOffice(reference: reference, office: bureau, by: "demo")
                // The administrator first (as `jiuzhu init` makes it), then the others by the administrator.
                var by = "init"
                for role in [Role.admin, .approver, .supervisor] {
                    guard let v = value(role.rawValue)?.split(separator: " ", maxSplits: 1), let login = v.first else { continue }
                    try s.addUser(name: String(login), displayName: v.count > 1 ? String(v[1]) : String(login), role: role, password: "demo", by: by)
                    if role == .admin { by = String(login) }
                }
            }
        }
        try guarded(lang) { try county.startExchange(side: "county", by: "admin") }
        for t0 in townships {
            let pkg = "\(packages)/\(t0.code.dropFirst(6).prefix(3))-to-county-1.jzx"
            try guarded(lang) { _ = try county.importPackage(from: pkg, by: "admin") }
        }
        // The county's approver decides two of three 低保 cases waiting at 县级审批 (the rest wait in its queue).
        let catalogData = FileManager.default.contents(atPath: dir.appendingPathComponent("programmes.json").path) ?? Data()
        let catalog = try guarded(lang) { try ProgrammeCatalog.decode(catalogData) }
        let today = DemoSetup.demoToday
        let queue = try guarded(lang) { try county.reviewQueue(role: .approver, catalog: catalog, today: today) }
        var approved = 0
        let approver = value("approver")?.split(separator: " ").map(String.init) ?? ["shenpi"]
        let atCounty = queue.filter { catalog.definition($0.programme).step($0.step)?.only == "county" }
        for (i, row) in atCounty.enumerated() where i % 3 != 2 && (row.programme == .ruralDibao || row.programme == .urbanDibao) {
            guard let file = try county.caseFile(id: row.caseId, today: today, catalog: catalog), file.assessment.eligible else { continue }
            let amount = file.assessment.amount
            var inputs = ["approver": approver.last ?? approver[0]]
            if row.programme == .urbanDibao { inputs["urbanClass"] = file.caseRecord.urbanClass?.rawValue ?? "B" }
            _ = try guarded(lang) {
                try county.act(caseId: row.caseId, version: file.caseRecord.version,
                               request: CaseRequest(action: .approve, actor: approver[0], role: .approver, date: today,
                                                    inputs: inputs, computed: amount, amount: amount),
                               catalog: catalog)
            }
            approved += 1
        }
        lines.append(t("cli.demo.countyBureau", ["path": path, "approved": String(approved), "waiting": String(atCounty.count - approved)]))
        // A package back to each township, taken in there.
        for t0 in townships {
            let code3 = String(t0.code.dropFirst(6).prefix(3))
            let pkg = "\(packages)/county-to-\(code3)-1.jzx"
            let p = try guarded(lang) { try county.exportPackage(to: pkg, township: t0.code, by: "admin") }
            try guarded(lang) { _ = try t0.store.importPackage(from: pkg, by: "admin") }
            lines.append(t("cli.demo.countyBack", ["township": code3, "rows": String(p.rows())]))
        }
        lines.append(t("cli.demo.countyPackages", ["dir": packages]))
        return lines
    }
}
