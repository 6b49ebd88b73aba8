import Foundation
import GRDB

extension Store {
    /// Append-only: a shipped migration is never edited; changes go in a new one.
    static let migrator: DatabaseMigrator = {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try ReferenceData.createTables(db)
            try db.execute(sql: """
                CREATE TABLE region(
                    code TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    level TEXT NOT NULL,
                    parent_code TEXT REFERENCES region(code));

                CREATE TABLE household(
                    id INTEGER PRIMARY KEY,
                    village_code TEXT NOT NULL REFERENCES region(code),
                    address TEXT NOT NULL,
                    hukou TEXT NOT NULL,
                    phone TEXT,
                    bank_card TEXT,
                    housing TEXT NOT NULL,
                    housing_area INTEGER,
                    dilapidated INTEGER NOT NULL DEFAULT 0,
                    causes TEXT NOT NULL DEFAULT '',
                    cadre_relative INTEGER NOT NULL DEFAULT 0,
                    -- kept in step with the members so lists need no join
                    head_name TEXT NOT NULL DEFAULT '',
                    head_py TEXT NOT NULL DEFAULT '',
                    head_id TEXT NOT NULL DEFAULT '',
                    member_count INTEGER NOT NULL DEFAULT 0,
                    programmes TEXT NOT NULL DEFAULT '',
                    version INTEGER NOT NULL DEFAULT 1,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL);
                CREATE INDEX household_by_py ON household(head_py, id);
                CREATE INDEX household_by_village ON household(village_code, head_py, id);
                CREATE INDEX household_by_members ON household(member_count, head_py, id);
                CREATE INDEX household_by_programmes ON household(programmes, head_py, id);

                CREATE TABLE person(
                    id INTEGER PRIMARY KEY,
                    household_id INTEGER NOT NULL REFERENCES household(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    id_number TEXT NOT NULL UNIQUE,
                    relation TEXT NOT NULL,
                    sex TEXT NOT NULL,
                    birth_date TEXT NOT NULL,
                    ethnicity TEXT NOT NULL,
                    co_resident INTEGER NOT NULL DEFAULT 1,
                    health TEXT NOT NULL,
                    disability_type TEXT,
                    disability_level INTEGER,
                    work_ability TEXT NOT NULL,
                    student INTEGER NOT NULL DEFAULT 0,
                    youfu INTEGER NOT NULL DEFAULT 0,
                    absent INTEGER NOT NULL DEFAULT 0,
                    py TEXT NOT NULL,
                    ini TEXT NOT NULL,
                    version INTEGER NOT NULL DEFAULT 1,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL);
                CREATE INDEX person_by_household ON person(household_id);

                -- Prefix search keys, one row per key: name, given name, full pinyin, pinyin
                -- initials, ID number and the ID reversed (so "last six digits" is a range scan).
                CREATE TABLE search_key(
                    key TEXT NOT NULL,
                    household_id INTEGER NOT NULL,
                    person_id INTEGER NOT NULL,
                    PRIMARY KEY(key, household_id, person_id)) WITHOUT ROWID;

                CREATE TABLE assistance_case(
                    id INTEGER PRIMARY KEY,
                    household_id INTEGER NOT NULL REFERENCES household(id),
                    person_id INTEGER REFERENCES person(id),
                    programme TEXT NOT NULL,
                    step TEXT NOT NULL,
                    step_since TEXT NOT NULL,
                    status TEXT NOT NULL,
                    applied_on TEXT NOT NULL,
                    monthly_amount_fen INTEGER,
                    covered_members INTEGER NOT NULL DEFAULT 0,
                    urban_class TEXT,
                    village_code TEXT NOT NULL REFERENCES region(code),
                    version INTEGER NOT NULL DEFAULT 1,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL);
                CREATE INDEX case_by_household ON assistance_case(household_id);
                CREATE INDEX case_by_programme ON assistance_case(programme, status, step);

                CREATE TABLE case_step(
                    id INTEGER PRIMARY KEY,
                    case_id INTEGER NOT NULL REFERENCES assistance_case(id),
                    step TEXT NOT NULL,
                    action TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    acted_on TEXT NOT NULL,
                    note TEXT NOT NULL DEFAULT '',
                    inputs TEXT NOT NULL DEFAULT '{}',
                    recorded_at TEXT NOT NULL);
                CREATE INDEX case_step_by_case ON case_step(case_id, id);

                CREATE TABLE app_user(
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    display_name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    active INTEGER NOT NULL DEFAULT 1,
                    pw_algo TEXT NOT NULL,
                    pw_iterations INTEGER NOT NULL,
                    pw_salt BLOB NOT NULL,
                    pw_hash BLOB NOT NULL,
                    failed_attempts INTEGER NOT NULL DEFAULT 0,
                    locked_until TEXT,
                    version INTEGER NOT NULL DEFAULT 1,
                    created_at TEXT NOT NULL);

                -- hash = SHA-256(prev_hash || canonical row); `jiuzhu verify` walks the chain.
                CREATE TABLE audit(
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    user TEXT NOT NULL,
                    action TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    entity_id TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL);
                """)
        }
        m.registerMigration("v2 drafts and surveys") { db in
            try db.execute(sql: """
                -- A form being filled in, saved each time a field is left: survives a crash or a
                -- power cut; never an application until submitted (then deleted).
                CREATE TABLE draft(
                    id INTEGER PRIMARY KEY,
                    user TEXT NOT NULL,
                    form TEXT NOT NULL,
                    title TEXT NOT NULL DEFAULT '',
                    data TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL);
                CREATE INDEX draft_by_user ON draft(user, updated_at);

                -- The survey as submitted, with the figures it yielded then: a later change of
                -- standards or settings does not rewrite them.
                CREATE TABLE survey(
                    id INTEGER PRIMARY KEY,
                    case_id INTEGER NOT NULL UNIQUE REFERENCES assistance_case(id),
                    household_id INTEGER NOT NULL REFERENCES household(id),
                    surveyed_on TEXT NOT NULL,
                    investigator1 TEXT NOT NULL,
                    investigator2 TEXT NOT NULL,
                    form TEXT NOT NULL,
                    data TEXT NOT NULL,
                    members_counted INTEGER NOT NULL,
                    income_counted_fen INTEGER NOT NULL,
                    income_excluded_fen INTEGER NOT NULL,
                    per_capita_fen INTEGER NOT NULL,
                    assets_pass INTEGER NOT NULL,
                    figures TEXT NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at TEXT NOT NULL);
                CREATE INDEX survey_by_household ON survey(household_id);
                """)
        }
        m.registerMigration("v3 case decisions") { db in
            try db.execute(sql: """
                -- Who answers for the case (谁调查谁负责, 谁审批谁负责), what was decided and why.
                ALTER TABLE assistance_case ADD COLUMN investigators TEXT NOT NULL DEFAULT '';
                ALTER TABLE assistance_case ADD COLUMN approver TEXT NOT NULL DEFAULT '';
                ALTER TABLE assistance_case ADD COLUMN certificate_no TEXT;
                ALTER TABLE assistance_case ADD COLUMN once_amount_fen INTEGER;
                ALTER TABLE assistance_case ADD COLUMN computed_amount_fen INTEGER;
                ALTER TABLE assistance_case ADD COLUMN override_reason TEXT;
                ALTER TABLE assistance_case ADD COLUMN papers_due TEXT;
                CREATE INDEX case_by_step ON assistance_case(status, programme, step, step_since);

                -- Numbered documents (领取证), one counter per name and year.
                CREATE TABLE sequence(
                    name TEXT PRIMARY KEY,
                    value INTEGER NOT NULL);
                """)
            try Store.backfillCaseColumns(db)
        }
        m.registerMigration("v4 publicity") { db in
            try db.execute(sql: """
                -- A posting (张榜公示): which step, where, when, and, once posted, the document as it
                -- was published (a reprint shows that, not today's data).
                CREATE TABLE publicity_batch(
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    programme TEXT NOT NULL,
                    scope_code TEXT NOT NULL,
                    scope_name TEXT NOT NULL,
                    title TEXT NOT NULL,
                    posted_from TEXT NOT NULL,
                    posted_until TEXT NOT NULL,
                    place TEXT NOT NULL DEFAULT '',
                    phone TEXT NOT NULL DEFAULT '',
                    box TEXT NOT NULL DEFAULT '',
                    state TEXT NOT NULL,
                    document TEXT,
                    created_by TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    posted_at TEXT,
                    closed_at TEXT,
                    version INTEGER NOT NULL DEFAULT 1);
                CREATE INDEX publicity_batch_by_state ON publicity_batch(state, posted_until);

                CREATE TABLE publicity_line(
                    batch_id INTEGER NOT NULL REFERENCES publicity_batch(id),
                    case_id INTEGER NOT NULL REFERENCES assistance_case(id),
                    change TEXT NOT NULL,
                    PRIMARY KEY(batch_id, case_id)) WITHOUT ROWID;
                CREATE INDEX publicity_line_by_case ON publicity_line(case_id);

                -- 异议: against one line; the case goes back to re-investigation.
                CREATE TABLE objection(
                    id INTEGER PRIMARY KEY,
                    batch_id INTEGER NOT NULL REFERENCES publicity_batch(id),
                    case_id INTEGER NOT NULL REFERENCES assistance_case(id),
                    received_on TEXT NOT NULL,
                    received_by TEXT NOT NULL,
                    content TEXT NOT NULL,
                    handler TEXT NOT NULL,
                    result TEXT NOT NULL DEFAULT 'pending',
                    result_reason TEXT NOT NULL DEFAULT '',
                    result_on TEXT,
                    recorded_by TEXT NOT NULL,
                    recorded_at TEXT NOT NULL);
                CREATE INDEX objection_by_batch ON objection(batch_id);
                CREATE INDEX objection_by_case ON objection(case_id);
                """)
        }
        m.registerMigration("v5 spot checks") { db in
            try db.execute(sql: """
                -- A spot-check draw (抽查): the seed and percentage are kept so the same sample can
                -- be drawn again from the same data and shown to anyone who asks "why these".
                CREATE TABLE spot_check_draw(
                    id INTEGER PRIMARY KEY,
                    programme TEXT NOT NULL,
                    period TEXT NOT NULL,
                    percent INTEGER NOT NULL,
                    seed TEXT NOT NULL,
                    drawn_by TEXT NOT NULL,
                    drawn_at TEXT NOT NULL,
                    population INTEGER NOT NULL,
                    sampled INTEGER NOT NULL);
                CREATE INDEX spot_check_draw_by_programme ON spot_check_draw(programme, period);

                -- One sampled case and, once visited, what the visit found.
                CREATE TABLE spot_check(
                    id INTEGER PRIMARY KEY,
                    draw_id INTEGER NOT NULL REFERENCES spot_check_draw(id),
                    case_id INTEGER NOT NULL REFERENCES assistance_case(id),
                    village_code TEXT NOT NULL,
                    visited_on TEXT,
                    visited_by TEXT,
                    findings TEXT,
                    discrepancy INTEGER,
                    proposed_action TEXT CHECK (proposed_action IN ('adjust', 'suspend', 'cancel', 'none')),
                    recorded_at TEXT,
                    UNIQUE(draw_id, case_id));
                CREATE INDEX spot_check_by_draw ON spot_check(draw_id, village_code);
                CREATE INDEX spot_check_by_case ON spot_check(case_id);
                """)
        }
        m.registerMigration("v6 saved filters") { db in
            try db.execute(sql: """
                -- A case-browser selection kept under a name, per user.
                CREATE TABLE saved_filter(
                    user TEXT NOT NULL,
                    name TEXT NOT NULL,
                    query TEXT NOT NULL,
                    saved_at TEXT NOT NULL,
                    PRIMARY KEY(user, name)) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v7 case browser indexes") { db in
            try db.execute(sql: """
                -- The case browser's sort orders, so a page is read in order, not sorted whole.
                CREATE INDEX case_by_amount ON assistance_case(monthly_amount_fen, id);
                CREATE INDEX case_by_village ON assistance_case(village_code, id);
                CREATE INDEX case_by_since ON assistance_case(step_since, id);
                """)
        }
        m.registerMigration("v8 dynamic management") { db in
            try db.execute(sql: """
                -- A follow-up (跟进): a discrepancy found on a visit (spot check, campaign, re-check)
                -- waits for the approver, who adjusts, keeps, suspends or stops the case through its
                -- own workflow; that action closes the follow-up with its outcome.
                CREATE TABLE case_followup(
                    id INTEGER PRIMARY KEY,
                    case_id INTEGER NOT NULL REFERENCES assistance_case(id),
                    source TEXT NOT NULL CHECK (source IN ('spotcheck', 'campaign', 'recheck')),
                    source_id INTEGER,
                    proposed TEXT NOT NULL CHECK (proposed IN ('none', 'adjust', 'suspend', 'cancel', 'clear')),
                    finding TEXT NOT NULL,
                    income_estimate_fen INTEGER,
                    opened_by TEXT NOT NULL,
                    opened_on TEXT NOT NULL,
                    closed_on TEXT,
                    closed_by TEXT,
                    outcome TEXT CHECK (outcome IN ('unchanged', 'adjusted', 'suspended', 'cancelled', 'cleared')),
                    case_step_id INTEGER);
                CREATE INDEX followup_by_case ON case_followup(case_id, closed_on);
                CREATE INDEX followup_open ON case_followup(opened_on) WHERE closed_on IS NULL;
                CREATE INDEX followup_by_source ON case_followup(source, source_id);

                -- A campaign such as 阳光行动: every case of a programme in force when it starts is put
                -- on its list to be re-checked; outcomes are counted from the cases' own records.
                CREATE TABLE campaign(
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    programme TEXT NOT NULL,
                    started_on TEXT NOT NULL,
                    ends_on TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    closed_on TEXT);
                CREATE TABLE campaign_case(
                    campaign_id INTEGER NOT NULL REFERENCES campaign(id),
                    case_id INTEGER NOT NULL REFERENCES assistance_case(id),
                    household_id INTEGER NOT NULL,
                    village_code TEXT NOT NULL,
                    persons INTEGER NOT NULL,
                    checked_on TEXT,
                    checked_by TEXT,
                    finding TEXT,
                    proposed TEXT,
                    PRIMARY KEY(campaign_id, case_id)) WITHOUT ROWID;
                CREATE INDEX campaign_case_by_case ON campaign_case(case_id);
                """)
        }
        m.registerMigration("v9 case browser keyset") { db in
            try db.execute(sql: """
                -- Every sort of the case browser on the case table alone, ending with the id, so a
                -- page is a keyset range on one index. The head's pinyin is copied onto the case
                -- (kept by triggers, whatever code changes a household or a case).
                ALTER TABLE assistance_case ADD COLUMN head_py TEXT NOT NULL DEFAULT '';
                UPDATE assistance_case SET head_py = ifnull((SELECT h.head_py FROM household h WHERE h.id = assistance_case.household_id), '');
                CREATE TRIGGER case_head_py_on_insert AFTER INSERT ON assistance_case BEGIN
                    UPDATE assistance_case SET head_py = ifnull((SELECT h.head_py FROM household h WHERE h.id = NEW.household_id), '')
                    WHERE id = NEW.id;
                END;
                CREATE TRIGGER case_head_py_on_move AFTER UPDATE OF household_id ON assistance_case BEGIN
                    UPDATE assistance_case SET head_py = ifnull((SELECT h.head_py FROM household h WHERE h.id = NEW.household_id), '')
                    WHERE id = NEW.id;
                END;
                CREATE TRIGGER household_head_py_to_cases AFTER UPDATE OF head_py ON household BEGIN
                    UPDATE assistance_case SET head_py = NEW.head_py WHERE household_id = NEW.id;
                END;
                CREATE INDEX case_by_head ON assistance_case(head_py, id);
                CREATE INDEX case_by_programme_id ON assistance_case(programme, id);
                CREATE INDEX case_by_programme_step ON assistance_case(programme, step, id);
                -- No monthly amount sorts first, as NULL did; -1 is below every amount.
                CREATE INDEX case_by_amount_key ON assistance_case(ifnull(monthly_amount_fen, -1), id);
                -- The same orders under the common filters, status and programme, so a filter that
                -- leaves many cases still reads its first page in order (in progress by amount,
                -- highest first, would otherwise walk past every case with an amount).
                CREATE INDEX case_by_status_id ON assistance_case(status, id);
                CREATE INDEX case_by_status_village ON assistance_case(status, village_code, id);
                CREATE INDEX case_by_status_head ON assistance_case(status, head_py, id);
                CREATE INDEX case_by_status_programme ON assistance_case(status, programme, id);
                CREATE INDEX case_by_status_step ON assistance_case(status, programme, step, id);
                CREATE INDEX case_by_status_since ON assistance_case(status, step_since, id);
                CREATE INDEX case_by_status_amount ON assistance_case(status, ifnull(monthly_amount_fen, -1), id);
                CREATE INDEX case_by_programme_village ON assistance_case(programme, village_code, id);
                CREATE INDEX case_by_programme_head ON assistance_case(programme, head_py, id);
                CREATE INDEX case_by_programme_since ON assistance_case(programme, step_since, id);
                CREATE INDEX case_by_programme_amount ON assistance_case(programme, ifnull(monthly_amount_fen, -1), id);
                -- Filters that leave few cases, found without reading every case: the urban class,
                -- and the approvals by date (a partial index: approvals are a ninth of the steps).
                CREATE INDEX case_by_class ON assistance_case(urban_class, id);
                CREATE INDEX case_step_decided ON case_step(acted_on, case_id)
                    WHERE action = 'approve' AND step IN ('county_approval', 'assessment');
                """)
        }
        m.registerMigration("v10 household search signature") { db in
            // The signature of one household, `hid` being the SQL that names it.
            func signature(_ hid: String) -> String {
                """
                (SELECT ifnull(char(1) || group_concat(t, char(1)) || char(1), '') FROM (
                        SELECT substr(name, 1, 3) AS t FROM person WHERE household_id = \(hid)
                        UNION SELECT substr(py, 1, 3) FROM person WHERE household_id = \(hid)
                        UNION SELECT substr(ini, 1, 3) FROM person WHERE household_id = \(hid)
                        UNION SELECT substr(id_number, 1, 3) FROM person WHERE household_id = \(hid)
                        UNION SELECT '~' || substr(id_number, -1, 1) || substr(id_number, -2, 1) FROM person WHERE household_id = \(hid)
                        UNION SELECT substr(name, 2, 3) FROM person WHERE household_id = \(hid) AND length(name) >= 3)
                    WHERE t <> '')
                """
            }
            try db.execute(sql: """
                -- The household browser's broad searches (a first letter, a common surname, the
                -- county's ID prefix) walk a sort index and test each household. Testing its
                -- members cost a seek into person per household (2,700 of them for "w" at 200×60).
                -- Every search key of the household cut to its first three characters, between
                -- char(1)s, is kept on the household and carried in each sort index, so the test
                -- is read from the index being walked. Kept by triggers on person (the keys are
                -- the same as search_key's: name, pinyin, initials, ID, ~reversed ID, given name).
                -- The village is carried too: a name text also matches the villages named by it.
                ALTER TABLE household ADD COLUMN search_sig TEXT NOT NULL DEFAULT '';
                UPDATE household SET search_sig = \(signature("household.id"));
                CREATE TRIGGER person_sig_on_insert AFTER INSERT ON person BEGIN
                    UPDATE household SET search_sig = \(signature("NEW.household_id")) WHERE id = NEW.household_id;
                END;
                CREATE TRIGGER person_sig_on_delete AFTER DELETE ON person BEGIN
                    UPDATE household SET search_sig = \(signature("OLD.household_id")) WHERE id = OLD.household_id;
                END;
                CREATE TRIGGER person_sig_on_update AFTER UPDATE OF name, py, ini, id_number, household_id ON person BEGIN
                    UPDATE household SET search_sig = \(signature("OLD.household_id")) WHERE id = OLD.household_id;
                    UPDATE household SET search_sig = \(signature("NEW.household_id")) WHERE id = NEW.household_id AND NEW.household_id <> OLD.household_id;
                END;
                DROP INDEX household_by_py;
                DROP INDEX household_by_village;
                DROP INDEX household_by_members;
                DROP INDEX household_by_programmes;
                CREATE INDEX household_by_py ON household(head_py, id, village_code, search_sig);
                CREATE INDEX household_by_village ON household(village_code, head_py, id, search_sig);
                CREATE INDEX household_by_members ON household(member_count, head_py, id, village_code, search_sig);
                CREATE INDEX household_by_programmes ON household(programmes, head_py, id, village_code, search_sig);
                """)
        }
        m.registerMigration("v11 adjustments to post") { db in
            // 调整 lines on the changes posting: a case in force whose amount was adjusted since it
            // was last posted as adjusted. Few steps are adjustments; a partial index finds them.
            try db.execute(sql: "CREATE INDEX case_step_adjustments ON case_step(case_id, acted_on) WHERE action = 'adjust'")
        }
        m.registerMigration("v12 complaints register") { db in
            try db.execute(sql: """
                -- The complaints register (举报): received, assigned, checked, answered.
                CREATE TABLE complaint(
                    id INTEGER PRIMARY KEY,
                    received_on TEXT NOT NULL,
                    channel TEXT NOT NULL CHECK (channel IN ('box', 'phone', 'in_person', 'letter', 'anonymous', 'posting')),
                    complainant TEXT NOT NULL DEFAULT '',
                    subject TEXT NOT NULL DEFAULT '',
                    case_id INTEGER REFERENCES assistance_case(id),
                    content TEXT NOT NULL,
                    assigned_to TEXT,
                    assigned_on TEXT,
                    checked_on TEXT,
                    founded INTEGER,
                    finding TEXT,
                    answered_on TEXT,
                    answer TEXT,
                    received_by TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    version INTEGER NOT NULL DEFAULT 1);
                CREATE INDEX complaint_open ON complaint(received_on) WHERE answered_on IS NULL;
                CREATE INDEX complaint_by_case ON complaint(case_id) WHERE case_id IS NOT NULL;

                -- A founded complaint's proposal is a follow-up like a spot check's: the source's
                -- CHECK gains 'complaint' (SQLite changes a CHECK by rebuilding the table).
                CREATE TABLE case_followup_new(
                    id INTEGER PRIMARY KEY,
                    case_id INTEGER NOT NULL REFERENCES assistance_case(id),
                    source TEXT NOT NULL CHECK (source IN ('spotcheck', 'campaign', 'recheck', 'complaint')),
                    source_id INTEGER,
                    proposed TEXT NOT NULL CHECK (proposed IN ('none', 'adjust', 'suspend', 'cancel', 'clear')),
                    finding TEXT NOT NULL,
                    income_estimate_fen INTEGER,
                    opened_by TEXT NOT NULL,
                    opened_on TEXT NOT NULL,
                    closed_on TEXT,
                    closed_by TEXT,
                    outcome TEXT CHECK (outcome IN ('unchanged', 'adjusted', 'suspended', 'cancelled', 'cleared')),
                    case_step_id INTEGER);
                INSERT INTO case_followup_new SELECT id, case_id, source, source_id, proposed, finding, income_estimate_fen,
                    opened_by, opened_on, closed_on, closed_by, outcome, case_step_id FROM case_followup;
                DROP TABLE case_followup;
                ALTER TABLE case_followup_new RENAME TO case_followup;
                CREATE INDEX followup_by_case ON case_followup(case_id, closed_on);
                CREATE INDEX followup_open ON case_followup(opened_on) WHERE closed_on IS NULL;
                CREATE INDEX followup_by_source ON case_followup(source, source_id);
                """)
        }
        m.registerMigration("v13 payment rosters") { db in
            try db.execute(sql: """
                -- 发放名册: one per programme and month, a snapshot of the cases in force and not
                -- suspended when it was made; confirmed (sent to the bank), it never changes again.
                CREATE TABLE payment_roster(
                    id INTEGER PRIMARY KEY,
                    month TEXT NOT NULL,
                    programme TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('draft', 'confirmed')),
                    made_by TEXT NOT NULL,
                    made_at TEXT NOT NULL,
                    confirmed_by TEXT,
                    confirmed_at TEXT,
                    lines INTEGER NOT NULL,
                    persons INTEGER NOT NULL,
                    total_fen INTEGER NOT NULL,
                    without_card INTEGER NOT NULL,
                    version INTEGER NOT NULL DEFAULT 1,
                    UNIQUE (month, programme));
                CREATE TABLE payment_line(
                    roster_id INTEGER NOT NULL REFERENCES payment_roster(id) ON DELETE CASCADE,
                    case_id INTEGER NOT NULL REFERENCES assistance_case(id),
                    village_code TEXT NOT NULL,
                    payee_name TEXT NOT NULL,
                    payee_id TEXT NOT NULL,
                    bank_card TEXT,
                    persons INTEGER NOT NULL,
                    amount_fen INTEGER NOT NULL,
                    PRIMARY KEY (roster_id, case_id)) WITHOUT ROWID;
                CREATE INDEX payment_line_by_village ON payment_line(roster_id, village_code, payee_name);
                -- Each village's share, summed once when the roster is made (50,000 lines take
                -- 60 ms to sum; the screen shows the share as the selection moves).
                CREATE TABLE payment_village(
                    roster_id INTEGER NOT NULL REFERENCES payment_roster(id) ON DELETE CASCADE,
                    village_code TEXT NOT NULL,
                    lines INTEGER NOT NULL,
                    persons INTEGER NOT NULL,
                    total_fen INTEGER NOT NULL,
                    PRIMARY KEY (roster_id, village_code)) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v14 payments from the records") { db in
            try db.execute(sql: """
                -- What a case is paid is worked out from its step records (decisions, adjustments,
                -- stops, suspensions): a partial index holds just those, in each case's order.
                CREATE INDEX case_step_money ON case_step(case_id, acted_on)
                    WHERE action IN ('approve', 'adjust', 'terminate', 'suspend', 'resume');
                -- 补发: a line may also pay months already on a confirmed roster (back_fen of its
                -- amount_fen), month by month in payment_back; the roster remembers the newest step
                -- record it had seen, so only cases recorded since are looked at again.
                ALTER TABLE payment_line ADD COLUMN back_fen INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE payment_roster ADD COLUMN back_fen INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE payment_roster ADD COLUMN steps_seen INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE payment_back(
                    roster_id INTEGER NOT NULL REFERENCES payment_roster(id) ON DELETE CASCADE,
                    case_id INTEGER NOT NULL,
                    for_month TEXT NOT NULL,
                    amount_fen INTEGER NOT NULL,
                    PRIMARY KEY (roster_id, case_id, for_month)) WITHOUT ROWID;
                CREATE INDEX payment_back_by_case ON payment_back(case_id, for_month);
                CREATE INDEX payment_line_by_case ON payment_line(case_id);
                """)
        }
        m.registerMigration("v15 township confirmation") { db in
            try db.execute(sql: """
                -- 审核确认权下放: a decision may also be the township's confirmation; the approvals
                -- index covers it, so the browser's decision-date filter finds delegated ones.
                DROP INDEX case_step_decided;
                CREATE INDEX case_step_decided ON case_step(acted_on, case_id)
                    WHERE action = 'approve' AND step IN ('county_approval', 'township_confirmation', 'assessment');
                """)
        }
        m.registerMigration("v16 rosters made before the records") { db in
            // Rosters made before v14 were copied from the cases as they stood: taken as having
            // seen every record so far, so no back pay reaches behind the upgrade.
            try db.execute(sql: "UPDATE payment_roster SET steps_seen = (SELECT coalesce(max(id), 0) FROM case_step) WHERE steps_seen = 0")
            // The payment records' index carries what the rosters read of them (the amount, the
            // persons, the month a raise applies from), so a roster of 50,000 cases never opens a
            // step record nor parses its JSON: 0.9 s → 0.15 s at 100,000 households.
            try db.execute(sql: """
                DROP INDEX case_step_money;
                CREATE INDEX case_step_money ON case_step(case_id, acted_on, step, action, json_extract(inputs, '$.monthlyFen'),
                    json_extract(inputs, '$.covered'), json_extract(inputs, '$.effectiveMonth'))
                    WHERE action IN ('approve', 'adjust', 'terminate', 'suspend', 'resume');
                DROP INDEX payment_line_by_case;
                """)
        }
        m.registerMigration("v17 keyed audit and guarded tables") { db in
            // Each audit row keyed (HMAC of its hash with the key in the file beside the
            // database, through jz_mac); the guarded tables' digests and triggers (KeyFile.swift).
            try db.execute(sql: "ALTER TABLE audit ADD COLUMN mac TEXT")
            try db.execute(sql: "UPDATE audit SET mac = jz_mac(hash)")
            try Guarded.create(db)
        }
        m.registerMigration("v18 household changes and coverage") { db in
            try db.execute(sql: """
                -- The household's own facts after the 2014 hukou reform, and the card's bank.
                ALTER TABLE household ADD COLUMN hukou_region TEXT;
                ALTER TABLE household ADD COLUMN bank_code TEXT;
                -- A household emptied by a merge points at the one it joined.
                ALTER TABLE household ADD COLUMN merged_into INTEGER;
                -- A newborn registered with the birth certificate (its key in id_number until the
                -- ID is added); a death or a move out keeps the person on the record, marked.
                ALTER TABLE person ADD COLUMN birth_cert TEXT;
                ALTER TABLE person ADD COLUMN died_on TEXT;
                ALTER TABLE person ADD COLUMN left_on TEXT;
                ALTER TABLE person ADD COLUMN left_reason TEXT;

                -- The change history: every change to a household, dated, with its reason, who and when, and
                -- the household before and after (JSON). Never updated or deleted.
                CREATE TABLE household_change(
                    id INTEGER PRIMARY KEY,
                    household_id INTEGER NOT NULL REFERENCES household(id),
                    kind TEXT NOT NULL,
                    person_id INTEGER,
                    other_household_id INTEGER,
                    effective_on TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    before TEXT NOT NULL,
                    after TEXT NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at TEXT NOT NULL);
                CREATE INDEX household_change_by_household ON household_change(household_id, id);
                CREATE TRIGGER household_change_kept_update BEFORE UPDATE ON household_change
                    BEGIN SELECT RAISE(ABORT, 'household_change rows are never changed'); END;
                CREATE TRIGGER household_change_kept_delete BEFORE DELETE ON household_change
                    BEGIN SELECT RAISE(ABORT, 'household_change rows are never deleted'); END;

                -- The persons a case covers, dated: one set per decision or adjustment (step_id
                -- the case_step that made it, 0 when taken from the household as the upgrade found
                -- it). The set in force on a date is the latest from_on on or before it. Append-only,
                -- so the persons covered on a past date never change when the household does.
                -- (The key's columns come first, in its order: SQLite 3.40's integrity check
                -- misreads a WITHOUT ROWID table whose key columns are declared out of order.)
                CREATE TABLE case_coverage(
                    case_id INTEGER NOT NULL REFERENCES assistance_case(id),
                    step_id INTEGER NOT NULL,
                    person_id INTEGER NOT NULL,
                    from_on TEXT NOT NULL,
                    PRIMARY KEY(case_id, step_id, person_id)) WITHOUT ROWID;
                CREATE INDEX case_coverage_by_date ON case_coverage(case_id, from_on, step_id);
                CREATE TRIGGER case_coverage_kept_update BEFORE UPDATE ON case_coverage
                    BEGIN SELECT RAISE(ABORT, 'case_coverage rows are never changed'); END;
                CREATE TRIGGER case_coverage_kept_delete BEFORE DELETE ON case_coverage
                    BEGIN SELECT RAISE(ABORT, 'case_coverage rows are never deleted'); END;

                -- A follow-up may come from a household change (member added, removed, circumstances), with the
                -- proposed amount and the persons it would cover (the CHECK needs a rebuild).
                CREATE TABLE case_followup_new(
                    id INTEGER PRIMARY KEY,
                    case_id INTEGER NOT NULL REFERENCES assistance_case(id),
                    source TEXT NOT NULL CHECK (source IN ('spotcheck', 'campaign', 'recheck', 'complaint', 'household')),
                    source_id INTEGER,
                    proposed TEXT NOT NULL CHECK (proposed IN ('none', 'adjust', 'suspend', 'cancel', 'clear')),
                    finding TEXT NOT NULL,
                    income_estimate_fen INTEGER,
                    opened_by TEXT NOT NULL,
                    opened_on TEXT NOT NULL,
                    closed_on TEXT,
                    closed_by TEXT,
                    outcome TEXT CHECK (outcome IN ('unchanged', 'adjusted', 'suspended', 'cancelled', 'cleared')),
                    case_step_id INTEGER,
                    change_kind TEXT,
                    proposed_fen INTEGER,
                    proposed_persons TEXT,
                    stop_month TEXT);
                INSERT INTO case_followup_new(id, case_id, source, source_id, proposed, finding, income_estimate_fen, opened_by,
                    opened_on, closed_on, closed_by, outcome, case_step_id)
                SELECT id, case_id, source, source_id, proposed, finding, income_estimate_fen, opened_by, opened_on, closed_on,
                    closed_by, outcome, case_step_id FROM case_followup;
                DROP TABLE case_followup;
                ALTER TABLE case_followup_new RENAME TO case_followup;
                CREATE INDEX followup_by_case ON case_followup(case_id, closed_on);
                CREATE INDEX followup_open ON case_followup(opened_on) WHERE closed_on IS NULL;
                CREATE INDEX followup_by_source ON case_followup(source, source_id);
                """)
            try Store.backfillCoverage(db)
        }
        m.registerMigration("v19 disaster work") { db in
            try Store.createDisasterTables(db)
        }
        m.registerMigration("v20 survey versions") { db in
            try db.execute(sql: """
                -- Every version of a case's household survey (入户调查): the first as submitted, then each
                -- correction (退回重新调查, or at the survey step), with its reason. Never updated or
                -- deleted; `survey` holds the newest, which the rules read.
                CREATE TABLE survey_version(
                    id INTEGER PRIMARY KEY,
                    case_id INTEGER NOT NULL REFERENCES assistance_case(id),
                    version INTEGER NOT NULL,
                    surveyed_on TEXT NOT NULL,
                    investigator1 TEXT NOT NULL,
                    investigator2 TEXT NOT NULL,
                    form TEXT NOT NULL,
                    data TEXT NOT NULL,
                    members_counted INTEGER NOT NULL,
                    income_counted_fen INTEGER NOT NULL,
                    income_excluded_fen INTEGER NOT NULL,
                    per_capita_fen INTEGER NOT NULL,
                    assets_pass INTEGER NOT NULL,
                    figures TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    UNIQUE (case_id, version));
                INSERT INTO survey_version(case_id, version, surveyed_on, investigator1, investigator2, form, data, members_counted,
                    income_counted_fen, income_excluded_fen, per_capita_fen, assets_pass, figures, reason, recorded_by, recorded_at)
                SELECT case_id, 1, surveyed_on, investigator1, investigator2, form, data, members_counted, income_counted_fen,
                    income_excluded_fen, per_capita_fen, assets_pass, figures, '', recorded_by, recorded_at FROM survey;
                CREATE TRIGGER survey_version_kept BEFORE UPDATE ON survey_version
                    BEGIN SELECT RAISE(ABORT, 'a survey version is never changed'); END;
                CREATE TRIGGER survey_version_not_deleted BEFORE DELETE ON survey_version
                    BEGIN SELECT RAISE(ABORT, 'a survey version is never deleted'); END;
                ALTER TABLE survey ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
                """)
        }
        m.registerMigration("v21 medical bills and tekun care") { db in
            try db.execute(sql: """
                -- 医疗救助 (国办发〔2021〕42号): the county's 起付标准, ratio and yearly cap per category, dated,
                -- and 资助参保 per year and category (data/medical_assistance.csv, data/insurance_subsidy.csv).
                CREATE TABLE medical_rule(
                    category TEXT NOT NULL,
                    effective_from TEXT NOT NULL,
                    deductible_fen INTEGER NOT NULL CHECK (deductible_fen >= 0),
                    ratio_percent INTEGER NOT NULL CHECK (ratio_percent BETWEEN 0 AND 100),
                    cap_fen INTEGER NOT NULL CHECK (cap_fen >= 0),
                    PRIMARY KEY(category, effective_from)) WITHOUT ROWID;
                CREATE TABLE premium_subsidy(
                    year INTEGER NOT NULL,
                    category TEXT NOT NULL,
                    premium_fen INTEGER NOT NULL,
                    subsidy_fen INTEGER NOT NULL,
                    PRIMARY KEY(year, category)) WITHOUT ROWID;
                -- What the case's records say, kept on the row as certificate_no is: the 医疗救助
                -- category; the 特困 support mode, care level and institution (集中供养 is paid to it).
                ALTER TABLE assistance_case ADD COLUMN medical_category TEXT;
                ALTER TABLE assistance_case ADD COLUMN support_mode TEXT;
                ALTER TABLE assistance_case ADD COLUMN care_level TEXT;
                ALTER TABLE assistance_case ADD COLUMN institution TEXT;
                CREATE INDEX case_by_person ON assistance_case(person_id, programme) WHERE person_id IS NOT NULL;
                """)
            try Store.backfillPersonColumns(db)
        }
        m.registerMigration("v22 exchange outbox") { db in
            // Issue 25: a file taking part in the county's exchange (a row 'side' in
            // exchange_state) keeps each write transaction's changeset (SQLite's session
            // extension) in exchange_outbox, in that transaction. Neither table is itself captured.
            try db.execute(sql: """
                CREATE TABLE exchange_state(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE exchange_outbox(
                    seq INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    audit_to INTEGER,
                    changes BLOB NOT NULL);
                """)
        }
        m.registerMigration("v23 exchange inbox") { db in
            // Issue 25: the packages applied here (one row each: the sending file, its township,
            // the outbox range, the package's hash) and the senders' audit rows, each file's
            // chain kept apart from this file's own.
            try db.execute(sql: """
                CREATE TABLE exchange_inbox(
                    file_id TEXT NOT NULL,
                    township TEXT NOT NULL,
                    from_seq INTEGER NOT NULL,
                    to_seq INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    applied_at TEXT NOT NULL,
                    applied_by TEXT NOT NULL,
                    PRIMARY KEY(file_id, to_seq)) WITHOUT ROWID;
                CREATE TABLE exchange_audit(
                    file_id TEXT NOT NULL,
                    id INTEGER NOT NULL,
                    at TEXT, user TEXT, action TEXT, entity TEXT, entity_id TEXT, detail TEXT, prev_hash TEXT, hash TEXT,
                    PRIMARY KEY(file_id, id)) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v24 counts per short search text") { db in
            // The count after a keystroke of one or two characters, and the case browser's count
            // and sum, from stored running figures kept by triggers (SearchCounts.swift, issue
            // 26): a first letter matched a third of the households and its count cost up to
            // 1.2 s at 100,000. Filled from the search keys and cases already there.
            try db.execute(sql: """
                CREATE TABLE search_hit(
                    t TEXT NOT NULL,
                    household_id INTEGER NOT NULL,
                    refs INTEGER NOT NULL,
                    PRIMARY KEY(t, household_id)) WITHOUT ROWID;
                CREATE INDEX search_hit_by_household ON search_hit(household_id);
                CREATE TABLE search_total(
                    t TEXT PRIMARY KEY,
                    households INTEGER NOT NULL,
                    cases INTEGER NOT NULL,
                    monthly_fen INTEGER NOT NULL) WITHOUT ROWID;
                """)
            try SearchCounts.fill(db)
            try db.execute(sql: SearchCounts.triggersV24)
        }
        m.registerMigration("v25 ids that do not clash across a county") { db in
            // Issue 25 item 1: every exchanged table keyed by an integer id takes its ids
            // AUTOINCREMENT, so a township's `exchange start` can place its next ids in its own
            // block of the id space (ExchangeIds.swift). Only the declared text changes.
            try IdBlock.makeAutoincrement(db)
        }
        m.registerMigration("v26 rosters per township") { db in
            // Issue 25: a county file holds every township's rosters, so a roster is one per
            // township, month and programme (was: per month and programme, one file one township).
            // SQLite changes a UNIQUE constraint only by making the table again: the rows are
            // copied as they are (the keyed digest covers the same columns, so it stands; the
            // guard triggers are made again below), and the id sequence is kept.
            let seq = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'payment_roster'")
            try db.execute(sql: """
                CREATE TABLE payment_roster_new(
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    month TEXT NOT NULL,
                    programme TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('draft', 'confirmed')),
                    made_by TEXT NOT NULL,
                    made_at TEXT NOT NULL,
                    confirmed_by TEXT,
                    confirmed_at TEXT,
                    lines INTEGER NOT NULL,
                    persons INTEGER NOT NULL,
                    total_fen INTEGER NOT NULL,
                    without_card INTEGER NOT NULL,
                    version INTEGER NOT NULL DEFAULT 1,
                    back_fen INTEGER NOT NULL DEFAULT 0,
                    steps_seen INTEGER NOT NULL DEFAULT 0,
                    township TEXT NOT NULL DEFAULT '',
                    UNIQUE (township, month, programme));
                INSERT INTO payment_roster_new(id, month, programme, state, made_by, made_at, confirmed_by, confirmed_at, lines, persons,
                                               total_fen, without_card, version, back_fen, steps_seen, township)
                    SELECT id, month, programme, state, made_by, made_at, confirmed_by, confirmed_at, lines, persons,
                           total_fen, without_card, version, back_fen, steps_seen,
                           coalesce((SELECT value FROM setting WHERE key = 'office.township_code'), '')
                    FROM payment_roster;
                DROP TABLE payment_roster;
                ALTER TABLE payment_roster_new RENAME TO payment_roster;
                """)
            if let seq {
                try db.execute(sql: "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'payment_roster'", arguments: [seq])
                try db.execute(sql: "INSERT INTO sqlite_sequence(name, seq) SELECT 'payment_roster', ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'payment_roster')",
                               arguments: [seq])
            }
            if try db.tableExists("guard_digest") { try Guarded.installTriggers(db) }
        }
        m.registerMigration("v27 steps that arrive by package") { db in
            // Issue 25: a step the county decided keeps the county's id, lower than the
            // township's own, so "recorded after this roster" cannot be read from the id. Each
            // package that brings steps numbers them here; a roster keeps the last number it saw.
            try db.execute(sql: """
                CREATE TABLE exchange_arrival(step_id INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
                ALTER TABLE payment_roster ADD COLUMN arrivals_seen INTEGER NOT NULL DEFAULT 0;
                """)
        }
        m.registerMigration("v28 acknowledged packages") { db in
            // Issue 25: a package carries entries from the last one its addressee acknowledged,
            // each chained to the one before; the receiver keeps the hash of the last entry it
            // applied from each file (the acknowledgement it sends back names it).
            try db.execute(sql: "ALTER TABLE exchange_inbox ADD COLUMN chain TEXT NOT NULL DEFAULT ''")
        }
        m.registerMigration("v29 walks that read one index") { db in
            // Issue 26: the case browser pages a search text with many keys by walking a sort
            // index and testing each case's household's members until the page is full. Each
            // case cost a read of the case row (for its household), of the members' index and of
            // each member's row: at 230,000 households, 3,362 cases of Yi names (a-) walked before
            // the first "huang" in 姓名 order took 55 ms of page reads with the 1 MB cache. The
            // sort indexes now carry the household and the members' index the tested columns,
            // so a case costs one index probe (15 ms in the shell). (SQLite 3.40 reads an index on
            // an expression as covering only when the expression's column is in it too.)
            try db.execute(sql: """
                DROP INDEX person_by_household;
                CREATE INDEX person_by_household ON person(household_id, py, ini, name, id_number);
                DROP INDEX case_by_head;
                CREATE INDEX case_by_head ON assistance_case(head_py, id, household_id);
                DROP INDEX case_by_village;
                CREATE INDEX case_by_village ON assistance_case(village_code, id, household_id);
                DROP INDEX case_by_since;
                CREATE INDEX case_by_since ON assistance_case(step_since, id, household_id);
                DROP INDEX case_by_amount_key;
                CREATE INDEX case_by_amount_key ON assistance_case(ifnull(monthly_amount_fen, -1), id, household_id, monthly_amount_fen);
                DROP INDEX case_by_programme_id;
                CREATE INDEX case_by_programme_id ON assistance_case(programme, id, household_id);
                DROP INDEX case_by_programme_step;
                CREATE INDEX case_by_programme_step ON assistance_case(programme, step, id, household_id);
                """)
        }
        m.registerMigration("v30 ID signatures for counts") { db in
            // Issue 26: a count tested the members of every household whose signature (keys cut
            // to three characters) held an ID text's first three digits: the county's ID prefix
            // ("5329", and every ID as it is typed) tested all 300,000 households' members (1.1 s
            // to count), and the case browser's count and sum collected every matching
            // household (1.2 s). Each household now also keeps its members' IDs cut to ten digits
            // (the region code and the year of birth) and their last two digits reversed
            // (`id_sig`), so a count of an ID text of up to ten digits is one pass over a small
            // index of them; the case carries its household's (kept by triggers), so its count
            // and sum are one pass over `case_by_id_sig`. The sort indexes keep `search_sig`
            // as it was: a page of an ID text finds its rows at once and needs no more.
            func idSignature(_ hid: String) -> String {
                """
                (SELECT ifnull(char(1) || group_concat(t, char(1)) || char(1), '') FROM (
                        SELECT substr(id_number, 1, 10) AS t FROM person WHERE household_id = \(hid)
                        UNION SELECT '~' || substr(id_number, -1, 1) || substr(id_number, -2, 1) FROM person WHERE household_id = \(hid))
                    WHERE t <> '')
                """
            }
            func fromHousehold(_ column: String, _ hid: String) -> String {
                "ifnull((SELECT h.\(column) FROM household h WHERE h.id = \(hid)), '')"
            }
            let analyzed = try db.tableExists("sqlite_stat1")
            try db.execute(sql: """
                ALTER TABLE household ADD COLUMN id_sig TEXT NOT NULL DEFAULT '';
                UPDATE household SET id_sig = \(idSignature("household.id"));
                CREATE INDEX household_by_id_sig ON household(id_sig);
                -- As the search signature's triggers (a bulk load fires the update one per household).
                CREATE TRIGGER person_id_sig_on_insert AFTER INSERT ON person BEGIN
                    UPDATE household SET id_sig = \(idSignature("NEW.household_id")) WHERE id = NEW.household_id;
                END;
                CREATE TRIGGER person_id_sig_on_delete AFTER DELETE ON person BEGIN
                    UPDATE household SET id_sig = \(idSignature("OLD.household_id")) WHERE id = OLD.household_id;
                END;
                CREATE TRIGGER person_id_sig_on_update AFTER UPDATE OF name, py, ini, id_number, household_id ON person BEGIN
                    UPDATE household SET id_sig = \(idSignature("OLD.household_id")) WHERE id = OLD.household_id;
                    UPDATE household SET id_sig = \(idSignature("NEW.household_id")) WHERE id = NEW.household_id AND NEW.household_id <> OLD.household_id;
                END;
                ALTER TABLE assistance_case ADD COLUMN id_sig TEXT NOT NULL DEFAULT '';
                UPDATE assistance_case SET id_sig = \(fromHousehold("id_sig", "assistance_case.household_id"));
                DROP TRIGGER case_head_py_on_insert;
                DROP TRIGGER case_head_py_on_move;
                CREATE TRIGGER case_head_py_on_insert AFTER INSERT ON assistance_case BEGIN
                    UPDATE assistance_case SET head_py = \(fromHousehold("head_py", "NEW.household_id")),
                        id_sig = \(fromHousehold("id_sig", "NEW.household_id"))
                    WHERE id = NEW.id;
                END;
                CREATE TRIGGER case_head_py_on_move AFTER UPDATE OF household_id ON assistance_case BEGIN
                    UPDATE assistance_case SET head_py = \(fromHousehold("head_py", "NEW.household_id")),
                        id_sig = \(fromHousehold("id_sig", "NEW.household_id"))
                    WHERE id = NEW.id;
                END;
                CREATE TRIGGER household_id_sig_to_cases AFTER UPDATE OF id_sig ON household
                    WHEN NEW.id_sig IS NOT OLD.id_sig BEGIN
                    UPDATE assistance_case SET id_sig = NEW.id_sig WHERE household_id = NEW.id;
                END;
                -- The count and sum under a broad ID text: one pass over this index, which holds
                -- every column the summary tests or adds (status, programme, village, amount).
                -- The signature leads so that no other query takes it for a range.
                CREATE INDEX case_by_id_sig ON assistance_case(id_sig, status, programme, village_code, monthly_amount_fen);
                -- The count and sum under a text with fewer keys: each named household's cases
                -- and their amounts from the index alone.
                DROP INDEX case_by_household;
                CREATE INDEX case_by_household ON assistance_case(household_id, monthly_amount_fen);
                """)
            // A file that was analysed (the demo) keeps statistics for the new indexes.
            if analyzed {
                try db.execute(sql: "ANALYZE household_by_id_sig; ANALYZE case_by_id_sig; ANALYZE case_by_household")
            }
        }
        return m
    }()
}
