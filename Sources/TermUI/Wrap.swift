/// `text` broken into lines of at most `width` display columns.
///
/// Newlines in `text` always break. Chinese (any wide character) may break before or after any
/// character; ASCII words break at spaces, and only a word longer than a line is cut. A line
/// does not start with closing punctuation (，。、）… ) nor end with opening punctuation (（《“ …);
/// the character next to it moves along instead. Spaces at a break are dropped.
public func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var out: [String] = []
    for paragraph in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
        wrapParagraph(paragraph, width: width, into: &out)
    }
    return out
}

private let noLineStart: Set<Character> = Set("，。、；：？！）」』】》〉〕”’…·%,.;:!?)]}")
private let noLineEnd: Set<Character> = Set("（「『【《〈〔“‘([{")

private func wrapParagraph(_ paragraph: Substring, width: Int, into out: inout [String]) {
    var line: [Character] = []
    var lineWidth = 0
    // Index in `line` where the next line could begin, if the line has to break.
    var breakAt: Int?
    // Whether this paragraph has already been broken: leading spaces are then the break's, not
    // the text's own indentation, and are dropped.
    var wrapped = false

    func emit(_ chars: ArraySlice<Character>) {
        wrapped = true
        var end = chars.endIndex
        while end > chars.startIndex, chars[end - 1] == " " { end -= 1 }
        out.append(String(chars[chars.startIndex..<end]))
    }

    for raw in paragraph {
        let ch: Character = raw == "\t" ? " " : raw
        let cw = TextWidth.of(ch)
        if ch == " " {
            if line.isEmpty && wrapped { continue }
            if lineWidth + 1 > width {
                emit(line[...]); line = []; lineWidth = 0; breakAt = nil
                continue
            }
            line.append(ch); lineWidth += 1
            breakAt = line.count
            continue
        }
        if let prev = line.last, prev != " ",
           TextWidth.of(prev) == 2 || cw == 2,
           !noLineStart.contains(ch), !noLineEnd.contains(prev) {
            breakAt = line.count
        }
        if lineWidth + cw > width {
            if let b = breakAt, b > 0 {
                emit(line[..<b])
                var rest = line[b...]
                while rest.first == " " { rest = rest.dropFirst() }
                line = Array(rest)
                lineWidth = line.reduce(0) { $0 + TextWidth.of($1) }
            }
            breakAt = nil
            if lineWidth + cw > width, !line.isEmpty {
                // One word wider than the line: cut it.
                emit(line[...]); line = []; lineWidth = 0
            }
        }
        line.append(ch); lineWidth += cw
    }
    emit(line[...])
}
