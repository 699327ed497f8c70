-- Same facts (src/domain/lists/entry.ts factsKey): a cited record now also counts under its
-- document number ('doc:' + the number in NFKC without whitespace), so citing a record and citing
-- its document are recognised as the same facts. Entries proposed before keyed records by id only:
-- add the document key of each record they cite.
WITH doc_keys AS (
  SELECT f.entry_id, 'doc:' || regexp_replace(normalize(r.doc_no, NFKC), '\s+', '', 'g') AS key
    FROM list_entry_facts f JOIN records r ON r.id = f.record_id
   WHERE f.kind = 'record' AND r.doc_no IS NOT NULL
)
UPDATE list_entries e
   SET facts_key = array(SELECT DISTINCT x
                           FROM unnest(e.facts_key || (SELECT array_agg(d.key) FROM doc_keys d
                                                        WHERE d.entry_id = e.id AND d.key <> 'doc:')) AS x
                          ORDER BY x)
 WHERE e.id IN (SELECT entry_id FROM doc_keys WHERE key <> 'doc:');
