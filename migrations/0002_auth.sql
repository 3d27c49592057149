-- Auth: lets failed-login bookkeeping be trimmed by age cheaply (see core/auth/rate-limit.ts).
create index login_attempts_at on kernel.login_attempts (at);
