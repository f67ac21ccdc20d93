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
