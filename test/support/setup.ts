// Loaded by mocha before every test file (.mocharc.json).
// The database checks that no statement bypasses its transaction's session (bot/storage/sql.ts).
// It costs a promise hook per promise, so the app leaves it off; the tests, and every bot process
// they start (they inherit the environment), run with it.
process.env.SQL_SESSION_CHECK = '1';
