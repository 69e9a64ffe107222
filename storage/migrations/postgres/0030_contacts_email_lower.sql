-- Merge suggestions and e-mail lookups compare addresses case-blind
-- (LOWER(email)); an index on the bare column could not serve them, so
-- every status card scanned all contacts (25 ms each at 2,000 contacts,
-- two thirds of the database's time in the delivery benchmark).
CREATE INDEX contacts_email_lower ON contacts (LOWER(email)) WHERE email <> '';
