-- Per-endpoint rate limits (webhook_endpoints.rate_limit, API §10) for all dispatchers together:
-- one row per limited endpoint holding its latest reservation of turns. Turns are 1/per_second
-- apart; a reservation takes consecutive turns from the endpoint's next free one
-- (first_at + granted / per_second of the row before it, or now if that has passed), so that
-- deliveries start evenly spaced, never more than the limit in any second, whichever
-- dispatcher sends them. A dispatcher reserves the turns of many endpoints in one upsert.
--
-- Unlogged, as rate_limit_budget (V7): a row matters for a few seconds and is written on every
-- reservation. A database crash empties the table, which forgets the turns reserved then: an
-- endpoint may get up to one second's deliveries early, once. A row whose turns have passed is
-- the same as no row; the dispatchers' retention purge deletes those.
create unlogged table endpoint_pace (
    endpoint_id uuid        primary key,
    -- the first turn the latest reservation took, and how many it took (0: none was free soon
    -- enough), at the rate of the limit then in force
    first_at    timestamptz not null,
    granted     integer     not null check (granted >= 0),
    per_second  integer     not null check (per_second between 1 and 10000)
) with (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
        autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0);
