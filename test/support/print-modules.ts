// Preloaded into a bot process by test/bot/module-footprint.test.ts: when the process exits, writes
// the files it loaded through require to LOADED_MODULES_FILE.
import fs from 'node:fs';

process.on('exit', () => {
  const file = process.env.LOADED_MODULES_FILE;
  if (file) fs.writeFileSync(file, JSON.stringify(Object.keys(require.cache)));
});
