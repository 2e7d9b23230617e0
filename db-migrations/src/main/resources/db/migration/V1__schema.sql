-- Hookway schema. Ids are UUIDs in the database and typed strings (app_, ep_, tsk_, msg_, dlv_)
-- at the API edge. Every tenant-owned row carries application_id so that each query names its
-- tenant, and the schema can later be distributed by it.

-- Keys of the embedded OAuth2 issuer. Public JWKs are readable by every service (they verify
-- tokens from here without calling the portal); private keys are AES-GCM encrypted.
create table signing_keys (
    kid                   text        primary key,
    algorithm             text        not null,
    public_jwk            text        not null,
    private_key_encrypted bytea       not null,
    created_at            timestamptz not null default now(),
    -- a retired key no longer signs but stays published until tokens it signed have expired
    retired_at            timestamptz,
    expires_at            timestamptz
);

create table applications (
    id                 uuid        primary key,
    name               text        not null check (length(name) between 1 and 200),
    client_id          text        not null unique,
    client_secret_hash text        not null,
    scopes             text[]      not null,
    status             text        not null default 'ACTIVE' check (status in ('ACTIVE', 'DISABLED')),
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    disabled_at        timestamptz
);

create index applications_page on applications (created_at desc, id desc);

create table webhook_endpoints (
    id                         uuid        primary key,
    application_id             uuid        not null references applications (id),
    url                        text        not null,
    description                text,
    event_types                text[]      not null check (cardinality(event_types) > 0),
    enabled                    boolean     not null default true,
    disabled_reason            text,
    secret_encrypted           bytea       not null,
    -- after a rotation the previous secret keeps signing until previous_secret_expires_at
    previous_secret_encrypted  bytea,
    previous_secret_expires_at timestamptz,
    -- start of the current run of consecutive failures; null while the endpoint is healthy
    failing_since              timestamptz,
    created_at                 timestamptz not null default now(),
    updated_at                 timestamptz not null default now(),
    deleted_at                 timestamptz
);

-- fan-out at task completion: enabled endpoints of one application
create index webhook_endpoints_fanout on webhook_endpoints (application_id) where enabled and deleted_at is null;
create index webhook_endpoints_page on webhook_endpoints (application_id, created_at desc, id desc) where deleted_at is null;

create table tasks (
    id                  uuid        primary key,
    application_id      uuid        not null,
    route               text        not null,
    method              text        not null,
    path                text        not null,
    query               text,
    request_headers     jsonb       not null,
    request_body        bytea,
    -- Idempotency-Key and the SHA-256 of (method, route, path, query, body) it was first used with
    idempotency_key     text,
    request_hash        bytea,
    status              text        not null check (status in ('ACCEPTED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    attempts            integer     not null default 0,
    -- when the executor next has to look at the row: due for an attempt, a retry, a lease that
    -- ran out, or a completion deadline. Null once the task is final.
    next_attempt_at     timestamptz,
    -- the worker holding the row and the fencing token of its claim; a worker whose lease ran
    -- out cannot write its outcome over that of the worker that took the row over
    locked_by           text,
    lease_id            uuid,
    -- set when the upstream answered 202 and owes a result report
    completion_deadline timestamptz,
    result_status       integer,
    result_headers      jsonb,
    result_body         bytea,
    error_code          text,
    error_message       text,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    completed_at        timestamptz
);

create unique index tasks_idempotency on tasks (application_id, idempotency_key) where idempotency_key is not null;
-- the executor's claim: due rows of unfinished tasks, oldest first
create index tasks_due on tasks (next_attempt_at) where next_attempt_at is not null;
create index tasks_page on tasks (application_id, created_at desc, id desc);

create table webhook_messages (
    id             uuid        primary key,
    application_id uuid        not null,
    event_type     text        not null,
    task_id        uuid,
    -- the exact bytes that are signed and sent, identical on every attempt
    payload        text        not null,
    created_at     timestamptz not null default now()
);

create index webhook_messages_task on webhook_messages (task_id) where task_id is not null;

create table webhook_deliveries (
    id              uuid        primary key default gen_random_uuid(),
    message_id      uuid        not null references webhook_messages (id) on delete cascade,
    endpoint_id     uuid        not null references webhook_endpoints (id),
    application_id  uuid        not null,
    event_type      text        not null,
    status          text        not null default 'PENDING' check (status in ('PENDING', 'SUCCEEDED', 'FAILED')),
    attempt_count   integer     not null default 0,
    -- due time of the next attempt; while a worker holds the delivery it is the lease's end
    next_attempt_at timestamptz,
    locked_by       text,
    lease_id        uuid,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

-- the deliverer's claim
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'PENDING';
create index webhook_deliveries_page on webhook_deliveries (endpoint_id, created_at desc, id desc);

create table delivery_attempts (
    delivery_id  uuid        not null references webhook_deliveries (id) on delete cascade,
    attempt      integer     not null,
    attempted_at timestamptz not null,
    status_code  integer,
    duration_ms  integer     not null,
    error        text,
    primary key (delivery_id, attempt)
);
