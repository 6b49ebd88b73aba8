/// Terminal column widths. Every width, cut and pad in the project goes through here.
public enum TextWidth {
    /// Columns one character takes: 2 for East Asian wide and full-width characters
    /// (CJK, Hangul, full-width punctuation and forms, most emoji), 0 for combining marks
    /// and other zero-width characters, 1 otherwise.
    public static func of(_ ch: Character) -> Int {
        // Most cells on a screen are ASCII; answer them without Unicode property look-ups.
        if let a = ch.asciiValue { return a >= 0x20 && a < 0x7F ? 1 : 0 }
        let scalars = ch.unicodeScalars
        guard let first = scalars.first else { return 0 }
        // Next most: one CJK ideograph or full-width form, wide without property look-ups.
        if scalars.index(after: scalars.startIndex) == scalars.endIndex {
            let v = first.value
            if (0x4E00...0x9FFF).contains(v) || (0x3000...0x3029).contains(v) || (0x3030...0x303E).contains(v) || (0xFF01...0xFF60).contains(v) { return 2 }
            return of(scalar: first)
        }
        // An emoji presentation selector makes a sequence wide.
        if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        return of(scalar: first)
    }

    public static func of(scalar s: Unicode.Scalar) -> Int {
        let v = s.value
        if v == 0 { return 0 }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B { return 0 }
        if (0x1160...0x11FF).contains(v) { return 0 }  // Hangul medial vowels / final consonants
        return isWide(v) ? 2 : 1
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
             0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1,
             0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA,
             0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C,
             0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C,
             0x2B50, 0x2B55,
             0x2E80...0x303E,       // CJK radicals, Kangxi, ideographic description, CJK symbols & punctuation
             0x3041...0x33FF,       // Hiragana .. CJK compatibility
             0x3400...0x4DBF,       // CJK extension A
             0x4E00...0x9FFF,       // CJK unified ideographs
             0xA000...0xA4CF,       // Yi syllables and radicals
             0xA960...0xA97F, 0xAC00...0xD7A3,
             0xF900...0xFAFF,       // CJK compatibility ideographs
             0xFE10...0xFE19, 0xFE30...0xFE6F,  // vertical forms, CJK compatibility forms, small forms
             0xFF00...0xFF60, 0xFFE0...0xFFE6,  // full-width forms
             0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
             0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251,
             0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF,
             0x1FA70...0x1FAFF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// The width of a scalar that is always a character of its own — printable ASCII, CJK
    /// ideographs and punctuation, full-width forms, box drawing, common punctuation and arrows —
    /// or nil. No such scalar joins the one before or after it into one character (none is a
    /// combining mark, joiner, prepended mark, Hangul jamo or line break), so a string made only
    /// of them can be measured and drawn scalar by scalar, without finding character boundaries.
    @inline(__always)
    public static func simpleWidth(_ v: UInt32) -> Int? {
        if v >= 0x20 && v < 0x7F { return 1 }
        if v >= 0x4E00 && v <= 0x9FFF { return 2 }
        if v < 0x2010 { return v == 0xB7 || v == 0xD7 ? 1 : nil }
        if v <= 0x2027 || (v >= 0x2190 && v <= 0x2193) || (v >= 0x2500 && v <= 0x25BC) { return 1 }
        if (v >= 0x3000 && v <= 0x3029) || (v >= 0x3030 && v <= 0x303E) || (v >= 0xFF01 && v <= 0xFF60) { return 2 }
        return nil
    }

    /// Columns a string takes.
    public static func of(_ s: some StringProtocol) -> Int {
        var w = 0
        for u in s.unicodeScalars {
            guard let sw = simpleWidth(u.value) else { return slowWidth(s) }
            w += sw
        }
        return w
    }

    private static func slowWidth(_ s: some StringProtocol) -> Int {
        var w = 0
        for ch in s { w += of(ch) }
        return w
    }

    /// The longest prefix of `s` that fits in `columns`, never cutting a wide character in half.
    public static func prefix(_ s: some StringProtocol, fitting columns: Int) -> String {
        var w = 0
        var out = ""
        for ch in s {
            let cw = of(ch)
            if w + cw > columns { break }
            w += cw
            out.append(ch)
        }
        return out
    }

    /// The longest suffix of `s` that fits in `columns` (a field shows the end being typed).
    public static func suffix(_ s: some StringProtocol, fitting columns: Int) -> String {
        var w = 0
        var chars: [Character] = []
        for ch in s.reversed() {
            let cw = of(ch)
            if w + cw > columns { break }
            w += cw
            chars.append(ch)
        }
        return String(chars.reversed())
    }

    /// `s` cut to `columns` and padded with spaces to exactly `columns`.
    /// With `ellipsis`, a cut string ends in "…" so the reader sees it was cut.
    public static func fit(_ s: some StringProtocol, _ columns: Int, alignRight: Bool = false, ellipsis: Bool = false) -> String {
        guard columns > 0 else { return "" }
        var t: String
        if of(s) > columns {
            t = ellipsis && columns >= 2 ? prefix(s, fitting: columns - 1) + "…" : prefix(s, fitting: columns)
        } else {
            t = String(s)
        }
        let pad = columns - of(t)
        if pad > 0 {
            t = alignRight ? String(repeating: " ", count: pad) + t : t + String(repeating: " ", count: pad)
        }
        return t
    }
}

extension StringProtocol {
    /// Terminal columns this string takes (see `TextWidth`).
    public var displayWidth: Int { TextWidth.of(self) }
}

/// The single width function the house style asks for.
public func displayWidth(_ s: some StringProtocol) -> Int { TextWidth.of(s) }
