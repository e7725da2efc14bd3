-- The login that migrates is the login the gateway's pool connects as, and the pool works as
-- tracuu_gateway (database.role): a login that may create roles but is not a superuser, as an
-- external server's owner usually is, was not a member, so every connection failed its SET ROLE
-- and every text was refused. A superuser (the embedded server's login) is given it all the same.
GRANT tracuu_gateway TO CURRENT_USER;
