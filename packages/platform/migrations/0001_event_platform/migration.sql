-- The event platform's tables, created in every context's database beside the context's own.

-- Transactional outbox: a use case inserts its events here in the same transaction as its state
-- change; the relay publishes them to JetStream in `seq` order and stamps `published_at`.
CREATE TABLE gaji_outbox (
  seq          BIGSERIAL PRIMARY KEY,
  id           UUID NOT NULL UNIQUE,
  subject      TEXT NOT NULL,
  envelope     JSONB NOT NULL,
  headers      JSONB NOT NULL DEFAULT '{}'::jsonb,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  published_at TIMESTAMPTZ
);
CREATE INDEX gaji_outbox_unpublished ON gaji_outbox (seq) WHERE published_at IS NULL;

-- Idempotent consumers: the id of each event a consumer applied, written in the same transaction
-- as the effect, so a redelivered event is recognised and skipped.
CREATE TABLE gaji_processed_events (
  consumer     TEXT NOT NULL,
  event_id     UUID NOT NULL,
  stream_seq   BIGINT NOT NULL,
  processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
