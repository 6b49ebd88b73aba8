import Foundation

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

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [Character: String] = [:]

    /// Toneless reading of one character, cached: ICU's transform is slow and a township's
    /// names use a few thousand distinct characters.
    public static func reading(_ ch: Character) -> String {
        lock.lock()
        if let r = cache[ch] { lock.unlock(); return r }
        lock.unlock()
        let latin = String(ch).applyingTransform(.toLatin, reverse: false) ?? String(ch)
        let plain = latin.applyingTransform(.stripDiacritics, reverse: false) ?? latin
        let r = plain.lowercased().filter { $0.isASCII && $0.isLetter }
        lock.lock(); cache[ch] = r; lock.unlock()
        return r
    }

    /// "张三丰" -> ("zhangsanfeng", "zsf")
    public static func keys(_ name: String) -> (full: String, initials: String) {
        let s = syllables(name)
        return (s.joined(), String(s.compactMap { $0.first }))
    }
}
