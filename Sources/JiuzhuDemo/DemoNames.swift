import Foundation
import JiuzhuModel

/// Names drawn from the inputs: Han surnames by population share, given names by the fashion
/// of the birth years, Yi clan names and given names.
struct DemoNames {
    struct Band {
        var from: Int
        var to: Int
        var singles: [String]
        var wholes: [String]
    }

    private let surnames: [String]
    private let surnameTable: WeightedTable
    private let yiSurnames: [String]
    private let yiTable: WeightedTable
    private let yiMale: [String]
    private let yiFemale: [String]
    private let male: [Band]
    private let female: [Band]

    init(_ inputs: DemoInputs) {
        surnames = inputs.surnames.map(\.name)
        surnameTable = WeightedTable(inputs.surnames.map(\.weight))
        yiSurnames = inputs.yiSurnames.map(\.name)
        yiTable = WeightedTable(inputs.yiSurnames.map(\.weight))
        yiMale = inputs.yiMale
        yiFemale = inputs.yiFemale
        func bands(_ b: [DemoInputs.NameBand]) -> [Band] {
            b.map { Band(from: $0.from, to: $0.to, singles: $0.entries.filter { $0.count == 1 },
                         wholes: $0.entries.filter { $0.count > 1 }) }
        }
        male = bands(inputs.maleGiven)
        female = bands(inputs.femaleGiven)
    }

    func hanSurname(_ rng: inout DemoRNG) -> String { surnames[surnameTable.pick(&rng)] }
    func yiSurname(_ rng: inout DemoRNG) -> String { yiSurnames[yiTable.pick(&rng)] }

    private func band(_ sex: Sex, _ year: Int) -> Band {
        let bands = sex == .male ? male : female
        if let b = bands.first(where: { $0.from <= year && year <= $0.to }) { return b }
        return year < bands[0].from ? bands[0] : bands[bands.count - 1]
    }

    /// A character brothers (or sisters) share in their given names (字辈).
    func generationCharacter(_ sex: Sex, year: Int, _ rng: inout DemoRNG) -> String {
        rng.pick(band(sex, year).singles)
    }

    func hanGiven(_ sex: Sex, year: Int, generation: String?, _ rng: inout DemoRNG) -> String {
        let b = band(sex, year)
        if let g = generation {
            var s = rng.pick(b.singles)
            if s == g { s = rng.pick(b.singles) }
            return s == g ? g : g + s
        }
        let alone = year < 1955 ? 22 : (year < 1995 ? 32 : 14)
        let r = rng.int(100)
        if r < alone { return rng.pick(b.singles) }
        if r < alone + 25 && !b.wholes.isEmpty { return rng.pick(b.wholes) }
        let a = rng.pick(b.singles)
        var c = rng.pick(b.singles)
        if c == a { c = rng.pick(b.singles) }
        return c == a ? a : a + c
    }

    /// Liangshan-style given name; people born since 1990 often have a Han one.
    func yiGiven(_ sex: Sex, year: Int, _ rng: inout DemoRNG) -> String {
        if year >= 1990 && rng.percent(35) { return hanGiven(sex, year: year, generation: nil, &rng) }
        return rng.pick(sex == .male ? yiMale : yiFemale)
    }

    /// A whole name for someone outside any household (a village cadre).
    func fullName(_ sex: Sex, year: Int, yi: Bool, _ rng: inout DemoRNG) -> String {
        yi ? yiSurname(&rng) + yiGiven(sex, year: year, &rng)
           : hanSurname(&rng) + hanGiven(sex, year: year, generation: nil, &rng)
    }
}
