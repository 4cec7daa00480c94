// prestart: build when dist/ is missing or older than any source file, so `npm start` always runs current code.
const fs = require('node:fs');
const path = require('node:path');
const { execSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'dist', 'bot', 'index.js');
const model = path.join(root, 'build', 'nlu');
const sources = ['bot', 'cards', 'dialogs', 'knowledge'];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

const built = fs.existsSync(stamp) && fs.existsSync(model) ? fs.statSync(stamp).mtimeMs : 0;
const changed = Math.max(...sources.map((s) => newestMtime(path.join(root, s))));
if (built < changed) {
  console.log('Building (sources changed since the last build)...');
  execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
}
