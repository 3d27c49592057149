-- A sandboxed plugin's migration is untrusted SQL: it tries to drop whatever role it was given and
-- records who it ran as. It must still be its owner role, never the kernel's or a superuser.
reset role;
set session authorization default;
create table probe (ran_as text not null, superuser boolean not null);
insert into probe select current_user, (select rolsuper from pg_roles where rolname = current_user);
