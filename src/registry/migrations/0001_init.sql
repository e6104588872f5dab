-- Pontis registry, migration 1: organisations, users and sessions, records, matches, threads,
-- notifications, the mail outbox and the audit log. Runs unchanged on PostgreSQL 15+ and PGlite.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE organisations (
  id               uuid PRIMARY KEY,
  name             text NOT NULL CHECK (length(name) BETWEEN 2 AND 300),
  stakeholder_type text NOT NULL CHECK (stakeholder_type IN
                     ('government', 'private_sector', 'civil_society', 'academia', 'un_entity', 'intergovernmental')),
  country          text CHECK (country ~ '^[A-Z]{3}$'),
  url              text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organisations_name_key ON organisations (lower(name));

CREATE TABLE users (
  id              uuid PRIMARY KEY,
  email           text NOT NULL CHECK (email = lower(email) AND length(email) <= 320),
  display_name    text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  password_hash   text NOT NULL,
  role            text NOT NULL DEFAULT 'contributor'
                    CHECK (role IN ('viewer', 'contributor', 'org_admin', 'moderator', 'admin')),
  organisation_id uuid REFERENCES organisations (id) ON DELETE SET NULL,
  lang            text NOT NULL DEFAULT 'en' CHECK (lang IN ('ar', 'zh', 'en', 'fr', 'ru', 'es')),
  disabled        boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_organisation ON users (organisation_id);

-- Server-side sessions: the cookie holds a random token, the table only its SHA-256.
CREATE TABLE sessions (
  token_hash   text PRIMARY KEY,
  user_id      uuid REFERENCES users (id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Password reset: single-use, expiring; again only the token's hash is kept.
CREATE TABLE password_resets (
  token_hash text PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);

-- Mail goes through a pluggable transport; the default one writes here.
CREATE TABLE outbox (
  id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  to_address text NOT NULL,
  subject    text NOT NULL,
  body       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at    timestamptz
);

CREATE TABLE records (
  id              uuid PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('offer', 'need', 'initiative', 'practice', 'publication')),
  status          text NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'submitted', 'published', 'rejected', 'archived')),
  original_lang   text NOT NULL CHECK (original_lang IN ('ar', 'zh', 'en', 'fr', 'ru', 'es')),
  title           jsonb NOT NULL,
  summary         jsonb NOT NULL,
  sdgs            integer[] NOT NULL DEFAULT '{}',
  sdg_targets     text[] NOT NULL DEFAULT '{}',
  countries       text[] NOT NULL DEFAULT '{}',
  -- M49 regions and sub-regions of the countries (filled by the application from data/geos.csv).
  regions         text[] NOT NULL DEFAULT '{}',
  sectors         text[] NOT NULL DEFAULT '{}',
  readiness       integer CHECK (readiness BETWEEN 1 AND 9),
  licence         text,
  transfer_terms  text[] NOT NULL DEFAULT '{}',
  url             text,
  contact_name    text,
  contact_email   text,
  contact_consent boolean NOT NULL DEFAULT false,
  sources         text[] NOT NULL DEFAULT '{}',
  organisation_id uuid REFERENCES organisations (id) ON DELETE SET NULL,
  created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  moderation_note text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  published_at    timestamptz,
  -- Full text in the five languages PostgreSQL stems (titles weigh more than summaries); Chinese,
  -- and anything the stemmers miss, through trigrams on the plain text below.
  search_vec      tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('english'::regconfig, coalesce(title->>'en', '')), 'A')
   || setweight(to_tsvector('english'::regconfig, coalesce(summary->>'en', '')), 'B')
   || setweight(to_tsvector('french'::regconfig, coalesce(title->>'fr', '')), 'A')
   || setweight(to_tsvector('french'::regconfig, coalesce(summary->>'fr', '')), 'B')
   || setweight(to_tsvector('spanish'::regconfig, coalesce(title->>'es', '')), 'A')
   || setweight(to_tsvector('spanish'::regconfig, coalesce(summary->>'es', '')), 'B')
   || setweight(to_tsvector('russian'::regconfig, coalesce(title->>'ru', '')), 'A')
   || setweight(to_tsvector('russian'::regconfig, coalesce(summary->>'ru', '')), 'B')
   || setweight(to_tsvector('arabic'::regconfig, coalesce(title->>'ar', '')), 'A')
   || setweight(to_tsvector('arabic'::regconfig, coalesce(summary->>'ar', '')), 'B')
   || setweight(to_tsvector('simple'::regconfig, coalesce(title->>'zh', '')), 'A')
  ) STORED,
  search_text     text GENERATED ALWAYS AS (lower(
      coalesce(title->>'en', '') || ' ' || coalesce(title->>'fr', '') || ' ' || coalesce(title->>'es', '') || ' '
   || coalesce(title->>'ru', '') || ' ' || coalesce(title->>'ar', '') || ' ' || coalesce(title->>'zh', '') || ' '
   || coalesce(summary->>'en', '') || ' ' || coalesce(summary->>'fr', '') || ' ' || coalesce(summary->>'es', '') || ' '
   || coalesce(summary->>'ru', '') || ' ' || coalesce(summary->>'ar', '') || ' ' || coalesce(summary->>'zh', '')
  )) STORED
);
CREATE INDEX records_status_kind ON records (status, kind);
CREATE INDEX records_organisation ON records (organisation_id);
CREATE INDEX records_published_at ON records (published_at DESC);
CREATE INDEX records_search_vec ON records USING gin (search_vec);
CREATE INDEX records_search_trgm ON records USING gin (search_text gin_trgm_ops);
CREATE INDEX records_sdgs ON records USING gin (sdgs);
CREATE INDEX records_countries ON records USING gin (countries);
CREATE INDEX records_regions ON records USING gin (regions);
CREATE INDEX records_sectors ON records USING gin (sectors);

-- A need and an offer the matchmaker paired, with its score and the explanation shown to people.
CREATE TABLE matches (
  id          uuid PRIMARY KEY,
  need_id     uuid NOT NULL REFERENCES records (id) ON DELETE CASCADE,
  offer_id    uuid NOT NULL REFERENCES records (id) ON DELETE CASCADE,
  score       double precision NOT NULL CHECK (score >= 0 AND score <= 1),
  explanation jsonb NOT NULL,
  state       text NOT NULL DEFAULT 'suggested'
                CHECK (state IN ('suggested', 'interest', 'partnership', 'dismissed')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (need_id, offer_id)
);
CREATE INDEX matches_offer ON matches (offer_id);

-- "Express interest" opens a thread between the two organisations; it can become a partnership.
CREATE TABLE threads (
  id            uuid PRIMARY KEY,
  match_id      uuid REFERENCES matches (id) ON DELETE SET NULL,
  need_id       uuid REFERENCES records (id) ON DELETE SET NULL,
  offer_id      uuid REFERENCES records (id) ON DELETE SET NULL,
  from_org      uuid REFERENCES organisations (id) ON DELETE SET NULL,
  to_org        uuid REFERENCES organisations (id) ON DELETE SET NULL,
  state         text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'partnership', 'closed')),
  created_by    uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX threads_from_org ON threads (from_org);
CREATE INDEX threads_to_org ON threads (to_org);

CREATE TABLE messages (
  id         uuid PRIMARY KEY,
  thread_id  uuid NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  author_id  uuid REFERENCES users (id) ON DELETE SET NULL,
  body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_thread ON messages (thread_id, created_at);

-- In-app notifications, addressed to an organisation (all its members see them) or to one user.
CREATE TABLE notifications (
  id              uuid PRIMARY KEY,
  organisation_id uuid REFERENCES organisations (id) ON DELETE CASCADE,
  user_id         uuid REFERENCES users (id) ON DELETE CASCADE,
  kind            text NOT NULL,
  payload         jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  read_at         timestamptz,
  CHECK (organisation_id IS NOT NULL OR user_id IS NOT NULL)
);
CREATE INDEX notifications_org ON notifications (organisation_id, created_at DESC);
CREATE INDEX notifications_user ON notifications (user_id, created_at DESC);

-- Every write, by whom, to what, with what change.
CREATE TABLE audit_log (
  id        integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  actor_id  uuid,
  action    text NOT NULL,
  entity    text NOT NULL,
  entity_id text,
  detail    jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
