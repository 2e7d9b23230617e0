-- The SHA-256 of the completion token sent with the task's current attempt (API §3, v1.1). An
-- upstream that answered 202 proves with the token that it is the one the attempt reached; the
-- token itself is never stored. A new attempt replaces it, a retry wait or a put-back clears it.
alter table tasks add column completion_token_hash bytea;
