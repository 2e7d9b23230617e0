-- Purging a message cascades to its deliveries; without this index each cascade scans them all.
create index webhook_deliveries_message on webhook_deliveries (message_id);
