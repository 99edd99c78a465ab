-- Users, their roles, and the authorization rules. Every change bumps tg_revision, which live routers poll.
CREATE TABLE tg_user (
  id            BIGINT AUTO_INCREMENT PRIMARY KEY,
  username      VARCHAR(255)  NOT NULL UNIQUE,
  email         VARCHAR(255)  UNIQUE,
  password_hash VARCHAR(1000) NOT NULL,
  enabled       BOOLEAN       DEFAULT TRUE NOT NULL
);

CREATE TABLE tg_role (
  name        VARCHAR(100) PRIMARY KEY,
  description VARCHAR(1000)
);

CREATE TABLE tg_user_role (
  user_id   BIGINT       NOT NULL REFERENCES tg_user (id) ON DELETE CASCADE,
  role_name VARCHAR(100) NOT NULL REFERENCES tg_role (name) ON DELETE CASCADE,
  PRIMARY KEY (user_id, role_name)
);

CREATE TABLE tg_rule (
  id           BIGINT AUTO_INCREMENT PRIMARY KEY,
  realm        VARCHAR(255)  NOT NULL,
  role         VARCHAR(100)  NOT NULL,
  pattern      VARCHAR(1000) NOT NULL,
  match_policy VARCHAR(10)   NOT NULL CHECK (match_policy IN ('exact', 'prefix', 'wildcard')),
  actions      VARCHAR(100)  NOT NULL,
  note         VARCHAR(1000)
);

CREATE TABLE tg_revision (
  id       INT    PRIMARY KEY,
  revision BIGINT NOT NULL
);
INSERT INTO tg_revision (id, revision) VALUES (1, 0);

CREATE TABLE tg_setting (
  name  VARCHAR(100)  PRIMARY KEY,
  setting_value VARCHAR(1000) NOT NULL
);

INSERT INTO tg_role (name, description) VALUES
  ('user', 'A person who signed in; the role of users made without one'),
  ('backend', 'A backend holding an anonymous ticket: it may publish and call, never subscribe'),
  ('anonymous', 'A session without a ticket');
