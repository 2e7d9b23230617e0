-- Claims fair across applications and destinations. A pending row is either ready (due now,
-- in a lane index per application and endpoint or route, oldest first) or waiting (leased, or
-- scheduled for later, in a time-ordered index); each dispatcher turns waiting rows whose time
-- has come ready. A claim then walks applications and their lanes with one index probe per
-- step from a random start and takes a share of each lane's oldest rows, instead of scanning
-- every due row in time order past those of busy endpoints.
alter table webhook_deliveries add column ready boolean not null default true;
update webhook_deliveries set ready = (next_attempt_at <= now()) where status = 'PENDING';
create index webhook_deliveries_ready on webhook_deliveries (application_id, endpoint_id, next_attempt_at)
    where status = 'PENDING' and ready;
create index webhook_deliveries_waiting on webhook_deliveries (next_attempt_at)
    where status = 'PENDING' and not ready;
drop index webhook_deliveries_due;

alter table tasks add column ready boolean not null default true;
update tasks set ready = (next_attempt_at <= now()) where next_attempt_at is not null;
create index tasks_ready on tasks (application_id, route, next_attempt_at) where next_attempt_at is not null and ready;
create index tasks_waiting on tasks (next_attempt_at) where next_attempt_at is not null and not ready;
drop index tasks_due;
