-- tasks and webhook_deliveries are queues: each row is updated several times (claimed, leased,
-- retried, finished) and finished rows are purged in batches. PostgreSQL's default waits for 20%
-- of a table to be dead before vacuuming it, by which time the claim indexes carry many dead
-- entries and claims slow down. Vacuum after 1% instead, analyze after 2% so that the planner
-- keeps choosing those indexes, and let these vacuums run without the default throttling pause.
alter table tasks set (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
                       autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0);
alter table webhook_deliveries set (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
                                    autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0);
