#!/usr/bin/env node
// `npm install` in a checkout, and npm packing this folder for a `file:` dependency, run `prepare`: it builds
// dist/ when a source or build setting is newer than the last build, and otherwise leaves dist/ alone (so an
// install never removes the build that running processes load).
'use strict';
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const built = path.join(root, 'dist', 'index.js');

function newest(file) {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(file).map((entry) => newest(path.join(file, entry))));
}

const inputs = ['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json']
  .map((file) => path.join(root, file))
  .filter((file) => fs.existsSync(file));
if (!fs.existsSync(built) || Math.max(...inputs.map(newest)) > fs.statSync(built).mtimeMs) {
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
} else {
  process.stdout.write('floe-core: dist/ is up to date with src/.\n');
}
