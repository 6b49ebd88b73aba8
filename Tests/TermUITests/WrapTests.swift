import Testing
import TermUI

@Suite struct WrapTests {
    @Test func chineseBreaksBetweenAnyCharacters() {
        #expect(wrap("张三丰是一个好人", width: 6) == ["张三丰", "是一个", "好人"])
        #expect(wrap("张三丰是一个好人", width: 7) == ["张三丰", "是一个", "好人"])
    }

    @Test func asciiBreaksAtSpaces() {
        #expect(wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(wrap("the quick brown fox", width: 9) == ["the quick", "brown fox"])
        #expect(wrap("the quick brown fox", width: 8) == ["the", "quick", "brown", "fox"])
    }

    @Test func mixedTextBreaksAtEitherKind() {
        #expect(wrap("申请人Zhang San住在ABC村", width: 10) == ["申请人", "Zhang San", "住在ABC村"])
    }

    @Test func aWordLongerThanTheLineIsCut() {
        #expect(wrap("身份证110105194912310021", width: 8) == ["身份证", "11010519", "49123100", "21"])
    }

    @Test func closingPunctuationNeverStartsALine() {
        let lines = wrap("我们走吧，好的。", width: 8)
        #expect(lines == ["我们走", "吧，好", "的。"])
        #expect(wrap("他说（你好）", width: 6) == ["他说", "（你", "好）"])
    }

    @Test func newlinesBreakAndEmptyLinesStay() {
        #expect(wrap("第一行\n\n第三行", width: 20) == ["第一行", "", "第三行"])
        #expect(wrap("a\r\nb", width: 20) == ["a", "b"])
        #expect(wrap("", width: 5) == [""])
        #expect(wrap("abc", width: 0) == [])
    }

    @Test func indentationStaysButBreakSpacesGo() {
        #expect(wrap("  缩进的文字", width: 20) == ["  缩进的文字"])
        #expect(wrap("aaa    bbb", width: 5) == ["aaa", "bbb"])
        #expect(wrap("末尾   ", width: 10) == ["末尾"])
    }

    @Test func linesFitAndNothingIsLost() {
        var rng = SplitMix(state: 99)
        let pieces = ["张三", "，", "。", "abc", " ", "（", "）", "李四丰", "Zhang", "1234567890", "、", "\n", "欧阳"]
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0...15, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let width = Int.random(in: 2...12, using: &rng)
            let lines = wrap(text, width: width)
            for line in lines { #expect(line.displayWidth <= width, "\(text.debugDescription) at \(width): \(lines)") }
            let kept = lines.joined().filter { $0 != " " }
            let wanted = text.filter { $0 != " " && !$0.isNewline }
            #expect(kept == wanted, "\(text.debugDescription) at \(width): \(lines)")
        }
    }
}
