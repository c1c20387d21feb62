-- The member directory as a chamber's IT team would keep it in PostgreSQL 15,
-- for the peer of FindPartners (find_partners.sql). One row per profile with
-- lists (sectors, languages, markets, objectives) as arrays, and the
-- reference tables the scoring reads.
--
-- Two kinds of column hold values Socio's own code derives when the profiles
-- are loaded, because SQL cannot compute them the same way:
-- - sector_keys: each NACE Rev. 2 code packed into an integer, one byte per
--   level from the top (section 1..21, division + 1, group digit + 1, class
--   digit + 1; 0 where the code stops), as matcher/features.h PackSector
--   does. A division's section comes from the NACE catalog, which SQL does
--   not have; the packing makes "how many levels two codes share" a few
--   integer comparisons;
-- - doc_terms, query_terms: the 32-bit fingerprints of the stemmed words of
--   the texts (matcher/text.h), stored as signed integers. doc_terms are
--   those of keywords, city, country name, objective notes and description
--   (the first 48 in that order), query_terms those of the objective notes
--   (the first 24); both sorted, without duplicates.
-- Everything else the scoring uses is read as written, and every factor is
-- computed by the query.
--
-- Keys come after the line "-- After loading": the loader runs
-- the part above it, COPYs the rows in and then runs the rest, as the
-- PostgreSQL manual advises for a bulk load ("Populating a Database").

CREATE TABLE countries (
  code text NOT NULL,   -- ISO 3166-1 alpha-2
  name text NOT NULL,
  region_code text,     -- UN M49 region ("150"); NULL if none
  subregion_code text   -- UN M49 subregion ("155"); NULL if none
);

-- Every ordered pair of countries, itself included (Socio's CountryPairs).
CREATE TABLE country_pairs (
  a text NOT NULL,
  b text NOT NULL,
  closeness real NOT NULL,       -- culture closeness of a to b, 0..1
  shared_language real NOT NULL  -- strength of the languages both speak, 0..1
);

-- One objective of a profile: a partnership type, a direction, optional
-- sectors and markets, a note.
CREATE TYPE objective AS (
  -- DISTRIBUTION 1, AGENCY 2, SUPPLY 3, MANUFACTURING 4, OUTSOURCING 5,
  -- LICENSING 6, JOINT_VENTURE 7, INVESTMENT 8, TECHNICAL_COOPERATION 9,
  -- RESEARCH_COOPERATION 10; 7, 9 and 10 are cooperations (symmetric).
  type smallint,
  direction smallint,     -- OFFER 1, SEEK 2
  -- Sectors and markets as Socio extracted them: those given, or where the
  -- objective left them open, those read from its note or the profile's
  -- description (places and products named in text).
  sectors text[],         -- NACE Rev. 2, Eurostat form
  sector_keys integer[],  -- the same, packed (see above)
  markets text[],         -- ISO 3166-1 alpha-2
  note text
);

-- Socio's value chain (reference/value_chain.h): a manufacturing code and a
-- code of the trade or service of its goods, both packed; loaded by COPY
-- from the same table Socio ranks with.
CREATE TABLE value_chain (
  maker integer NOT NULL,
  partner integer NOT NULL
);

-- Whether packed code x takes part in a value-chain row's code e: x is at
-- least a division and one of the two covers the other.
CREATE FUNCTION nace_in(x integer, e integer) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (x & 16711680) <> 0 AND CASE
    WHEN (x & 16711680) = 0 OR (e & 16711680) = 0 THEN x >> 24 = e >> 24
    WHEN (x & 65280) = 0 OR (e & 65280) = 0 THEN x >> 16 = e >> 16
    WHEN (x & 255) = 0 OR (e & 255) = 0 THEN x >> 8 = e >> 8
    ELSE x = e END
$$;

-- How close two packed NACE codes are (Socio's SectorSimilarity): 1 when one
-- covers the other, 0.75 for the same group, 0.7 when the value chain links
-- them (either way round), 0.5 the same division, 0.25 the same section,
-- else 0. One expression, so PostgreSQL inlines it into the query rather
-- than calling a function per pair; the value chain is looked up only where
-- the hierarchy gives less than 0.7.
CREATE FUNCTION nace_similarity(s integer, t integer) RETURNS float8
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN h >= 0.7 THEN h
              WHEN EXISTS (SELECT 1 FROM value_chain v
                           WHERE (nace_in(s, v.maker) AND nace_in(t, v.partner))
                              OR (nace_in(t, v.maker) AND nace_in(s, v.partner))) THEN 0.7
              ELSE h END
  FROM (SELECT CASE WHEN s >> 24 <> t >> 24 THEN 0::float8
                    WHEN (s & 16711680) = 0 OR (t & 16711680) = 0 THEN 1
                    WHEN (s & 16711680) <> (t & 16711680) THEN 0.25
                    WHEN (s & 65280) = 0 OR (t & 65280) = 0 THEN 1
                    WHEN (s & 65280) <> (t & 65280) THEN 0.5
                    WHEN (s & 255) = 0 OR (t & 255) = 0 OR s = t THEN 1
                    ELSE 0.75 END AS h) hierarchy
$$;

CREATE TABLE profiles (
  id text NOT NULL,
  chamber_id text NOT NULL,
  name text NOT NULL,
  country text NOT NULL,
  city text NOT NULL DEFAULT '',
  sectors text[] NOT NULL DEFAULT '{}',         -- NACE Rev. 2, Eurostat form ("10.84")
  sector_keys integer[] NOT NULL DEFAULT '{}',  -- the same, packed (see above)
  employees integer,                            -- NULL: unknown
  founded_year integer,
  languages text[] NOT NULL DEFAULT '{}',       -- ISO 639-1
  description text NOT NULL DEFAULT '',
  keywords text[] NOT NULL DEFAULT '{}',
  objectives objective[] NOT NULL DEFAULT '{}', -- in the order the member gave them
  target_markets text[] NOT NULL DEFAULT '{}',  -- countries it wants to enter
  active_markets text[] NOT NULL DEFAULT '{}',  -- countries it trades with
  certifications text[] NOT NULL DEFAULT '{}',
  visibility text NOT NULL CHECK (visibility IN ('PRIVATE', 'CHAMBER', 'FEDERATION')),
  valid_until timestamptz,                      -- NULL: no end
  version bigint NOT NULL,
  create_time timestamptz NOT NULL,
  update_time timestamptz NOT NULL,
  doc_terms integer[] NOT NULL DEFAULT '{}',    -- derived (see above)
  query_terms integer[] NOT NULL DEFAULT '{}'   -- derived (see above)
);

-- After loading

-- No index beyond the keys: the search scores every visible profile, so it
-- reads them all whatever the member.

ALTER TABLE countries ADD PRIMARY KEY (code);
ALTER TABLE country_pairs ADD PRIMARY KEY (a, b),
  ADD FOREIGN KEY (a) REFERENCES countries, ADD FOREIGN KEY (b) REFERENCES countries;
ALTER TABLE profiles ADD PRIMARY KEY (id), ADD FOREIGN KEY (country) REFERENCES countries;
