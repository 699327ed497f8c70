-- A subject (an enterprise, an organisation or a person) can hold an account of its own to see
-- what is held on it, object and apply for repair. Agents act for it with an authorisation letter.
ALTER TABLE users ADD COLUMN subject_id bigint REFERENCES subjects (id);
CREATE INDEX users_subject ON users (subject_id) WHERE subject_id IS NOT NULL;
