import { processIo } from './cli/io';
import { run } from './cli/run';

// process.exitCode rather than process.exit(): stdout is flushed before the process ends.
run(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
