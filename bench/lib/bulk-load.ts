import type pg from 'pg';

/**
 * Bulk-loads cases straight into a yimen database with SQL (generate_series, INSERT …
 * SELECT), for worklist-scale: far faster than the API, which the lifecycle benchmark
 * measures instead. Every foreign key is valid (items from catalog_item, applicants from a
 * bulk-inserted set of residents, service points of Yiyang), and each case's state, log,
 * clock and rating agree with one another; stats_monthly is rebuilt from them exactly as
 * the rollup would have counted. The helper tables (bench_*) are dropped at the end.
 */

const SURNAMES = `ARRAY['王','李','张','刘','陈','杨','赵','黄','周','吴','徐','孙','胡','朱','高','林']`;
const GIVEN = `ARRAY['建国','秀英','桂兰','志强','丽','红梅','卫东','芳','德明','敏','春花','国华']`;
/** A villager's name from her number in the village, the same in resident and case. */
const NAME = `((${SURNAMES})[1 + r % 16] || (${GIVEN})[1 + (r / 16) % 12])`;

/** Villages (in a shuffled order, so a skew does not follow the codes) and their units. */
const PREPARE = `
DROP TABLE IF EXISTS bench_village, bench_item, bench_resident, bench_path;
CREATE TABLE bench_village AS
  SELECT (row_number() OVER (ORDER BY md5(v.code)) - 1)::int AS idx, v.id AS sp_id,
         v.code, v.region_code, t.id AS t_id, t.code AS t_code, c.id AS c_id, c.code AS c_code
  FROM service_point v
  JOIN service_point t ON t.code = substr(v.code, 1, 9) AND t.kind = 'township_centre'
  JOIN service_point c ON c.code = substr(v.code, 1, 6) AND c.kind = 'county_centre'
  WHERE v.kind = 'village_station' AND v.code LIKE '4309%';
ALTER TABLE bench_village ADD PRIMARY KEY (idx);
-- City-wide items a village station receives, accepted at the village or the township and
-- decided at the township or the county; the most popular first (drawn more often).
CREATE TABLE bench_item AS
  SELECT (row_number() OVER (ORDER BY i.popularity DESC, i.code) - 1)::int AS idx, i.id,
         i.code, i.current_version AS version, i.name, i.promised_days, i.accept_level,
         v.content->'routing'->>'decideLevel' AS decide_level
  FROM catalog_item i
  JOIN catalog_item_version v ON v.item_id = i.id AND v.version = i.current_version
  WHERE i.status = 'published' AND i.scope_region_code = '4309'
    AND i.accept_level IN ('village', 'township')
    AND v.content->'routing'->>'decideLevel' IN ('township', 'county');
ALTER TABLE bench_item ADD PRIMARY KEY (idx);
CREATE TABLE bench_resident (v int, r int, id uuid NOT NULL, PRIMARY KEY (v, r));
-- The action log of each final state (village: the accepting or delivering side).
CREATE TABLE bench_path (path text, seq int, action text, from_status text, to_status text, side text);
INSERT INTO bench_path VALUES
 ('pending_acceptance',1,'submit',NULL,'pending_acceptance','v'),
 ('correction_requested',1,'submit',NULL,'pending_acceptance','v'),
 ('correction_requested',2,'requestCorrection','pending_acceptance','correction_requested','a'),
 ('under_review',1,'submit',NULL,'pending_acceptance','v'),('under_review',2,'accept','pending_acceptance','under_review','a'),
 ('pending_decision',1,'submit',NULL,'pending_acceptance','v'),('pending_decision',2,'accept','pending_acceptance','under_review','a'),
 ('pending_decision',3,'review','under_review','pending_decision','d'),
 ('approved',1,'submit',NULL,'pending_acceptance','v'),('approved',2,'accept','pending_acceptance','under_review','a'),
 ('approved',3,'approve','under_review','approved','d'),
 ('issued',1,'submit',NULL,'pending_acceptance','v'),('issued',2,'accept','pending_acceptance','under_review','a'),
 ('issued',3,'approve','under_review','approved','d'),('issued',4,'issue','approved','issued','d'),
 ('concluded:approved',1,'submit',NULL,'pending_acceptance','v'),('concluded:approved',2,'accept','pending_acceptance','under_review','a'),
 ('concluded:approved',3,'approve','under_review','approved','d'),('concluded:approved',4,'issue','approved','issued','d'),
 ('concluded:approved',5,'handOver','issued','concluded','v'),
 ('concluded:denied',1,'submit',NULL,'pending_acceptance','v'),('concluded:denied',2,'accept','pending_acceptance','under_review','a'),
 ('concluded:denied',3,'deny','under_review','concluded','d'),
 ('refused',1,'submit',NULL,'pending_acceptance','v'),('refused',2,'refuse','pending_acceptance','refused','a'),
 ('withdrawn',1,'submit',NULL,'pending_acceptance','v'),('withdrawn',2,'withdraw','pending_acceptance','withdrawn','v');
CREATE INDEX ON bench_path (path);`;

export async function prepareBulk(c: pg.Client, residentsPerVillage: number) {
  await c.query(PREPARE);
  await c.query(`
    WITH ins AS (
      INSERT INTO resident (name, id_number_cipher, id_number_hmac, id_number_masked, sex, region_code, name_pinyin)
      SELECT ${NAME},
             'bench-synthetic', 'bench:' || bv.idx || ':' || r,
             substr(bv.code, 1, 6) || '********' || lpad((r % 10000)::text, 4, '0'),
             CASE WHEN r % 2 = 0 THEN 'female' ELSE 'male' END, bv.region_code, ''
      FROM bench_village bv, generate_series(0, ${residentsPerVillage - 1}) r
      RETURNING id, id_number_hmac)
    INSERT INTO bench_resident
      SELECT split_part(id_number_hmac, ':', 2)::int, split_part(id_number_hmac, ':', 3)::int, id FROM ins`);
  const n = await c.query<{ v: string; i: string }>(
    'SELECT (SELECT count(*) FROM bench_village) AS v, (SELECT count(*) FROM bench_item) AS i',
  );
  return { villages: Number(n.rows[0]!.v), items: Number(n.rows[0]!.i) };
}

/**
 * Cases g0 … g1-1: submitted uniformly over the past year at a village station (a mild skew
 * towards some stations), an item drawn by popularity, an applicant of that village. Its
 * state follows from its age against the item's time limit (working days ≈ 1.4 calendar
 * days): long past it, concluded (94% approved, 2% each denied, refused, withdrawn) save
 * 0.3% still open and overdue; within it, anything from awaiting acceptance to concluded.
 */
export function applicationsSql(g0: number, g1: number, nv: number, ni: number, nr: number) {
  return `
WITH g AS (
  SELECT g, floor(power(random(), 1.3) * ${nv})::int AS v, floor(power(random(), 2) * ${ni})::int AS i,
         floor(random() * ${nr})::int AS r, random() AS age, random() AS st, random() AS ch, random() AS du
  FROM generate_series(${g0}, ${g1 - 1}) g),
x AS (
  SELECT g.*, bv.sp_id, bv.code AS v_code, bv.t_id, bv.t_code, bv.c_id, bv.c_code, bi.id AS item_id,
         bi.code AS item_code, bi.version, bi.name AS item_name, bi.promised_days, bi.accept_level,
         bi.decide_level, br.id AS applicant_id, now() - g.age * interval '365 days' AS submitted_at,
         g.age * 365 / (bi.promised_days * 1.4 + 1) AS frac
  FROM g JOIN bench_village bv ON bv.idx = g.v JOIN bench_item bi ON bi.idx = g.i
  JOIN bench_resident br ON br.v = g.v AND br.r = g.r),
y AS (
  SELECT x.*, CASE
    WHEN frac > 1.3 THEN CASE WHEN st < 0.003 THEN 'under_review' WHEN st < 0.94 THEN 'concluded:approved'
      WHEN st < 0.96 THEN 'concluded:denied' WHEN st < 0.98 THEN 'refused' ELSE 'withdrawn' END
    WHEN frac < 0.1 THEN CASE WHEN st < 0.6 THEN 'pending_acceptance' ELSE 'under_review' END
    WHEN frac < 0.5 THEN CASE WHEN st < 0.05 THEN 'correction_requested' WHEN st < 0.5 THEN 'under_review'
      WHEN st < 0.7 THEN 'pending_decision' WHEN st < 0.8 THEN 'approved' WHEN st < 0.9 THEN 'issued' ELSE 'concluded:approved' END
    ELSE CASE WHEN st < 0.1 THEN 'pending_decision' WHEN st < 0.15 THEN 'approved' WHEN st < 0.4 THEN 'issued'
      ELSE 'concluded:approved' END END AS path,
    x.submitted_at + du * interval '20 hours' AS accepted_ts,
    floor(x.promised_days * (0.2 + 0.85 * du))::int AS days_used
  FROM x),
z AS (
  SELECT y.*, split_part(path, ':', 1) AS status,
         path NOT IN ('pending_acceptance', 'correction_requested', 'refused', 'withdrawn') AS accepted,
         path IN ('under_review', 'pending_decision', 'approved') AS running,
         CASE WHEN accept_level = 'village' THEN sp_id ELSE t_id END AS accepting,
         CASE WHEN decide_level = 'township' THEN t_id ELSE c_id END AS deciding,
         CASE WHEN decide_level = 'township' THEN t_code ELSE c_code END AS deciding_region
  FROM y),
ins AS (
  INSERT INTO application (application_no, item_id, item_code, item_version, item_name, applicant_id,
    applicant_name, channel, form_data, form_sealed, received_sp_id, received_region, accepting_sp_id,
    deciding_sp_id, deciding_region, deliver_sp_id, status, resume_status, version, promised_days,
    accepted_at, clock_running_since, working_days_used, due_date, warn_date, decision, outcome,
    concluded_at, delivery_method, submitted_at, updated_at)
  SELECT v_code || '-' || to_char(submitted_at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '-B' || g,
    item_id, item_code, version, item_name, applicant_id, ${NAME},
    CASE WHEN ch < 0.3 THEN 'online' WHEN ch < 0.8 THEN 'counter' ELSE 'proxy' END,
    jsonb_build_object('applicantName', ${NAME}, 'idNumber', substr(v_code, 1, 6) || '********0000',
      'mobile', '138****' || lpad((g % 10000)::text, 4, '0'), 'residenceVillage', v_code, 'note', '批量生成的办件'),
    jsonb_build_object('idNumber', md5(g::text) || md5(v_code) || md5(r::text)),
    sp_id, v_code, accepting, deciding, deciding_region, sp_id, status,
    CASE WHEN path = 'correction_requested' THEN 'pending_acceptance' END,
    (SELECT count(*) FROM bench_path p WHERE p.path = z.path)::int, promised_days,
    CASE WHEN accepted THEN accepted_ts END,
    CASE WHEN running THEN (accepted_ts AT TIME ZONE 'Asia/Shanghai')::date END,
    CASE WHEN status = 'concluded' THEN days_used ELSE 0 END,
    CASE WHEN accepted THEN (accepted_ts AT TIME ZONE 'Asia/Shanghai')::date + ceil(promised_days * 1.4)::int END,
    CASE WHEN accepted THEN (accepted_ts AT TIME ZONE 'Asia/Shanghai')::date + ceil(promised_days * 1.12)::int END,
    CASE WHEN path IN ('approved', 'issued', 'concluded:approved') THEN 'approved'
         WHEN path = 'concluded:denied' THEN 'denied' END,
    CASE WHEN path IN ('refused', 'withdrawn') THEN path ELSE nullif(split_part(path, ':', 2), '') END,
    CASE WHEN status IN ('concluded', 'refused', 'withdrawn')
         THEN least(now(), accepted_ts + days_used * interval '33 hours') END,
    CASE WHEN path = 'concluded:approved' THEN 'counter' END,
    submitted_at, submitted_at
  FROM z
  RETURNING id, status, outcome, application_no, received_region, deciding_region, accepting_sp_id,
    received_sp_id, submitted_at, concluded_at, applicant_id),
act AS (
  INSERT INTO application_action (application_id, seq, action, from_status, to_status, actor_kind,
    actor_name, actor_roles, actor_sp_code, occurred_at)
  SELECT ins.id, p.seq, p.action, p.from_status, p.to_status, 'staff',
    CASE WHEN p.side = 'd' THEN '审批人' ELSE '代办员' END,
    CASE WHEN p.side = 'd' THEN ARRAY['township_approver'] ELSE ARRAY['village_agent'] END,
    CASE WHEN p.side = 'd' THEN ins.deciding_region
         WHEN p.side = 'a' AND ins.accepting_sp_id <> ins.received_sp_id THEN substr(ins.received_region, 1, 9)
         ELSE ins.received_region END,
    least(now(), ins.submitted_at + (p.seq - 1) * (coalesce(ins.concluded_at, now()) - ins.submitted_at) / 5)
  FROM ins JOIN bench_path p
    ON p.path = CASE WHEN ins.status = 'concluded' THEN 'concluded:' || ins.outcome ELSE ins.status END
  RETURNING 1),
rat AS (
  INSERT INTO rating (application_id, resident_id, grade, created_at)
  SELECT id, applicant_id, CASE WHEN x < 0.8 THEN 5 WHEN x < 0.92 THEN 4 WHEN x < 0.97 THEN 3 WHEN x < 0.99 THEN 2 ELSE 1 END,
         concluded_at
  FROM (SELECT ins.*, random() AS x FROM ins WHERE status = 'concluded' AND outcome = 'approved') q
  WHERE random() < 0.5
  RETURNING 1)
SELECT (SELECT count(*) FROM ins) AS apps, (SELECT count(*) FROM act) AS actions, (SELECT count(*) FROM rat) AS ratings`;
}
