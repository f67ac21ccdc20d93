-- The course's schema: the checks create it in their own database
-- before each exercise runs, docker-compose loads it into the
-- `course` database, and the lessons quote it.
CREATE TABLE users (
  id    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name  text NOT NULL,
  email text NOT NULL UNIQUE
);

-- No CHECK on the balance: exercise 03 must guard it in code,
-- inside the transaction.
CREATE TABLE accounts (
  id            integer PRIMARY KEY,
  owner         text NOT NULL,
  balance_cents integer NOT NULL
);

CREATE TABLE ledger (
  id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  from_account integer NOT NULL REFERENCES accounts,
  to_account   integer NOT NULL REFERENCES accounts,
  amount_cents integer NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Lesson 08 · Many hands on one drawer (exercise 12). No CHECK on
-- `available`: the code must never let it go below zero.
CREATE TABLE stock (
  sku       text PRIMARY KEY,
  available integer NOT NULL
);

CREATE TABLE reservations (
  request_id text PRIMARY KEY,
  sku        text NOT NULL,
  quantity   integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Lesson 12 · Two stores, one truth (exercise 15): each change's event,
-- written in its transaction, sent by a relay.
CREATE TABLE outbox (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  aggregate_id integer NOT NULL,
  type         text NOT NULL,
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  sent_at      timestamptz
);
CREATE INDEX outbox_pending ON outbox (id) WHERE sent_at IS NULL;
