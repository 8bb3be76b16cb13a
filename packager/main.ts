import { runCli } from './cli.js';

// A reader that stops early (`coursegate logs errors | head`) closes the pipe: the output is over, which is
// no failure of the CLI and no reason for a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await runCli(process.argv.slice(2));
