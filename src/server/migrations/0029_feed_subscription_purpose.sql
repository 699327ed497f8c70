-- Issue 7: every read of shared data states its purpose. A webhook subscription in the shared scope
-- is a standing read: it states its purpose when it is created, and every delivery's `data.read`
-- event carries it (the subject sees it in /api/v1/me/reads). Public-scope subscriptions read
-- public data only and have none.
ALTER TABLE webhook_subscriptions ADD COLUMN purpose text;

-- Shared subscriptions registered before this version stated no purpose. They keep being
-- delivered (stopping them would break subscribers without warning), and say so truthfully until
-- their owner states one (PUT /api/v1/feed/subscriptions/:id/purpose).
UPDATE webhook_subscriptions
   SET purpose = '未声明（升级前创建） / not stated (created before upgrade)'
 WHERE scope = 'shared';

ALTER TABLE webhook_subscriptions
  ADD CONSTRAINT webhook_subscriptions_purpose
  CHECK ((scope = 'shared') = (purpose IS NOT NULL));
