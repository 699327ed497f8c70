CREATE TABLE catalog_categories (
  code           text PRIMARY KEY,
  name_zh        text NOT NULL,
  name_en        text NOT NULL,
  sort           integer NOT NULL,
  description_zh text NOT NULL,
  description_en text NOT NULL
);

CREATE TABLE catalog_items (
  code            text PRIMARY KEY,
  current_version integer NOT NULL,
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);

CREATE TABLE catalog_item_versions (
  item_code        text NOT NULL REFERENCES catalog_items (code),
  version          integer NOT NULL,
  name_zh          text NOT NULL,
  name_en          text NOT NULL,
  category_code    text NOT NULL REFERENCES catalog_categories (code),
  legal_basis      jsonb NOT NULL,        -- [{ instrument, article, rank }]
  subject_types    text[] NOT NULL,
  payload_schema   jsonb NOT NULL,        -- JSON Schema of the record payload
  field_visibility jsonb NOT NULL,        -- { field: public | shared | internal }
  severity_rule    jsonb NOT NULL,
  period_rule      jsonb NOT NULL,
  layout           jsonb,                 -- header aliases for file ingestion (双公示 layouts)
  created_at       timestamptz NOT NULL,
  created_by       text NOT NULL,
  PRIMARY KEY (item_code, version)
);

CREATE TABLE catalog_item_providers (
  item_code     text NOT NULL REFERENCES catalog_items (code),
  department_id bigint NOT NULL REFERENCES departments (id),
  PRIMARY KEY (item_code, department_id)
);
CREATE INDEX catalog_item_providers_dept ON catalog_item_providers (department_id);
