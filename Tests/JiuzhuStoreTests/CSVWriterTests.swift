import Testing
import JiuzhuModel
@testable import JiuzhuStore

/// The CSV line and the date reader work on bytes (issue 26's export speed); these hold their
/// behaviour: quoting, Excel's formula guard, and every date form people type.
@Suite struct CSVWriterTests {
    @Test func quotesWhatNeedsQuoting() {
        #expect(CSVWriter.line(["a", "b"]) == "a,b\r\n")
        #expect(CSVWriter.line(["张三,李四", "x"]) == "\"张三,李四\",x\r\n")
        #expect(CSVWriter.line(["他说\"好\""]) == "\"他说\"\"好\"\"\"\r\n")
        #expect(CSVWriter.line(["两行\n文字"]) == "\"两行\n文字\"\r\n")
        #expect(CSVWriter.line(["两行\r\n文字"]) == "\"两行\r\n文字\"\r\n")
        #expect(CSVWriter.line([" 前空格", "后空格 "]) == "\" 前空格\",\"后空格 \"\r\n")
        #expect(CSVWriter.line(["", "王"]) == ",王\r\n")
    }

    @Test func guardsFormulas() {
        #expect(CSVWriter.line(["=SUM(A1)", "+1", "-100", "@x", "1-2"]) == "'=SUM(A1),'+1,'-100,'@x,1-2\r\n")
    }

    /// `export cases` builds its lines on bytes: each typed field must come out as the String
    /// form of the value through `CSVWriter.line` did (the export stays byte for byte the same).
    @Test func aLineOnBytesIsTheLineOfItsStrings() throws {
        let d1 = try #require(CivilDate(year: 2024, month: 5, day: 1))
        let d2 = try #require(CivilDate(year: 987, month: 12, day: 31))
        for n in [0, 7, 10, 99, 100, 12345, -1, -40, Int.max, Int.min] {
            for fen: Int64 in [0, 5, 50, 100, 41250, -305, -1, 123_456_789_01, Int64.max, Int64.min + 1] {
                for text in ["", "王", "张三,李四", "=1", " x", "\"a\""] {
                    var l = CSVLine()
                    l.append(n); l.append(d1); l.append(yuan: Money(fen: fen)); l.append(text)
                    l.append(encoded: CSVLine.encoded(text)); l.append(d2)
                    l.end()
                    let expected = CSVWriter.line([String(n), d1.iso, Money(fen: fen).yuanString, text, text, d2.iso])
                    #expect(String(decoding: l.bytes, as: UTF8.self) == expected, "\(n) \(fen) \(text)")
                }
            }
        }
        var l = CSVLine()
        l.append("a"); l.end(); l.clear(); l.append("b"); l.end()
        #expect(l.bytes == Array("b\r\n".utf8))
    }

    @Test func readsDatesInEveryForm() throws {
        let d = try #require(CivilDate(year: 2024, month: 5, day: 1))
        for s in ["2024-05-01", "2024/05/01", "2024.5.1", "2024-5-1", "20240501", " 2024-05-01 "] {
            #expect(CivilDate(iso: s) == d, "\(s)")
        }
        for s in ["2024-13-01", "2024-02-30", "2024-05-0x", "2024_05_01", "", "2024-05"] {
            #expect(CivilDate(iso: s) == nil, "\(s)")
        }
        #expect(CivilDate(iso: "2024-02-29") != nil)
    }
}
