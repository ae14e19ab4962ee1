-- The name the inviter gave the invitee. Until an invitation is accepted the yacht sees this name
-- (or the address's local part), never the name of an account the address may already have on
-- other yachts: inviting must not tell a tenant admin who else uses the service.
ALTER TABLE memberships ADD COLUMN invited_name text CHECK (length(invited_name) <= 100);
