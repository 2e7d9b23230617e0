-- The W3C traceparent of the call that created a task, and of the task a webhook message
-- reports on: the dispatcher continues that trace for the upstream call and the deliveries.
-- Null for rows written before tracing and for messages without a task (test events).
alter table tasks add column trace_parent text;
alter table webhook_messages add column trace_parent text;
