-- Hostile input through SQL: every case returns a fingerprint in linear time
-- or a clear error with a fitting SQLSTATE; cancel works inside the core.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS errtrack CASCADE;
CREATE EXTENSION errtrack;
RESET client_min_messages;

-- a ~60 MB, 1.9-million-frame Java stack (under the 64 MB limit)
CREATE TEMP TABLE big AS
SELECT 'java.lang.IllegalStateException: x' || E'\n' ||
       repeat(E'\tat com.acme.Foo.bar(Foo.java:1)\n', 1900000) AS s;
SELECT length(s) > 60000000 AS sixty_mb FROM big;
SELECT errtrack.fingerprint('E', 'm', s) IS NOT NULL AS fingerprinted FROM big;
SELECT count(*) AS frames_kept, bool_or(in_app) AS any_app FROM errtrack.parse_stack((SELECT s FROM big));

-- statement_timeout stops the core mid-parse (it polls InterruptPending); the
-- stack cache is off, or the stack fingerprinted above would not be parsed again
SET errtrack.stack_cache_size = 0;
SET statement_timeout = '100ms';
SELECT errtrack.fingerprint('E', 'm', s) FROM big;
SELECT errtrack.normalize_stack(s) FROM big;
RESET statement_timeout;
RESET errtrack.stack_cache_size;
SELECT 'still alive' AS after_cancel;

-- over the limit: 54000 program_limit_exceeded
\set VERBOSITY sqlstate
SELECT errtrack.fingerprint('E', 'm', s || repeat('x', 8 * 1024 * 1024)) FROM big;
\set VERBOSITY default

-- a 10,000-deep Caused-by chain keeps its root cause
SELECT errtrack.fingerprint_explain('', '',
  'java.lang.RuntimeException: top' || E'\n\tat a.B.c(B.java:1)\n' ||
  repeat(E'Caused by: java.lang.RuntimeException: level\n\tat a.B.c(B.java:1)\n', 10000) ||
  E'Caused by: java.lang.IllegalStateException: root\n\tat a.Root.boom(Root.java:1)\n');

-- very long lines, quotes without ends, control characters, ANSI colours
SELECT length(errtrack.normalize_message(repeat('a''b"c`', 1000000))) AS capped_template;
SELECT errtrack.normalize_message(repeat('x', 100000) || ' 42') = repeat('x', 256) AS long_line_capped;
SELECT errtrack.fingerprint(E'\x01\x02', E'\x7f\u00e9\u4e2d', E'x\x01\x1b[31mred\x1b[0m') IS NOT NULL AS control_chars;
SELECT errtrack.normalize_stack(E'Traceback (most recent call last):\n  File "\x1b[35m/app/x.py\x1b[0m", line 1, in f\nValueError: v') AS ansi_stripped;
-- a JSON-escaped one-line stack (log pipelines) parses like the real one
SELECT errtrack.fingerprint('E', 'm', E'java.lang.IllegalStateException: x\\n\\tat com.acme.Foo.bar(Foo.java:1)\\n\\tat com.acme.Main.main(Main.java:2)')
     = errtrack.fingerprint('E', 'm', E'java.lang.IllegalStateException: x\n\tat com.acme.Foo.bar(Foo.java:1)\n\tat com.acme.Main.main(Main.java:2)') AS escaped_same;
-- non-stack text: generic line-based fallback, digits and addresses ignored
SELECT errtrack.fingerprint('Crash', '', E'random text 0x7fff1234\nmore at line 12')
     = errtrack.fingerprint('Crash', '', E'random text 0x7fff9999\nmore at line 57') AS generic_stable,
       errtrack.normalize_stack(E'random text 0x7fff1234\nmore at line 12') AS generic_frames;
