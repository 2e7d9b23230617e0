-- The deployment-wide rate limit (hookway.rate-limit.*): per window and application, how many
-- permits all gateways have leased so far. A gateway leases a chunk at a time and spends it in
-- memory, so a busy application costs one small upsert per chunk, not a write per call.
-- last_lease is what the latest upsert took (it may take less than asked: what was left).
--
-- Unlogged: a row matters only while its window lasts and is written far more often than read;
-- skipping the WAL makes the upserts cheap. A database crash empties the table (and a standby
-- does not have it), which forgets the counts of the windows then running: each application may
-- get its quota once more in those windows only.
--
-- The key leads with the window, so the purge of ended windows reads the index from its start.
-- Rows are updated in place many times: room on each page keeps those updates HOT, and
-- autovacuum runs after 1% of the rows changed, as for the queue tables (V5).
create unlogged table rate_limit_budget (
    window_start   timestamptz not null,
    application_id uuid        not null,
    granted        integer     not null check (granted >= 0),
    last_lease     integer     not null check (last_lease >= 0),
    primary key (window_start, application_id)
) with (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
        autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0);
