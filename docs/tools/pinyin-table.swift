// Regenerates Sources/JiuzhuModel/PinyinTable.swift: every character of CJK Unified Ideographs
// (U+4E00–U+9FFF) through ICU's Han-Latin transform and diacritic stripping, as
// Pinyin.reading did at run time before (issue 26: ICU's transliterator costs a clerk ~8 MB).
//
//   swiftc -O docs/tools/pinyin-table.swift -o /tmp/pinyin-table && /tmp/pinyin-table > /tmp/table.txt
//   sh docs/tools/pinyin-table-emit.sh /tmp/table.txt Sources/JiuzhuModel/PinyinTable.swift
import Foundation

var groups: [String: [Character]] = [:]
for v in 0x4E00...0x9FFF {
    let ch = Character(Unicode.Scalar(v)!)
    let latin = String(ch).applyingTransform(.toLatin, reverse: false) ?? String(ch)
    let plain = latin.applyingTransform(.stripDiacritics, reverse: false) ?? latin
    let r = plain.lowercased().filter { $0.isASCII && $0.isLetter }
    if r.isEmpty { continue }
    groups[r, default: []].append(ch)
}
for r in groups.keys.sorted() { print(r + " " + String(groups[r]!)) }
