-- FindPartners as one SQL statement over schema.sql: the $3 best partners of
-- member $1 at time $2, best first, ties by id, with the reciprocal score,
-- both directions' scores and the seven factors each way.
--
--   $1  member id (text)
--   $2  now (timestamptz): validity and freshness are judged at this time
--   $3  k (integer)
--   $4 .. $10  weights of objective, market, sector, culture, text, size and
--       freshness (float8, >= 0, not all 0); the query divides them by their sum
--
-- It computes what matcher/scoring.cc computes, factor by factor (each
-- comment names the C++ function), in float8 as the C++ uses double. A
-- partner is any profile visible to the member's chamber (FEDERATION, or
-- CHAMBER of the same chamber), valid after $2, other than the member.
--
-- The NACE similarity of two packed codes (SectorSimilarity) is
-- nace_similarity(s, t) of schema.sql, a single expression PostgreSQL inlines.
--
-- Regions and subregions are UN M49 codes, compared as such; the matcher
-- compares bits standing for the same codes (a region's code is never a
-- subregion's).
--
-- The member's row and the country tables are MATERIALIZED, and the
-- per-candidate subqueries end in "OFFSET 0": either keeps PostgreSQL from
-- folding a subquery into the one around it, which would copy its
-- expressions into every place that reads them and compute them again
-- there, for every candidate.
WITH a AS MATERIALIZED (
  -- The member, with what every candidate is compared against.
  SELECT m.*,
         ARRAY(SELECT c.subregion_code FROM countries c
               WHERE c.code = ANY(m.wanted) AND c.subregion_code IS NOT NULL) AS wanted_subregions,
         ARRAY(SELECT c.region_code FROM countries c
               WHERE c.code = ANY(m.wanted) AND c.region_code IS NOT NULL) AS wanted_regions,
         ARRAY(SELECT c.code FROM countries c
               WHERE c.subregion_code = m.subregion_code) AS subregion_countries,
         ARRAY(SELECT c.code FROM countries c
               WHERE c.region_code = m.region_code) AS region_countries
  FROM (
    SELECT p.id, p.chamber_id, p.country, c.region_code, c.subregion_code, p.employees,
           p.languages, p.sector_keys, p.doc_terms, p.query_terms,
           (p.update_time AT TIME ZONE 'UTC')::date AS update_day,
           -- The markets it wants to enter: its target markets and the
           -- markets of its SEEK and cooperation objectives.
           p.target_markets || ARRAY(SELECT unnest(o.markets) FROM unnest(p.objectives) o
                                     WHERE o.direction = 2 OR o.type IN (7, 9, 10)) AS wanted,
           -- Its sectors and those its objectives name.
           p.sector_keys || ARRAY(SELECT unnest(o.sector_keys) FROM unnest(p.objectives) o)
             AS interest_keys,
           -- Its objectives, each with the M49 areas of its markets.
           ARRAY(SELECT ROW(o.type, o.direction, o.sector_keys, o.markets,
                            ARRAY(SELECT mc.subregion_code FROM countries mc
                                  WHERE mc.code = ANY(o.markets) AND mc.subregion_code IS NOT NULL),
                            ARRAY(SELECT mc.region_code FROM countries mc
                                  WHERE mc.code = ANY(o.markets) AND mc.region_code IS NOT NULL))
                 FROM unnest(p.objectives) o) AS objectives
    FROM profiles p JOIN countries c ON c.code = p.country
    WHERE p.id = $1
  ) m
),
partner_countries AS MATERIALIZED (
  -- Every country with its pair tables from and to the member's: read once
  -- per search, then joined to the candidates by hash.
  SELECT c.code, c.region_code, c.subregion_code,
         ab.closeness AS closeness_fwd, ab.shared_language AS shared_language_fwd,
         ba.closeness AS closeness_bwd, ba.shared_language AS shared_language_bwd
  FROM a
  JOIN country_pairs ab ON ab.a = a.country
  JOIN countries c ON c.code = ab.b
  JOIN country_pairs ba ON ba.a = c.code AND ba.b = a.country
)
SELECT b.id,
       CASE WHEN s.forward_score + s.backward_score > 0
            THEN 2 * s.forward_score * s.backward_score / (s.forward_score + s.backward_score)
            ELSE 0 END AS score,  -- Reciprocal: the harmonic mean
       s.forward_score, s.backward_score,
       ARRAY[f.objective_fwd, f.market_fwd, f.sector_fwd, f.culture_fwd, f.text_fwd, f.size,
             f.freshness_fwd] AS forward,
       ARRAY[f.objective_bwd, f.market_bwd, f.sector_bwd, f.culture_bwd, f.text_bwd, f.size,
             f.freshness_bwd] AS backward
FROM a
JOIN profiles b
  ON b.id <> a.id
 AND (b.visibility = 'FEDERATION' OR (b.visibility = 'CHAMBER' AND b.chamber_id = a.chamber_id))
 AND (b.valid_until IS NULL OR b.valid_until > $2::timestamptz)
JOIN partner_countries bc ON bc.code = b.country
CROSS JOIN LATERAL (
  -- The candidate's wanted markets and sectors of interest, as the member's.
  SELECT b.target_markets || ARRAY(SELECT unnest(o.markets) FROM unnest(b.objectives) o
                                   WHERE o.direction = 2 OR o.type IN (7, 9, 10)) AS wanted,
         b.sector_keys || ARRAY(SELECT unnest(o.sector_keys) FROM unnest(b.objectives) o)
           AS interest_keys
  OFFSET 0
) bw
-- ObjectiveScore both ways: the best complementary pair of objectives (a
-- SEEK meets an OFFER of the same type, cooperations meet each other; near
-- types at their discount), discount * (0.15 + 0.85 * sector fit * (0.4 +
-- 0.6 * market fit)); 0 without a pair.
CROSS JOIN LATERAL (
  SELECT coalesce(max(d.discount *
                      (0.15 + 0.85 * fit.sector_fwd * (0.4 + 0.6 * fit.market_fwd))), 0)
           AS objective_fwd,
         coalesce(max(d.discount *
                      (0.15 + 0.85 * fit.sector_bwd * (0.4 + 0.6 * fit.market_bwd))), 0)
           AS objective_bwd
  FROM unnest(a.objectives) AS x(type smallint, direction smallint, sector_keys integer[],
                                 markets text[], subregions text[], regions text[])
  CROSS JOIN unnest(b.objectives) y
  -- The pair's discount: 1 for a complement, the table of NearTypeDiscount
  -- (matcher/features.h) for near types, read both ways, else 0.
  CROSS JOIN LATERAL (
    SELECT CASE
      WHEN y.type = x.type AND (x.type IN (7, 9, 10) OR (x.direction = 2 AND y.direction = 1)
                                OR (x.direction = 1 AND y.direction = 2)) THEN 1::float8
      WHEN (x.type, x.direction, y.type, y.direction) IN
           ((1, 2, 2, 1), (2, 1, 1, 2), (2, 2, 1, 1), (1, 1, 2, 2)) THEN 0.8
      WHEN (x.type, x.direction, y.type, y.direction) IN
           ((1, 2, 3, 1), (3, 1, 1, 2), (3, 2, 1, 1), (1, 1, 3, 2),
            (4, 2, 3, 1), (3, 1, 4, 2), (3, 2, 4, 1), (4, 1, 3, 2)) THEN 0.7
      WHEN (x.type = 6 AND y.type = 9) OR (x.type = 9 AND y.type = 6) THEN 0.6
      ELSE 0 END AS discount
  ) d
  CROSS JOIN LATERAL (
    SELECT
      -- SectorFit(x, b, y): how well b, through y, fits the sectors x names.
      CASE WHEN cardinality(x.sector_keys) = 0 THEN 1::float8
           ELSE (SELECT coalesce(max(nace_similarity(s, t)), 0)
                 FROM unnest(x.sector_keys) s, unnest(b.sector_keys || y.sector_keys) t)
      END AS sector_fwd,
      -- MarketFit(x, b, y): 1 if b is in a market x names, y is about one,
      -- or y is a SEEK without markets and b wants to enter one; 0.6 if b
      -- is in the subregion of one; 0.3 in the region of one.
      CASE WHEN cardinality(x.markets) = 0 THEN 1::float8
           WHEN b.country = ANY(x.markets) OR x.markets && y.markets
                OR (cardinality(y.markets) = 0 AND (y.direction = 2 OR y.type IN (7, 9, 10))
                    AND x.markets && bw.wanted) THEN 1
           WHEN bc.subregion_code = ANY(x.subregions) THEN 0.6
           WHEN bc.region_code = ANY(x.regions) THEN 0.3
           ELSE 0 END AS market_fwd,
      -- SectorFit(y, a, x)
      CASE WHEN cardinality(y.sector_keys) = 0 THEN 1::float8
           ELSE (SELECT coalesce(max(nace_similarity(s, t)), 0)
                 FROM unnest(y.sector_keys) s, unnest(a.sector_keys || x.sector_keys) t)
      END AS sector_bwd,
      -- MarketFit(y, a, x)
      CASE WHEN cardinality(y.markets) = 0 THEN 1::float8
           WHEN a.country = ANY(y.markets) OR y.markets && x.markets
                OR (cardinality(x.markets) = 0 AND (x.direction = 2 OR x.type IN (7, 9, 10))
                    AND y.markets && a.wanted) THEN 1
           WHEN y.markets && a.subregion_countries THEN 0.6
           WHEN y.markets && a.region_countries THEN 0.3
           ELSE 0 END AS market_bwd
  ) fit
  WHERE d.discount > 0
) obj
CROSS JOIN LATERAL (
  SELECT
    -- TextScore: the share of one side's query terms found among the other's
    -- document terms; 0.5 without query terms.
    CASE WHEN cardinality(a.query_terms) = 0 THEN 0.5::float8
         ELSE (SELECT count(*) FROM unnest(a.query_terms) q WHERE q = ANY(b.doc_terms))::float8
              / cardinality(a.query_terms)
    END AS text_fwd,
    CASE WHEN cardinality(b.query_terms) = 0 THEN 0.5::float8
         ELSE (SELECT count(*) FROM unnest(b.query_terms) q WHERE q = ANY(a.doc_terms))::float8
              / cardinality(b.query_terms)
    END AS text_bwd
  OFFSET 0
) tx
CROSS JOIN LATERAL (
  SELECT
    obj.objective_fwd, obj.objective_bwd,
    -- MarketScore(a, b): 1 if b's country is among a's wanted markets, 0.6
    -- if in the subregion of one, 0.3 if in the region of one, else 0; 0.5
    -- if a wants none.
    CASE WHEN cardinality(a.wanted) = 0 THEN 0.5::float8
         WHEN b.country = ANY(a.wanted) THEN 1
         WHEN bc.subregion_code = ANY(a.wanted_subregions) THEN 0.6
         WHEN bc.region_code = ANY(a.wanted_regions) THEN 0.3
         ELSE 0 END AS market_fwd,
    -- MarketScore(b, a)
    CASE WHEN cardinality(bw.wanted) = 0 THEN 0.5::float8
         WHEN a.country = ANY(bw.wanted) THEN 1
         WHEN bw.wanted && a.subregion_countries THEN 0.6
         WHEN bw.wanted && a.region_countries THEN 0.3
         ELSE 0 END AS market_bwd,
    -- SectorFactor(a, b): SectorScore, the closest pair of a's sectors and
    -- objective sectors with b's sectors; where either side has none, the
    -- text score in its place if a has query terms, else 0.5.
    CASE WHEN cardinality(b.sector_keys) = 0 OR cardinality(a.interest_keys) = 0
         THEN CASE WHEN cardinality(a.query_terms) = 0 THEN 0.5::float8 ELSE tx.text_fwd END
         ELSE (SELECT max(nace_similarity(s, t))
               FROM unnest(a.interest_keys) s, unnest(b.sector_keys) t)
    END AS sector_fwd,
    -- SectorFactor(b, a)
    CASE WHEN cardinality(a.sector_keys) = 0 OR cardinality(bw.interest_keys) = 0
         THEN CASE WHEN cardinality(b.query_terms) = 0 THEN 0.5::float8 ELSE tx.text_bwd END
         ELSE (SELECT max(nace_similarity(s, t))
               FROM unnest(bw.interest_keys) s, unnest(a.sector_keys) t)
    END AS sector_bwd,
    -- CultureScore: 0.6 * the countries' closeness + 0.4 * language: 1 if
    -- the companies share a language, else the countries' shared-language
    -- strength.
    0.6 * bc.closeness_fwd::float8
      + 0.4 * CASE WHEN a.languages && b.languages THEN 1 ELSE bc.shared_language_fwd::float8 END
      AS culture_fwd,
    0.6 * bc.closeness_bwd::float8
      + 0.4 * CASE WHEN a.languages && b.languages THEN 1 ELSE bc.shared_language_bwd::float8 END
      AS culture_bwd,
    tx.text_fwd, tx.text_bwd,
    -- SizeScore: 1 - |log10 of the ratio of employees| / 3, at least 0;
    -- 0.5 if either is unknown.
    CASE WHEN a.employees IS NULL OR b.employees IS NULL THEN 0.5::float8
         ELSE greatest(0, 1 - abs(log(a.employees::float8 / b.employees)) / 3)
    END AS size,
    -- FreshnessScore: half-life of a year since the profile was last written.
    power(2::float8, -greatest(0, ($2::timestamptz AT TIME ZONE 'UTC')::date
                                  - (b.update_time AT TIME ZONE 'UTC')::date) / 365.0::float8)
      AS freshness_fwd,
    power(2::float8, -greatest(0, ($2::timestamptz AT TIME ZONE 'UTC')::date - a.update_day)
                     / 365.0::float8) AS freshness_bwd
  OFFSET 0
) f
CROSS JOIN LATERAL (
  -- The weighted sums, with the weights divided by their sum.
  SELECT (w.objective * f.objective_fwd + w.market * f.market_fwd + w.sector * f.sector_fwd
          + w.culture * f.culture_fwd + w.text * f.text_fwd + w.size * f.size
          + w.freshness * f.freshness_fwd) / w.total AS forward_score,
         (w.objective * f.objective_bwd + w.market * f.market_bwd + w.sector * f.sector_bwd
          + w.culture * f.culture_bwd + w.text * f.text_bwd + w.size * f.size
          + w.freshness * f.freshness_bwd) / w.total AS backward_score
  FROM (SELECT $4::float8 AS objective, $5::float8 AS market, $6::float8 AS sector,
               $7::float8 AS culture, $8::float8 AS text, $9::float8 AS size,
               $10::float8 AS freshness,
               $4::float8 + $5::float8 + $6::float8 + $7::float8 + $8::float8 + $9::float8
                 + $10::float8 AS total) w
  OFFSET 0
) s
ORDER BY score DESC, b.id COLLATE "C"
LIMIT $3
