-- Developer dashboard (API §11, v1.1): one-time links and the browser sessions they start.
-- Both secrets are stored only as their SHA-256: a copy of the database opens no dashboard.
-- Sessions live here rather than in a portal's memory so that they survive a restart and
-- work on every replica.

create table dashboard_links (
    secret_hash    bytea       primary key,
    application_id uuid        not null references applications (id),
    expires_at     timestamptz not null,
    -- set by the one exchange that succeeds; a link is never accepted twice
    used_at        timestamptz,
    created_at     timestamptz not null default now()
);

create index dashboard_links_expiry on dashboard_links (expires_at);

create table dashboard_sessions (
    token_hash     bytea       primary key,
    application_id uuid        not null references applications (id),
    expires_at     timestamptz not null,
    created_at     timestamptz not null default now()
);

create index dashboard_sessions_expiry on dashboard_sessions (expires_at);
