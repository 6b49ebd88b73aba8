import Foundation

/// One thing the clerk must look at in the spreadsheet: where (sheet, row, column), what, and
/// the value as found (an ID number masked). An error keeps its household out; a notice says
/// what was done (a 15-digit number converted).
public struct LedgerProblem: Sendable, Equatable {
    public enum Severity: String, Sendable { case error, notice }
    public var sheet: String
    /// The spreadsheet's row number (1-based), 0 for the sheet as a whole.
    public var row: Int
    /// "C 身份证号码": the column's letter and its header; "" for the row.
    public var column: String
    public var text: Text2
    public var value: String
    public var severity: Severity
}

/// A case in force as the ledger records it: the programme, since when, for how many persons,
/// how much a month; `member` is the person's index for a programme per person (特困).
public struct LedgerCase: Sendable, Equatable {
    public var programme: Programme
    public var start: CivilDate
    public var persons: Int
    public var amount: Money
    public var member: Int?
    public var row: Int
}

public struct LedgerHousehold: Sendable {
    public var sheet: String
    /// The spreadsheet rows it came from (its members' rows).
    public var rows: [Int]
    public var household: Household
    public var villageName: String
    /// Head first.
    public var members: [Person]
    public var cases: [LedgerCase]
    public var bad: Bool
}

/// What a spreadsheet would bring in, checked: the households with their members and cases in
/// force, and every problem found. Nothing is written to make it.
public struct LedgerPlan: Sendable {
    public struct SheetUse: Sendable { public var name: String; public var mapping: LedgerMapping; public var dataRows: Int }
    public var sheets: [SheetUse] = []
    /// Sheets without a recognisable header (a code list, notes).
    public var sheetsSkipped: [String] = []
    public var households: [LedgerHousehold] = []
    public var problems: [LedgerProblem] = []
    /// Rows passed over as not data: blank, totals, notes below the table.
    public var rowsSkipped = 0

    public var good: [LedgerHousehold] { households.filter { !$0.bad } }
    public var errorCount: Int { problems.filter { $0.severity == .error }.count }
    /// Rows (sheet, row) with at least one error.
    public var badRows: Int { Set(problems.filter { $0.severity == .error && $0.row > 0 }.map { "\($0.sheet)|\($0.row)" }).count }
    public var personCount: Int { households.reduce(0) { $0 + $1.members.count } }

    /// Mark the ID numbers someone in the database already holds (`holders`: ID → who, in
    /// both languages): each an error on its row, its household kept out.
    public mutating func markHeld(_ holders: [String: Text2]) {
        guard !holders.isEmpty else { return }
        for h in households.indices {
            for (i, p) in households[h].members.enumerated() {
                guard let who = holders[p.idNumber] else { continue }
                let row = households[h].rows.indices.contains(i) ? households[h].rows[i] : households[h].rows.first ?? 0
                problems.append(LedgerProblem(sheet: households[h].sheet, row: row, column: "",
                                              text: sayBoth("import.problem.idInDatabase", ["who_zh": who.zh, "who_en": who.en]),
                                              value: Masking.idNumber(p.idNumber), severity: .error))
                households[h].bad = true
            }
        }
        problems.sort { ($0.sheet, $0.row) < ($1.sheet, $1.row) }
    }

    /// Counts by village: households, persons, cases in force (of the households that would come in).
    public func byVillage(good only: Bool) -> [(village: String, households: Int, persons: Int, cases: Int)] {
        var order: [String] = []
        var counts: [String: (Int, Int, Int)] = [:]
        for h in households where !only || !h.bad {
            if counts[h.villageName] == nil { order.append(h.villageName); counts[h.villageName] = (0, 0, 0) }
            counts[h.villageName]!.0 += 1
            counts[h.villageName]!.1 += h.members.count
            counts[h.villageName]!.2 += h.cases.count
        }
        return order.map { (village: $0, households: counts[$0]!.0, persons: counts[$0]!.1, cases: counts[$0]!.2) }
    }
}

/// What the checks need from the office: its villages and communities, its code lists, today.
public struct LedgerContext: Sendable {
    public struct Code: Sendable { public var code: String; public var zh: String; public var en: String
        public init(code: String, zh: String, en: String) { self.code = code; self.zh = zh; self.en = en } }
    public var villages: [Region]
    /// kind (relationship, ethnicity, health, disability_type, work_ability) → codes.
    public var codes: [String: [Code]]
    public var today: CivilDate
    public init(villages: [Region], codes: [String: [Code]], today: CivilDate) {
        self.villages = villages; self.codes = codes; self.today = today
    }
}

public enum LedgerReader {
    /// Check every sheet of a spreadsheet (`sheets`: name and rows) and build the plan.
    public static func plan(sheets: [(name: String, rows: [[String]])], vocabulary v: LedgerVocabulary, profile: LedgerProfile?,
                            context: LedgerContext) -> LedgerPlan {
        var plan = LedgerPlan()
        var b = Builder(v: v, ctx: context)
        b.defaultProgramme = profile?.programme
        for s in sheets {
            guard let mapping = LedgerHeader.find(s.rows, vocabulary: v, profile: profile) else {
                if s.rows.contains(where: { $0.contains { !$0.isEmpty } }) { plan.sheetsSkipped.append(s.name) }
                continue
            }
            let before = b.households.count
            let used = b.sheet(s.name, rows: s.rows, mapping: mapping)
            plan.sheets.append(.init(name: s.name, mapping: mapping, dataRows: used))
            _ = before
        }
        plan.households = b.households
        plan.problems = b.problems.sorted { ($0.sheet, $0.row) < ($1.sheet, $1.row) }
        plan.rowsSkipped = b.skipped
        return plan
    }

    struct Builder {
        let v: LedgerVocabulary
        let ctx: LedgerContext
        var households: [LedgerHousehold] = []
        var problems: [LedgerProblem] = []
        var skipped = 0
        /// ID → (sheet, row) of its first appearance.
        var seen: [String: (String, Int)] = [:]
        var defaultProgramme: Programme?

        /// Each kind's codes by code and by name, normalised once (a 30,000-person roll looks a
        /// code up for every member and column).
        struct CodeIndex {
            var byCode: [String: String] = [:]
            var byName: [String: String] = [:]
            var zhNames: [(name: String, code: String)] = []
        }
        let codeIndex: [String: CodeIndex]

        init(v: LedgerVocabulary, ctx: LedgerContext) {
            self.v = v; self.ctx = ctx
            codeIndex = ctx.codes.mapValues { list in
                var ix = CodeIndex()
                for c in list {
                    if ix.byCode[c.code.lowercased()] == nil { ix.byCode[c.code.lowercased()] = c.code }
                    let zh = LedgerVocabulary.normal(c.zh), en = LedgerVocabulary.normal(c.en)
                    if ix.byName[zh] == nil { ix.byName[zh] = c.code }
                    if ix.byName[en] == nil { ix.byName[en] = c.code }
                    ix.zhNames.append((zh, c.code))
                }
                return ix
            }
        }

        /// One data row: its number and cells.
        struct Line { var row: Int; var cells: [String] }

        mutating func sheet(_ name: String, rows: [[String]], mapping m: LedgerMapping) -> Int {
            func get(_ l: Line, _ f: LedgerField) -> String {
                guard let c = m.column(f), l.cells.indices.contains(c) else { return "" }
                return LedgerValues.trimmed(l.cells[c])
            }
            var lines: [Line] = []
            for i in (m.headerLast + 1)..<max(rows.count, m.headerLast + 1) {
                let cells = rows[i]
                if cells.allSatisfy({ LedgerValues.trimmed($0).isEmpty }) { skipped += 1; continue }
                if v.isTotals(cells) { skipped += 1; continue }
                let l = Line(row: i + 1, cells: cells)
                let memberValues = m.members.keys.contains { cells.indices.contains($0) && !cells[$0].isEmpty }
                if get(l, .name).isEmpty && get(l, .headName).isEmpty && get(l, .idNumber).isEmpty && get(l, .headID).isEmpty && !memberValues {
                    skipped += 1; continue   // a note under the table (制表人, 填表说明)
                }
                lines.append(l)
            }
            // Group rows into households.
            var groups: [[Line]] = []
            let perPerson = m.column(.name) != nil && (m.column(.relation) != nil || m.column(.householdNo) != nil || m.column(.headName) != nil)
            if !perPerson {
                groups = lines.map { [$0] }
            } else if m.column(.householdNo) != nil {
                var index: [String: Int] = [:]
                var last = ""
                for l in lines {
                    var key = get(l, .householdNo)
                    if key.isEmpty { key = last }
                    last = key
                    if let g = index[key] { groups[g].append(l) } else { index[key] = groups.count; groups.append([l]) }
                }
            } else if m.column(.relation) != nil {
                for l in lines {
                    if relationCode(get(l, .relation)) == Person.headRelation || groups.isEmpty { groups.append([l]) }
                    else { groups[groups.count - 1].append(l) }
                }
            } else {
                var last = ""
                for l in lines {
                    var head = get(l, .headName)
                    if head.isEmpty { head = last }
                    if head != last || groups.isEmpty { groups.append([l]) } else { groups[groups.count - 1].append(l) }
                    last = head
                }
            }
            for g in groups { household(name, g, m, get) }
            return lines.count
        }

        func col(_ m: LedgerMapping, _ f: LedgerField) -> String {
            guard let c = m.column(f) else { return "" }
            return LedgerMapping.letter(c) + " " + (m.headers[c] ?? "")
        }

        mutating func problem(_ sheet: String, _ row: Int, _ column: String, _ key: String, _ values: [String: String] = [:],
                              value: String = "", severity: LedgerProblem.Severity = .error) {
            problems.append(LedgerProblem(sheet: sheet, row: row, column: column, text: sayBoth(key, values), value: value, severity: severity))
        }

        func relationCode(_ t: String) -> String? {
            if t.isEmpty { return nil }
            if let c = v.value("relation", t) { return c }
            return code("relationship", t)
        }

        /// A code of `kind` by its code (01 typed as 1 too) or its name in either language.
        func code(_ kind: String, _ t: String) -> String? {
            guard let ix = codeIndex[kind] else { return nil }
            let n = LedgerVocabulary.normal(t)
            if let c = ix.byCode[n] { return c }
            if n.count == 1, let c = ix.byCode["0" + n] { return c }
            if let c = ix.byName[n] { return c }
            // 汉 for 汉族, 肢体 for 肢体残疾: a unique name that begins with the value.
            let starts = ix.zhNames.filter { $0.name.hasPrefix(n) }
            return starts.count == 1 ? starts[0].code : nil
        }

        func village(_ t: String) -> Region? {
            let n = LedgerVocabulary.normal(t)
            guard !n.isEmpty else { return nil }
            if let r = ctx.villages.first(where: { $0.code == t || LedgerVocabulary.normal($0.name) == n }) { return r }
            // "李家" for 李家村, "某镇李家村" for 李家村, "201" for the village's own three digits.
            let near = ctx.villages.filter {
                let name = LedgerVocabulary.normal($0.name)
                return name.hasPrefix(n) || n.hasSuffix(name) || $0.code.hasSuffix(n) && n.count == 3
            }
            return near.count == 1 ? near[0] : nil
        }

        mutating func household(_ sheet: String, _ g: [Line], _ m: LedgerMapping, _ get: (Line, LedgerField) -> String) {
            var members: [Person] = []
            var rowsOf: [Int] = []
            var bad = false
            let first = g[0]
            // Household facts from the head's row, else the first row that has them.
            func fact(_ f: LedgerField) -> (String, Line) {
                if let l = g.first(where: { !get($0, f).isEmpty }) { return (get(l, f), l) }
                return ("", first)
            }
            // Members.
            func person(_ line: Line, name: String, id: String, relation: String, nameCol: String, idCol: String, relCol: String,
                        fields: (LedgerField) -> (String, String), isFirst: Bool) -> Person? {
                var ok = true
                if name.isEmpty { problem(sheet, line.row, nameCol, "import.problem.nameMissing"); ok = false }
                var idValue = ""
                if id.isEmpty {
                    problem(sheet, line.row, idCol, "import.problem.idMissing", ["name": name]); ok = false
                } else if LedgerValues.isMangledNumber(id) {
                    problem(sheet, line.row, idCol, "import.problem.idAsNumber", value: id); ok = false
                } else {
                    switch IDNumber.parse(id, today: ctx.today) {
                    case .failure(let p):
                        problems.append(LedgerProblem(sheet: sheet, row: line.row, column: idCol, text: Text2(zh: p.message(.zh), en: p.message(.en)),
                                                      value: Masking.idNumber(id), severity: .error))
                        ok = false
                    case .success(let n):
                        idValue = n.value
                        if n.convertedFrom15 {
                            problem(sheet, line.row, idCol, "import.problem.converted15", ["new": Masking.idNumber(n.value)],
                                    value: Masking.idNumber(id), severity: .notice)
                        }
                        if let (s, r) = seen[n.value] {
                            problem(sheet, line.row, idCol, "import.problem.idTwiceInFile", ["row": String(r), "sheet": s],
                                    value: Masking.idNumber(id)); ok = false
                        } else { seen[n.value] = (sheet, line.row) }
                    }
                }
                var rel = Person.headRelation
                if !relation.isEmpty {
                    if let c = relationCode(relation) { rel = c } else {
                        problem(sheet, line.row, relCol, "import.problem.unknownCode", ["what_zh": v.label(.relation).zh, "what_en": v.label(.relation).en],
                                value: relation); ok = false
                    }
                } else if !isFirst {
                    problem(sheet, line.row, relCol, "import.problem.relationMissing", ["name": name]); ok = false
                }
                var ethnicity = "01"
                let (eth, ethCol) = fields(.ethnicity)
                if !eth.isEmpty {
                    if let c = code("ethnicity", eth) { ethnicity = c } else {
                        problem(sheet, line.row, ethCol, "import.problem.unknownCode", ["what_zh": v.label(.ethnicity).zh, "what_en": v.label(.ethnicity).en], value: eth); ok = false
                    }
                }
                var health = Health.healthy
                let (hv, hCol) = fields(.health)
                if !hv.isEmpty {
                    if let c = v.value("health", hv) ?? code("health", hv), let h = Health(rawValue: c) { health = h } else {
                        problem(sheet, line.row, hCol, "import.problem.unknownCode", ["what_zh": v.label(.health).zh, "what_en": v.label(.health).en], value: hv); ok = false
                    }
                }
                var disability: String?
                let (dv, dCol) = fields(.disabilityType)
                if !dv.isEmpty {
                    if let c = v.value("disability_type", dv) { disability = c.isEmpty ? nil : c }
                    else if let c = code("disability_type", dv) { disability = c; health = .disabled }
                    else {
                        problem(sheet, line.row, dCol, "import.problem.unknownCode", ["what_zh": v.label(.disabilityType).zh, "what_en": v.label(.disabilityType).en], value: dv); ok = false
                    }
                }
                var level: Int?
                let (lv, lCol) = fields(.disabilityLevel)
                if !lv.isEmpty {
                    if let c = (v.value("disability_level", lv)).flatMap(Int.init) ?? LedgerValues.count(lv), (1...4).contains(c) { level = c } else {
                        problem(sheet, line.row, lCol, "import.problem.unknownCode", ["what_zh": v.label(.disabilityLevel).zh, "what_en": v.label(.disabilityLevel).en], value: lv); ok = false
                    }
                }
                var work: WorkAbility?
                let (wv, wCol) = fields(.workAbility)
                if !wv.isEmpty {
                    if let c = v.value("work_ability", wv) ?? code("work_ability", wv), let w = WorkAbility(rawValue: c) { work = w } else {
                        problem(sheet, line.row, wCol, "import.problem.unknownCode", ["what_zh": v.label(.workAbility).zh, "what_en": v.label(.workAbility).en], value: wv); ok = false
                    }
                }
                guard ok, let idn = IDNumber(idValue, today: ctx.today) else { return nil }
                var p = Person(name: name, idNumber: idn.value, relation: rel, sex: idn.sex, birthDate: idn.birthDate, ethnicity: ethnicity,
                               health: health, disabilityType: disability, disabilityLevel: level,
                               workAbility: HouseholdChanges.derivedWorkAbility(age: idn.age(on: ctx.today), given: work))
                p.absent = false
                return p
            }
            for (i, l) in g.enumerated() {
                let name = get(l, .name).isEmpty ? get(l, .headName) : get(l, .name)
                let id = get(l, .idNumber).isEmpty && m.column(.name) == nil ? get(l, .headID) : get(l, .idNumber)
                let nameCol = m.column(.name) != nil ? col(m, .name) : col(m, .headName)
                let idCol = m.column(.idNumber) != nil ? col(m, .idNumber) : col(m, .headID)
                let p = person(l, name: name, id: id, relation: get(l, .relation), nameCol: nameCol, idCol: idCol, relCol: col(m, .relation),
                               fields: { f in (get(l, f), col(m, f)) }, isFirst: i == 0 || (get(l, .headName) == name && !name.isEmpty))
                if let p { members.append(p); rowsOf.append(l.row) } else { bad = true }
                // Members in columns (成员2姓名, 成员2身份证号 …) on a household's row.
                for n in Set(m.members.values.map(\.number)).sorted() {
                    func mf(_ f: LedgerField) -> (String, String) {
                        guard let c = m.members.first(where: { $0.value.number == n && $0.value.field == f })?.key else { return ("", "") }
                        return (l.cells.indices.contains(c) ? LedgerValues.trimmed(l.cells[c]) : "", LedgerMapping.letter(c) + " " + (m.headers[c] ?? ""))
                    }
                    let (mn, mnCol) = mf(.name), (mi, miCol) = mf(.idNumber)
                    guard !mn.isEmpty || !mi.isEmpty else { continue }
                    let (mr, mrCol) = mf(.relation)
                    if let p = person(l, name: mn, id: mi, relation: mr, nameCol: mnCol, idCol: miCol, relCol: mrCol, fields: mf, isFirst: false) {
                        members.append(p); rowsOf.append(l.row)
                    } else { bad = true }
                }
            }
            // One head, first.
            let heads = members.indices.filter { members[$0].isHead }
            if heads.count > 1 {
                for h in heads.dropFirst() { problem(sheet, rowsOf[h], col(m, .relation), "import.problem.twoHeads", ["name": members[h].name]) }
                bad = true
            } else if heads.isEmpty && !members.isEmpty {
                problem(sheet, first.row, col(m, .relation), "import.problem.noHead"); bad = true
            } else if let h = heads.first, h != 0 {
                members.insert(members.remove(at: h), at: 0); rowsOf.insert(rowsOf.remove(at: h), at: 0)
            }
            // The village.
            let (vt, vl) = fact(.village)
            var region: Region?
            if vt.isEmpty {
                problem(sheet, vl.row, col(m, .village), "import.problem.villageMissing"); bad = true
            } else if let r = village(vt) { region = r } else {
                problem(sheet, vl.row, col(m, .village), "import.problem.unknownVillage", value: vt); bad = true
            }
            // Cases in force.
            var cases: [LedgerCase] = []
            var programmesSeen = Set<Programme>()
            for l in g {
                var pt = get(l, .programme)
                let pcol = col(m, .programme)
                if pt.isEmpty {
                    // No programme on the row: the ledger's own (a 花名册 of one programme), for a
                    // row that gives an amount; one household programme per household.
                    guard !get(l, .amount).isEmpty, l.row == g.first(where: { !get($0, .amount).isEmpty })?.row || defaultProgramme == .tekun else { continue }
                    guard let d = defaultProgramme else { problem(sheet, l.row, pcol, "import.problem.programmeMissing"); bad = true; continue }
                    pt = d.rawValue
                }
                var prog: Programme?
                if let c = v.value("programme", pt) {
                    if c == "dibao" { prog = region?.level == .community ? .urbanDibao : .ruralDibao } else { prog = Programme(rawValue: c) }
                } else { prog = Programme(text: pt) }
                guard let p = prog else { problem(sheet, l.row, pcol, "import.problem.unknownProgramme", value: pt); bad = true; continue }
                guard p == .ruralDibao || p == .urbanDibao || p == .tekun else {
                    problem(sheet, l.row, pcol, "import.problem.notMonthly", ["programme_zh": p.label.zh, "programme_en": p.label.en], value: pt); bad = true; continue
                }
                let perPerson = p == .tekun
                if !perPerson && programmesSeen.contains(p) { continue }   // the same household programme on each member's row
                programmesSeen.insert(p)
                if let r = region, let why = programmeMisfit(p, place: r.name, level: r.level) {
                    problems.append(LedgerProblem(sheet: sheet, row: l.row, column: pcol, text: why, value: pt, severity: .error)); bad = true; continue
                }
                func valueOn(_ f: LedgerField) -> String {
                    let own = get(l, f)
                    if !own.isEmpty || perPerson { return own }
                    return fact(f).0
                }
                var ok = true
                let at = valueOn(.amount)
                var amount = Money.zero
                if at.isEmpty { problem(sheet, l.row, col(m, .amount), "import.problem.amountMissing"); ok = false }
                else if let a = LedgerValues.money(at), a.fen > 0, a <= Money.largestEntered { amount = a }
                else { problem(sheet, l.row, col(m, .amount), "import.problem.badAmount", value: at); ok = false }
                let st = valueOn(.start)
                var start = ctx.today
                if st.isEmpty { problem(sheet, l.row, col(m, .start), "import.problem.startMissing"); ok = false }
                else if let d = LedgerValues.date(st) {
                    if d > ctx.today { problem(sheet, l.row, col(m, .start), "import.problem.startInFuture", value: st); ok = false }
                    else if d.year < 1990 { problem(sheet, l.row, col(m, .start), "import.problem.badDate", value: st); ok = false }
                    else { start = d }
                } else { problem(sheet, l.row, col(m, .start), "import.problem.badDate", value: st); ok = false }
                var persons = perPerson ? 1 : members.filter { $0.coResident && !$0.absent }.count
                let pv = perPerson ? get(l, .persons) : valueOn(.persons)
                if !pv.isEmpty {
                    if let n = LedgerValues.count(pv), n >= 1, n <= 50, !(perPerson && n != 1) { persons = n }
                    else { problem(sheet, l.row, col(m, .persons), "import.problem.badPersons", value: pv); ok = false }
                }
                let who = perPerson ? rowsOf.firstIndex(of: l.row) : nil
                if perPerson && who == nil { ok = false }
                if ok { cases.append(LedgerCase(programme: p, start: start, persons: max(1, persons), amount: amount, member: who, row: l.row)) } else { bad = true }
            }
            let (address, _) = fact(.address)
            let (phone, _) = fact(.phone)
            let h = Household(villageCode: region?.code ?? "", address: address, hukou: .local,
                              phone: phone.isEmpty ? nil : phone, housing: .own,
                              hukouRegion: region?.level == .community ? .urban : .rural)
            households.append(LedgerHousehold(sheet: sheet, rows: rowsOf.isEmpty ? g.map(\.row) : rowsOf, household: h,
                                              villageName: region?.name ?? vt, members: members, cases: cases, bad: bad || members.isEmpty))
        }
    }
}
