/// Lower-case hexadecimal of bytes, as the audit chain, the row digests and file hashes are kept.
/// A table lookup: `String(format: "%02x")` per byte went through Foundation's formatter and was
/// 7% of a 10,000-household import (every row written is digested).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func string<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
