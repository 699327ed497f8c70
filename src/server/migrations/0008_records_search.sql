-- Browsing disclosed licences and penalties across subjects (双公示 search), newest first.
CREATE INDEX records_item_decision ON records (item_code, decision_date DESC, id DESC);
CREATE INDEX records_doc_no ON records (doc_no);
