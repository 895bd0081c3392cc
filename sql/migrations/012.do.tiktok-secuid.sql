-- The fetcher caches the TikTok account's secUid (the key its videos are listed by) in
-- clients.tiktok_secuid. Whoever changes client_tiktok (chat, import, plain SQL) makes
-- that cache wrong, so it is cleared with it: the next fetch looks the new account up.
CREATE FUNCTION cicero_forget_secuid() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.tiktok_secuid := NULL;
  RETURN NEW;
END
$$;
CREATE TRIGGER clients_forget_secuid BEFORE UPDATE OF client_tiktok ON clients
  FOR EACH ROW WHEN (NEW.client_tiktok IS DISTINCT FROM OLD.client_tiktok AND NEW.tiktok_secuid IS NOT DISTINCT FROM OLD.tiktok_secuid)
  EXECUTE FUNCTION cicero_forget_secuid();
