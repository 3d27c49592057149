-- A transaction's source and currency are checked without a regular expression.
--
-- PostgreSQL checks every CHECK constraint on every row it inserts and on every new version an
-- UPDATE writes, whatever columns changed, and running a (cached) regex still builds its state
-- sets each time: the two of 0001 were ~5% of PostgreSQL's samples in a profile of one sync.
-- Inserting 1,000,000 two-column rows (PostgreSQL 15, psql) cost 3–8 µs more per row with both
-- regex checks, 1.6–1.8 µs more with these. The rules are the same, letter for letter:
--
--   source   'manual', or ^[a-z][a-z0-9-]{1,49}$: 2 to 50 characters, the first a-z, all a-z 0-9 -
--   currency ^[A-Z][A-Z0-9]{2,9}$: 3 to 10 characters, the first A-Z, all A-Z 0-9
--
-- translate(...) removes every allowed character, so an empty result means nothing else is there;
-- a string of allowed (ASCII) characters has as many bytes as characters, so octet_length counts
-- them; ascii() is the first character's code point.
alter table transactions
  drop constraint transactions_source_check,
  drop constraint transactions_currency_check,
  add constraint transactions_source_check check (source = 'manual' or (
    octet_length(source) between 2 and 50 and ascii(source) between 97 and 122
    and translate(source, 'abcdefghijklmnopqrstuvwxyz0123456789-', '') = '')),
  add constraint transactions_currency_check check (
    octet_length(currency) between 3 and 10 and ascii(currency) between 65 and 90
    and translate(currency, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', '') = '');
