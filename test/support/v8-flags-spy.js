// Preloaded by a test (node --import): records the V8 flags the CLI sets (v8.setFlagsFromString, also as the named
// export src/cli/io.ts imports) and writes them on stderr when the process exits.
import { syncBuiltinESMExports } from 'node:module';
import v8 from 'node:v8';

const set = v8.setFlagsFromString;
const flags = [];
v8.setFlagsFromString = (flag) => {
  flags.push(flag);
  set(flag);
};
syncBuiltinESMExports();
process.on('exit', () => {
  process.stderr.write(`v8 flags set: ${JSON.stringify(flags)}\n`);
});
