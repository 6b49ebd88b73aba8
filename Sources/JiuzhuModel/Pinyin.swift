import Foundation
import Synchronization

/// Search keys for Chinese names: full pinyin without tones ("zhangsanfeng") and initials
/// ("zsf"). Computed once when a name is saved, stored and indexed.
public enum Pinyin {
    /// Surnames whose reading differs from the character's common one.
    static let surnameReadings: [Character: String] = [
        "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "区": "ou", "查": "zha",
        "盖": "ge", "乐": "yue", "缪": "miao", "尉": "yu", "覃": "qin", "种": "chong", "秘": "bi",
        "重": "chong", "黑": "he", "翟": "zhai", "万": "wan", "长": "chang", "沈": "shen", "任": "ren",
    ]

    /// Pinyin syllables, one per character; non-Chinese characters pass through lower-cased.
    public static func syllables(_ name: String) -> [String] {
        var out: [String] = []
        for (i, ch) in name.enumerated() {
            if i == 0, let r = surnameReadings[ch] { out.append(r); continue }
            if ch.unicodeScalars.allSatisfy({ $0.isASCII }) {
                if ch.isLetter || ch.isNumber { out.append(String(ch).lowercased()) }
                continue
            }
            let cleaned = reading(ch)
            if !cleaned.isEmpty { out.append(cleaned) }
        }
        return out
    }

    /// Readings ICU gave for characters outside the table (searches run on several threads).
    private static let cache = Mutex<[Character: String]>([:])

    /// The readings of U+4E00–U+9FFF from `PinyinTable.swift` (ICU's Han-Latin, generated once):
    /// 411 readings and a 42 KB index, where ICU's transliterator costs a process ~8 MB of heap
    /// the first time it runs (issue 26). Built on first use.
    private static let table: (readings: [String], index: [UInt16]) = {
        var readings: [String] = []
        var index = [UInt16](repeating: .max, count: 0x9FFF - 0x4E00 + 1)
        for line in tableText.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            let n = UInt16(readings.count)
            readings.append(String(line[..<space]))
            for u in line[line.index(after: space)...].unicodeScalars where (0x4E00...0x9FFF).contains(u.value) {
                index[Int(u.value) - 0x4E00] = n
            }
        }
        return (readings, index)
    }()

    /// Toneless reading of one character: from the table for the common block, else (rare
    /// characters of the extension blocks) ICU's transform, cached.
    public static func reading(_ ch: Character) -> String {
        let scalars = ch.unicodeScalars
        if scalars.count == 1, let u = scalars.first, (0x4E00...0x9FFF).contains(u.value) {
            let n = table.index[Int(u.value) - 0x4E00]
            if n != .max { return table.readings[Int(n)] }
        }
        if let r = cache.withLock({ $0[ch] }) { return r }
        let r = icuReading(ch)
        cache.withLock { $0[ch] = r }
        return r
    }

    /// ICU's reading (Han-Latin, diacritics stripped), as the table was made.
    static func icuReading(_ ch: Character) -> String {
        let latin = String(ch).applyingTransform(.toLatin, reverse: false) ?? String(ch)
        let plain = latin.applyingTransform(.stripDiacritics, reverse: false) ?? latin
        return plain.lowercased().filter { $0.isASCII && $0.isLetter }
    }

    /// "张三丰" -> ("zhangsanfeng", "zsf")
    public static func keys(_ name: String) -> (full: String, initials: String) {
        let s = syllables(name)
        return (s.joined(), String(s.compactMap { $0.first }))
    }
}
