import Foundation
import Testing

/// The demo is bulk-loaded with its triggers and the household and case indexes set aside; after
/// the load every derived column must be what the triggers would have written, and every trigger
/// and index must be back.
@Suite struct DemoLoadTests {
    @Test func derivedColumnsTriggersAndIndexesAreAsAfterRowByRowInserts() throws {
        let db = Binary.sharedDemo
        // The search signature, worked out here independently of the load.
        let sig = """
            (SELECT ifnull(char(1) || group_concat(t, char(1)) || char(1), '') FROM (
                SELECT substr(name, 1, 3) AS t FROM person WHERE household_id = h.id
                UNION SELECT substr(py, 1, 3) FROM person WHERE household_id = h.id
                UNION SELECT substr(ini, 1, 3) FROM person WHERE household_id = h.id
                UNION SELECT substr(id_number, 1, 3) FROM person WHERE household_id = h.id
                UNION SELECT '~' || substr(id_number, -1, 1) || substr(id_number, -2, 1) FROM person WHERE household_id = h.id
                UNION SELECT substr(name, 2, 3) FROM person WHERE household_id = h.id AND length(name) >= 3) WHERE t <> '')
            """
        // 600 made, and one more from the demo's 分户 (a household change made after the load).
        #expect(Binary.sqlite(db, "SELECT count(*) FROM household") == "601")
        #expect(Binary.sqlite(db, "SELECT count(*) FROM household_change WHERE kind = 'split'") == "2")
        #expect(Binary.sqlite(db, "SELECT count(*) FROM household h WHERE h.search_sig <> \(sig)") == "0")
        #expect(Binary.sqlite(db, "SELECT count(*) FROM household WHERE search_sig = ''") == "0")
        // The IDs' signature (ten digits, the last two reversed), for the counts.
        let idSig = """
            (SELECT ifnull(char(1) || group_concat(t, char(1)) || char(1), '') FROM (
                SELECT substr(id_number, 1, 10) AS t FROM person WHERE household_id = h.id
                UNION SELECT '~' || substr(id_number, -1, 1) || substr(id_number, -2, 1) FROM person WHERE household_id = h.id) WHERE t <> '')
            """
        #expect(Binary.sqlite(db, "SELECT count(*) FROM household h WHERE h.id_sig <> \(idSig)") == "0")
        #expect(Binary.sqlite(db, "SELECT count(*) FROM household WHERE id_sig = ''") == "0")
        #expect(Binary.sqlite(db, """
            SELECT count(*) FROM assistance_case c JOIN household h ON h.id = c.household_id WHERE c.head_py <> h.head_py
            """) == "0")
        // Each case carries its household's ID signature (the case count reads it).
        #expect(Binary.sqlite(db, """
            SELECT count(*) FROM assistance_case c JOIN household h ON h.id = c.household_id WHERE c.id_sig <> h.id_sig
            """) == "0")
        // (the guarded tables' digest triggers, three per table, are put back too)
        #expect(Binary.sqlite(db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'jz_guard_%'") == "18")
        let triggers = Binary.sqlite(db, "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'trigger' AND name NOT LIKE 'jz_guard_%' ORDER BY name)")
        #expect(triggers == "case_coverage_kept_delete case_coverage_kept_update case_head_py_on_insert case_head_py_on_move "
                 + "disaster_distribution_kept_delete disaster_distribution_kept_update disaster_house_payment_kept_delete disaster_house_payment_kept_update "
                 + "disaster_report_kept_delete disaster_report_kept_update household_change_kept_delete household_change_kept_update household_head_py_to_cases household_id_sig_to_cases "
                 + "person_id_sig_on_delete person_id_sig_on_insert person_id_sig_on_update "
                 + "person_sig_on_delete person_sig_on_insert person_sig_on_update relief_goods_kept_delete relief_goods_kept_update relief_goods_no_negative_stock "
                 + "search_count_case_del search_count_case_ins search_count_case_upd search_count_hit_del search_count_hit_ins search_count_hit_upd "
                 + "search_count_key_del search_count_key_ins search_count_key_upd survey_version_kept survey_version_not_deleted")
        // The running figures per short search text, filled after the load, against the keys
        // (a first letter, a surname) and the cases, counted here directly.
        for (t, range) in [("z", "key >= 'z' AND key < 'z' || char(1114111)"), ("张", "key >= '张' AND key < '张' || char(1114111)")] {
            let direct = Binary.sqlite(db, """
                SELECT count(*) || ' ' || (SELECT count(*) FROM assistance_case c WHERE c.household_id IN (SELECT household_id FROM search_key WHERE \(range)))
                FROM (SELECT DISTINCT household_id FROM search_key WHERE \(range))
                """)
            #expect(Binary.sqlite(db, "SELECT households || ' ' || cases FROM search_total WHERE t = '\(t)'") == direct, "\(t)")
        }
        for index in ["household_by_py", "household_by_village", "case_by_head", "case_by_status_amount", "case_by_programme_amount", "case_by_class"] {
            #expect(Binary.sqlite(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '\(index)'") == "1", "\(index)")
        }
        #expect(Binary.sqlite(db, "PRAGMA integrity_check") == "ok")
    }
}
