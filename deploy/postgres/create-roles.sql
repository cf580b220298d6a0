-- The roles of the event log, for a PostgreSQL that no operator manages (docker-compose.yml runs
-- this once on an empty data directory; elsewhere run it as an admin, in the target database).
-- The same roles tools/infra/postgres.ts makes for development:
--   incident_owner   NOLOGIN, owns the schema; the migrations SET ROLE to it
--   incident_app     what the services log in as: INSERT and SELECT on the events, nothing more
--   incident_reader  auditors: read-only
-- Passwords are not set here: give them with ALTER ROLE ... PASSWORD from your secret store
-- (docker-compose.yml uses trust authentication on its private network instead).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'incident_owner') THEN
    CREATE ROLE incident_owner NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'incident_app') THEN
    CREATE ROLE incident_app LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'incident_reader') THEN
    CREATE ROLE incident_reader LOGIN;
  END IF;
  -- The migration user must be able to SET ROLE incident_owner.
  IF NOT pg_has_role(current_user, 'incident_owner', 'MEMBER') THEN
    EXECUTE format('GRANT incident_owner TO %I', current_user);
  END IF;
  -- Only the named roles may connect (PUBLIC's default CONNECT would let any login role in).
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO incident_app, incident_reader', current_database());
END $$;
