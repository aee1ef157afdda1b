#!/usr/bin/env node
'use strict';
// The command ends once its report is written, whatever timers or sockets plugins left open.
require('../dist/cli/main.js')
  .main(process.argv.slice(2))
  .then(
    (code) => exitWhenWritten(code),
    (error) => {
      process.stderr.write(`floe: ${String(error && error.message)}\n`);
      exitWhenWritten(1);
    },
  );

function exitWhenWritten(code) {
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  // An empty write calls back once everything written before it is flushed.
  process.stdout.write('', done);
  process.stderr.write('', done);
}
