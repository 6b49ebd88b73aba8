/// The digits of `CivilDate.iso` and `compact`, without Foundation's formatter (microseconds a
/// call; dates are drawn on every frame). These came from the demo generator's `DemoText`
/// (now in JiuzhuDemo) and keep its name inside this module until CivilDate.swift, which has
/// a change in progress on main, can call them by a name of their own.
enum DemoText {
    /// Zero-padded decimal digits of a non-negative number.
    static func digits(_ v: Int, width: Int) -> String {
        var bytes = [UInt8](repeating: 0x30, count: width)
        var x = v, i = width - 1
        while i >= 0 && x > 0 { bytes[i] = UInt8(0x30 + x % 10); x /= 10; i -= 1 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// "2025-03-12".
    static func iso(_ d: CivilDate) -> String {
        var b = [UInt8](repeating: 0x30, count: 10)
        func put(_ v: Int, _ end: Int, _ width: Int) {
            var x = v, i = end
            while i > end - width && x > 0 { b[i] = UInt8(0x30 + x % 10); x /= 10; i -= 1 }
        }
        put(d.year, 3, 4); b[4] = 0x2D
        put(d.month, 6, 2); b[7] = 0x2D
        put(d.day, 9, 2)
        return String(decoding: b, as: UTF8.self)
    }
}
