import Foundation
import Testing
@testable import JiuzhuModel

@Suite struct PinyinTableTests {
    /// The table is ICU's reading: every 37th character of the block, and the demo's surnames'
    /// characters, read through the table and through ICU agree.
    @Test func theTableReadsAsICUDoes() throws {
        var checked = 0
        for v in stride(from: 0x4E00, through: 0x9FFF, by: 37) {
            let ch = Character(try #require(Unicode.Scalar(v)))
            #expect(Pinyin.reading(ch) == Pinyin.icuReading(ch), "U+\(String(v, radix: 16)) \(ch)")
            checked += 1
        }
        for ch in "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤阿木吉克沙马" {
            #expect(Pinyin.reading(ch) == Pinyin.icuReading(ch), "\(ch)")
        }
        #expect(checked > 500)
    }

    @Test func namesGetTheirKeys() {
        #expect(Pinyin.keys("张三丰") == ("zhangsanfeng", "zsf"))
        #expect(Pinyin.keys("单雄信").full == "shanxiongxin")
        // Outside the table's block (CJK extension A): ICU still reads it.
        #expect(Pinyin.reading("㐀") == Pinyin.icuReading("㐀"))
    }
}
