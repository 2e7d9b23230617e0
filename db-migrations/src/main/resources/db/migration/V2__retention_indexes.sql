-- Retention purges finished rows oldest first; these keep that an index range scan.
create index tasks_completed on tasks (completed_at) where completed_at is not null;
create index webhook_messages_created on webhook_messages (created_at);
