-- Tickets already accepted, so that a ticket is one-time across restarts. The key is the SHA-256 of
-- username;nonce;created: the table never holds a user name or a nonce. held: a session uses it now; reusable: an
-- anonymous backend ticket, which may be claimed again after its session ended, until expires_at.
CREATE TABLE tg_used_ticket (
  ticket_hash CHAR(64) PRIMARY KEY,
  expires_at  BIGINT   NOT NULL,
  reusable    BOOLEAN  NOT NULL,
  held        BOOLEAN  NOT NULL
);
CREATE INDEX tg_used_ticket_expiry ON tg_used_ticket (expires_at);
