-- Events (API §9, §10, v1.1): a catalog of event types, messages published by internal
-- services, subscriptions by exact type, prefix wildcard and '*', static endpoint headers and
-- per-endpoint rate limits.

-- The catalog is the deployment's, not an application's: the operator manages it. The
-- platform's own types are rows too, so that a list shows them, marked and not editable.
create table event_types (
    name        text        primary key
                            check (name ~ '^[a-z0-9_-]+(\.[a-z0-9_-]+)*$' and length(name) <= 128),
    description text,
    -- JSON Schema (draft 2020-12) for a message's data; null accepts any JSON value
    schema      jsonb,
    deprecated  boolean     not null default false,
    platform    boolean     not null default false,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

create index event_types_page on event_types (name);

insert into event_types (name, description, platform) values
    ('task.succeeded', 'A task ended with a 2xx from its upstream; data is the task view.', true),
    ('task.failed', 'A task ended without success; data is the task view.', true),
    ('webhook.test', 'Sent on request to check an endpoint.', true),
    ('endpoint.disabled', 'An endpoint was disabled (failing for too long, or 410 Gone).', true),
    ('delivery.exhausted', 'A delivery failed its last scheduled attempt.', true);

-- Whether an endpoint's subscriptions take an event type: the type itself, a prefix wildcard
-- ('invoice.*' takes 'invoice.paid' and 'invoice.item.added', not 'invoice'), or '*'. Every
-- fan-out (task outcomes, published events, test and operational events) uses this one
-- function, so that they cannot disagree.
create function hookway_subscribed(subscriptions text[], event_type text) returns boolean
    language sql immutable parallel safe
    as $$ select exists (select 1 from unnest(subscriptions) s
                         where s = event_type or s = '*'
                            or (right(s, 2) = '.*' and starts_with(event_type, left(s, -1)))) $$;

-- Messages published through POST /internal/v1/events: who published them (the client id of
-- the publishing token) and its Idempotency-Key with the SHA-256 of the request it came with.
alter table webhook_messages add column publisher text;
alter table webhook_messages add column idempotency_key text;
alter table webhook_messages add column request_hash bytea;
create unique index webhook_messages_idempotency on webhook_messages (publisher, idempotency_key)
    where idempotency_key is not null;
-- GET /v1/messages: an application's messages, newest first
create index webhook_messages_page on webhook_messages (application_id, created_at desc, id desc);
-- recovery: an endpoint's failed deliveries
create index webhook_deliveries_failed on webhook_deliveries (endpoint_id) where status = 'FAILED';

-- Static headers sent with every delivery to the endpoint: a JSON object of name to value,
-- AES-GCM encrypted like the secrets. Null when there are none.
alter table webhook_endpoints add column headers_encrypted bytea;
-- Most deliveries per second to the endpoint, for all dispatchers together; null = no limit.
alter table webhook_endpoints add column rate_limit integer check (rate_limit between 1 and 10000);
