-- The departments that are the listing authority (认定单位) of a list type in this deployment. List
-- types are national configuration (seeded without departments); the credit office binds each one
-- to the departments that may propose and decide its entries. A list type with bindings takes
-- proposals and decisions only from those departments (see src/server/modules/lists/lists.policy.ts).
CREATE TABLE list_type_departments (
  list_type_code  text NOT NULL REFERENCES list_types (code),
  department_id   bigint NOT NULL REFERENCES departments (id),
  bound_at        timestamptz NOT NULL,
  bound_by        text NOT NULL,
  PRIMARY KEY (list_type_code, department_id)
);
CREATE INDEX list_type_departments_department ON list_type_departments (department_id);
